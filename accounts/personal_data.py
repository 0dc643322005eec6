"""A customer's personal data: what the store holds about them (the export), closing the account (회원 탈퇴), and
erasing what the law made us keep once its time is up.

Closing keeps the user row as a tombstone (``closed_at`` set, inactive, no email, name, phone or password),
because the orders the e-commerce act makes us keep (contracts and payments 5 years, complaints 3) still point
at it; those orders are masked at once and erased by a beat task when ``ORDER_RECORD_RETENTION_DAYS`` after
they were placed have passed. The email address is freed at once: the same person can sign up again.

This module holds the services that reach into orders and payments; ``accounts.services`` cannot, because
``orders.services`` imports it.
"""

import time
from types import SimpleNamespace

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders import selectors as order_selectors
from orders import services as order_services
from payments import services as payment_services

from . import selectors
from .exceptions import AccountClosed, AccountHasOpenOrders, ReauthenticationRequired, TooManyAttempts
from .models import Address, Consent, User

CLOSED_EMAIL_DOMAIN = "closed.invalid"  # RFC 2606: never deliverable


def recently_logged_in(*, session, user) -> bool:
    """True when this session (the browser's, or the app token's) logged in within
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds: the fresh log-in an account without a password confirms itself
    with. Read from allauth's record of the session's authentications, which every log-in writes."""
    records = get_authentication_records(SimpleNamespace(session=session), user)
    timeout = getattr(settings, "ACCOUNT_REAUTHENTICATION_TIMEOUT", 300)
    return any(time.time() - record.get("at", 0) < timeout for record in records)


def reauthentication_attempt_count(request):
    """Counts one password confirmation against allauth's "reauthenticate" limit (10 a minute per user), so a
    stolen session cannot guess the password through closing the account. Raises ``TooManyAttempts`` past it."""
    if not ratelimit.consume(request, action="reauthenticate", user=request.user):
        raise TooManyAttempts()


def account_close_check(*, user, password=None, recently_authenticated=False):
    """Raises what stops ``user`` from closing the account now: the password is wrong (or, for an account
    without one, no fresh log-in), or orders are still in progress."""
    if user.is_closed:
        raise AccountClosed()
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ReauthenticationRequired()
    elif not recently_authenticated:
        raise ReauthenticationRequired()
    numbers = order_services.order_numbers_open(user=user)
    if numbers:
        raise AccountHasOpenOrders(numbers)


@transaction.atomic
def account_close(*, user, password=None, recently_authenticated=False, now=None):
    """Closes the customer's account (회원 탈퇴), after ``account_close_check``.

    Goes at once: log-in emails, Kakao/Naver links (with their tokens), authenticators, addresses and the cart;
    the name, phone, email and password. Every session and app token stops working on its next request (the
    password hash they carry no longer matches, and the user is inactive). Orders stay, their recipient, phone
    and address masked; the consents stay as the record of what was agreed, the marketing one withdrawn.
    """
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    account_close_check(user=user, password=password, recently_authenticated=recently_authenticated)
    order_services.order_personal_data_mask(user=user)
    order_services.cart_clear_for_user(user=user)
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Address.objects.filter(user=user).delete()
    Consent.objects.filter(user=user, kind=Consent.Kind.MARKETING, withdrawn_at__isnull=True).update(withdrawn_at=now)
    user.email = f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"
    user.name = ""
    user.phone = ""
    user.is_active = False
    user.closed_at = now
    user.set_unusable_password()
    user.save(update_fields=["email", "name", "phone", "is_active", "closed_at", "password"])
    return user


def closed_accounts_erase_expired(*, now=None, limit: int = 500) -> int:
    """Erases the orders (with their payments and refunds) of closed accounts whose retention period is over,
    then the closed accounts left with no order. Returns how many orders were erased. The beat task runs it."""
    order_ids = order_services.order_ids_past_retention(now=now, limit=limit)
    with transaction.atomic():
        payment_services.payment_records_erase(order_ids=order_ids)
        erased = order_services.order_records_erase(order_ids=order_ids)
        User.objects.filter(closed_at__isnull=False, orders__isnull=True).delete()
    return erased


def account_data_export(*, user) -> dict:
    """Everything the store holds about the customer, as JSON-ready data (the download on the profile page and
    ``GET /api/v1/me/data/``)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "emails": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "linked_accounts": [
            {"provider": row.provider, "uid": row.uid, "date_joined": row.date_joined.isoformat()}
            for row in selectors.social_account_list(user=user)
        ],
        "consents": [
            {
                "kind": row.kind,
                "version": row.version,
                "agreed_at": row.agreed_at.isoformat(),
                "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
            }
            for row in selectors.consent_list(user=user)
        ],
        "addresses": [
            {
                "recipient": row.recipient,
                "phone": row.phone,
                "postal_code": row.postal_code,
                "address": row.address,
                "detail": row.detail,
                "memo": row.memo,
                "is_default": row.is_default,
            }
            for row in selectors.address_list(user=user)
        ],
        "orders": order_selectors.order_export_for_user(user=user),
    }
