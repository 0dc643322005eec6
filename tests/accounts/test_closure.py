"""회원 탈퇴 and personal data: closing the account (page and app), what goes at once and what stays masked, the
erasure when the retention period ends, and the JSON export."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data
from accounts.exceptions import AccountHasOpenOrders, ReauthenticationRequired
from accounts.models import Address, User
from orders.models import CartItem, Order
from payments.models import Payment
from tests.accounts.conftest import SIGNUP_DETAILS
from tests.factories import PASSWORD, AddressFactory, OrderFactory, SkuFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
CLOSE = "/api/v1/me/close/"
DATA = "/api/v1/me/data/"
ME = "/api/v1/me/"


def _delivered_order(user, **fields):
    return OrderFactory(user=user, status=Order.Status.DELIVERED, **fields)


def _customer_with_everything():
    user = UserFactory(email="leaving@example.com", name="김하늘", phone="010-1234-5678")
    AddressFactory(user=user)
    SocialAccount.objects.create(user=user, provider="kakao", uid="9001")
    CartItem.objects.create(user=user, sku=SkuFactory(), quantity=1)
    return user


def test_closing_from_the_profile_page_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:close"), {"password": "wrong-password", "confirm": "on"})

    assert response.status_code == 200
    assert "본인 확인이 필요합니다" in response.content.decode()
    user.refresh_from_db()
    assert user.closed_at is None


def test_closing_from_the_profile_page_removes_personal_data_and_logs_out(client):
    user = _customer_with_everything()
    order = _delivered_order(user)
    client.force_login(user)

    response = client.post(reverse("accounts:close"), {"password": PASSWORD, "confirm": "on"})

    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.closed_at is not None and not user.is_active
    assert (user.name, user.phone) == ("", "")
    assert user.email.endswith("@closed.invalid")
    assert not user.has_usable_password()
    assert not Address.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not CartItem.objects.filter(user=user).exists()
    order.refresh_from_db()
    assert (order.recipient, order.phone, order.postal_code, order.address) == ("***", "***", "", "***")
    assert order.total == 12900  # the record of the contract stays
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out


def test_an_account_with_orders_in_progress_cannot_be_closed(client):
    user = UserFactory()
    OrderFactory(user=user, status=Order.Status.SHIPPED, number="20261201-00000001")

    with pytest.raises(AccountHasOpenOrders) as raised:
        personal_data.account_close(user=user, password=PASSWORD)

    assert raised.value.details() == {"orders": ["20261201-00000001"]}
    user.refresh_from_db()
    assert user.closed_at is None


def test_a_social_only_account_closes_only_after_a_fresh_log_in(db):
    user = UserFactory(password=None)
    user.set_unusable_password()
    user.save()

    with pytest.raises(ReauthenticationRequired):
        personal_data.account_close(user=user, recently_authenticated=False)

    personal_data.account_close(user=user, recently_authenticated=True)
    user.refresh_from_db()
    assert user.closed_at is not None


def test_a_social_only_customer_is_asked_to_log_in_again_on_the_page(client):
    user = UserFactory(password=None)
    user.set_unusable_password()
    user.save()
    client.force_login(user)  # no allauth log-in record: not a fresh log-in

    response = client.get(reverse("accounts:close"))

    assert not response.context["fresh"]
    assert 'name="password"' not in response.content.decode()


def test_a_closed_accounts_email_can_sign_up_again(client):
    user = UserFactory(email="again@example.com")
    personal_data.account_close(user=user, password=PASSWORD)

    client.post(
        reverse("account_signup"),
        {"email": "again@example.com", "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS},
    )

    assert User.objects.filter(email="again@example.com", closed_at__isnull=True).exists()


def test_the_app_closes_the_account_with_the_password_and_its_token_stops_working(app_client):
    user = _customer_with_everything()
    login = app_client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    app_client.token = login.json()["meta"]["session_token"]

    wrong = app_client.post(CLOSE, {"password": "nope"})
    done = app_client.post(CLOSE, {"password": PASSWORD})

    assert wrong.status_code == 401
    assert wrong.json()["code"] == "reauthentication_required"
    assert done.status_code == 204
    assert app_client.get(ME).status_code == 401
    assert app_client.post(LOGIN, {"email": "leaving@example.com", "password": PASSWORD}).status_code == 400


def test_the_app_gets_a_409_naming_the_orders_in_progress(app_client):
    user = UserFactory()
    OrderFactory(user=user, status=Order.Status.PAID, number="20261201-00000002")
    app_client.token = app_client.post(LOGIN, {"email": user.email, "password": PASSWORD}).json()["meta"][
        "session_token"
    ]

    response = app_client.post(CLOSE, {"password": PASSWORD})

    assert response.status_code == 409
    assert response.json() == {
        "code": "open_orders",
        "message": response.json()["message"],
        "details": {"orders": ["20261201-00000002"]},
    }


def test_an_app_log_in_counts_as_fresh_for_its_session_token(app_client):
    """What lets an account without a password close from the app: a log-in (provider/token records it the
    same way) within the last minutes, read from the token's own session."""
    user = UserFactory()
    app_client.token = app_client.post(LOGIN, {"email": user.email, "password": PASSWORD}).json()["meta"][
        "session_token"
    ]
    assert personal_data.recently_logged_in(session=_session_of(app_client.token), user=user)


