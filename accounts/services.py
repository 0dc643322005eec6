"""Writes to a customer's profile and shipping addresses.

A customer has at most one default address, and has one whenever they have any address. Every write that can
move the default first locks the customer's row, so two concurrent writes for the same customer queue instead
of leaving two defaults (MariaDB cannot enforce the conditional unique constraint; SQLite does).
"""

from django.db import transaction
from django.utils import timezone

from . import selectors
from .models import Address, Consent, User
from .selectors import address_get

ADDRESS_FIELDS = ("recipient", "phone", "postal_code", "address", "detail", "memo")


def profile_update(*, user, name, phone):
    """Changes the customer's name and mobile number (validated: Korean mobile format)."""
    user.name = name
    user.phone = phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "phone"])
    return user


@transaction.atomic
def signup_details_save(*, user, name, phone, marketing=False, now=None):
    """Completes a sign-up: the customer's name and mobile number, and the consents they gave, each with the
    version of the document agreed to and the time. The three required consents are recorded for every sign-up
    (the sign-up forms refuse to go on without them); marketing only when ticked."""
    now = now or timezone.now()
    user.name = name
    user.phone = phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "phone"])
    kinds = [*Consent.REQUIRED, *([Consent.Kind.MARKETING] if marketing else [])]
    Consent.objects.bulk_create(
        Consent(user=user, kind=kind, version=selectors.consent_document_version(kind=kind), agreed_at=now)
        for kind in kinds
    )
    return user


@transaction.atomic
def marketing_consent_set(*, user, agreed, now=None):
    """Gives or withdraws the optional marketing consent (a withdrawal keeps the record, dated)."""
    now = now or timezone.now()
    _lock_owner(user)
    current = Consent.objects.filter(user=user, kind=Consent.Kind.MARKETING, withdrawn_at__isnull=True)
    if agreed and not current.exists():
        Consent.objects.create(
            user=user,
            kind=Consent.Kind.MARKETING,
            version=selectors.consent_document_version(kind=Consent.Kind.MARKETING),
            agreed_at=now,
        )
    elif not agreed:
        current.update(withdrawn_at=now)


@transaction.atomic
def address_create(*, user, recipient, phone, postal_code, address, detail="", memo="", is_default=False):
    """Adds an address; the customer's first address is the default whatever ``is_default`` says."""
    _lock_owner(user)
    has_default = Address.objects.filter(user=user, is_default=True).exists()
    new = Address(
        user=user,
        recipient=recipient,
        phone=phone,
        postal_code=postal_code,
        address=address,
        detail=detail,
        memo=memo,
        is_default=is_default or not has_default,
    )
    new.full_clean(validate_constraints=False)  # the default's uniqueness is ours to keep
    if new.is_default:
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
    new.save()
    return new


@transaction.atomic
def address_update(*, user, address_id, is_default=None, **fields):
    """Changes the given fields of one of the customer's addresses; ``is_default=True`` makes it the default.

    Unsetting the default is not a change a customer can make: they pick another default instead.
    Raises ``AddressNotFound`` for an address that is not theirs.
    """
    _lock_owner(user)
    target = address_get(user=user, address_id=address_id)
    unknown = set(fields) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"address_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean(validate_constraints=False)
    target.save()
    if is_default:
        _make_default(user=user, target=target)
    return target


@transaction.atomic
def address_delete(*, user, address_id):
    """Deletes one of the customer's addresses; if it was the default, their newest remaining one becomes it.

    Orders keep their own copy of the address, so past orders are untouched.
    """
    _lock_owner(user)
    target = address_get(user=user, address_id=address_id)
    was_default = target.is_default
    target.delete()
    if was_default:
        newest = Address.objects.filter(user=user).order_by("-id").first()
        if newest is not None:
            newest.is_default = True
            newest.save(update_fields=["is_default"])


@transaction.atomic
def address_set_default(*, user, address_id):
    """Makes one of the customer's addresses the default (and no other)."""
    _lock_owner(user)
    target = address_get(user=user, address_id=address_id)
    _make_default(user=user, target=target)
    return target


def _make_default(*, user, target):
    Address.objects.filter(user=user, is_default=True).exclude(pk=target.pk).update(is_default=False)
    if not target.is_default:
        target.is_default = True
        target.save(update_fields=["is_default"])


def _lock_owner(user):
    # One lock per customer serialises every change to who holds the default.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
