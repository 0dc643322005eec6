"""Reads of accounts data: a customer's shipping addresses and profile, and who an email address belongs to."""

from allauth.account.models import EmailAddress
from django.conf import settings

from .exceptions import AddressNotFound
from .models import Address, Consent, User


def consent_document_version(*, kind):
    """The version of the document a consent of ``kind`` agrees to, as recorded with the consent.

    From ``LEGAL_DOCUMENT_VERSIONS`` (terms and privacy; marketing follows the privacy policy, the age check has
    no document). When staff-edited legal documents land (shop.selectors.legal_document_current), this reads them.
    """
    versions = settings.LEGAL_DOCUMENT_VERSIONS
    if kind == Consent.Kind.MARKETING:
        return versions.get("marketing") or versions.get("privacy", "")
    return versions.get(kind, "")


def consent_list(*, user):
    """Every consent the customer gave, newest first per kind."""
    return Consent.objects.filter(user=user).order_by("kind", "-agreed_at")


def marketing_consented(*, user):
    """True while the customer's marketing consent stands."""
    return Consent.objects.filter(user=user, kind=Consent.Kind.MARKETING, withdrawn_at__isnull=True).exists()


def email_belongs_to_another_account(*, email, user):
    """True when ``email`` is another account's: its log-in email or an address it has confirmed. Such an address
    is never added to or made primary on ``user`` (an unconfirmed one proves nothing, so it does not block)."""
    return (
        User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists()
    )


def address_list(*, user):
    """The customer's addresses, the default first, then the newest."""
    return Address.objects.filter(user=user).order_by("-is_default", "-id")


def address_get(*, user, address_id):
    """One of the customer's addresses; ``AddressNotFound`` (a 404) for someone else's or a deleted one."""
    try:
        return Address.objects.get(user=user, pk=address_id)
    except Address.DoesNotExist:
        raise AddressNotFound() from None


def address_default(*, user):
    """The customer's default address, or None when they have none."""
    return Address.objects.filter(user=user, is_default=True).first()


def social_account_list(*, user):
    """The third-party accounts (Kakao) the customer can sign in with."""
    return user.socialaccount_set.order_by("provider", "pk")