def _session_of(token):
    from allauth.headless.internal import sessionkit

    return sessionkit.lookup_session(token)


def test_the_beat_task_erases_closed_accounts_orders_after_the_retention_period(settings):
    settings.ORDER_RECORD_RETENTION_DAYS = 1827
    user = UserFactory()
    old = _delivered_order(user)
    recent = _delivered_order(user)
    Payment.objects.create(order=old, payment_key="pk-old", total_amount=12900, balance_amount=12900)
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1828))
    personal_data.account_close(user=user, password=PASSWORD)
    open_customer_order = _delivered_order(UserFactory())
    Order.objects.filter(pk=open_customer_order.pk).update(created_at=timezone.now() - timedelta(days=4000))

    from accounts.tasks import erase_expired_records

    assert erase_expired_records() >= 1
    assert not Order.objects.filter(pk=old.pk).exists()
    assert not Payment.objects.filter(payment_key="pk-old").exists()
    assert Order.objects.filter(pk=recent.pk).exists()
    assert Order.objects.filter(pk=open_customer_order.pk).exists()  # only closed accounts' orders go
    assert User.objects.filter(pk=user.pk).exists()  # still has a kept order

    Order.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=1828))
    erase_expired_records()
    assert not User.objects.filter(pk=user.pk).exists()


def test_staff_see_a_closed_account_as_closed_in_the_admin(admin_client):
    user = UserFactory()
    personal_data.account_close(user=user, password=PASSWORD)

    listing = admin_client.get(reverse("admin:accounts_user_changelist") + "?closed=yes").content.decode()

    assert f"closed-{user.pk}@closed.invalid" in listing
    assert "탈퇴" in listing


def test_the_data_download_holds_profile_consents_addresses_and_orders(client):
    user = _customer_with_everything()
    _delivered_order(user, number="20261201-00000003")
    client.force_login(user)

    response = client.get(reverse("accounts:data"))

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "leaving@example.com"
    assert data["addresses"][0]["recipient"] == "김하늘"
    assert data["linked_accounts"][0]["provider"] == "kakao"
    assert data["orders"][0]["number"] == "20261201-00000003"


def test_the_app_downloads_the_same_data(app_client):
    user = _customer_with_everything()
    app_client.token = app_client.post(LOGIN, {"email": user.email, "password": PASSWORD}).json()["meta"][
        "session_token"
    ]

    response = app_client.get(DATA)

    assert response.status_code == 200
    assert response.json()["account"]["name"] == "김하늘"


def test_the_data_download_needs_a_log_in(client, app_client):
    assert client.get(reverse("accounts:data")).status_code == 302
    assert app_client.get(DATA).status_code == 401


def test_guessing_the_password_through_closing_is_rate_limited(app_client):
    user = UserFactory()
    app_client.token = app_client.post(LOGIN, {"email": user.email, "password": PASSWORD}).json()["meta"][
        "session_token"
    ]

    answers = [app_client.post(CLOSE, {"password": f"guess-{n}"}).status_code for n in range(11)]

    assert answers[:10] == [401] * 10
    assert answers[10] == 429
    user.refresh_from_db()
    assert user.closed_at is None
