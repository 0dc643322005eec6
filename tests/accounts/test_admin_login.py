"""Staff log in through allauth's log-in (its brute-force limits) and, when required, with a second factor."""

import io

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def current_totp_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_the_admin_log_in_form_sends_staff_to_the_stores_log_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_passwords_posted_to_the_admin_log_in_are_never_checked(client):
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)

    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_guessing_a_staff_password_is_refused_with_429_like_any_customer(client):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "staff@example.com", "password": "guess"})

    response = client.post(reverse("account_login"), {"login": "staff@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_staff_without_a_second_factor_are_sent_to_set_one_up_when_it_is_required(client, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/", follow=True)

    # (allauth first asks for the password again: setting up a factor needs a recent log-in)
    assert reverse("mfa_activate_totp") in [url for url, _ in response.redirect_chain]
    assert response.status_code == 200


def test_staff_set_up_an_authenticator_and_then_use_the_admin(client, settings):
    settings.STAFF_REQUIRE_MFA = True
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": "staff@example.com", "password": PASSWORD})

    sent = client.get("/admin/", follow=True)
    # Setting up a factor asks for the password again (allauth's rule for account-sensitive changes).
    assert [url for url, _ in sent.redirect_chain][:2] == ["/admin/login/?next=/admin/", reverse("mfa_activate_totp")]
    setup = client.post(sent.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert setup.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "data:image/svg+xml;base64," in setup.content.decode()  # the QR code (img-src allows data:)
    secret = setup.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})

    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_staff_log_in_to_the_admin_with_password_and_authenticator_code(client, settings):
    settings.STAFF_REQUIRE_MFA = True
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    logged = client.post(
        reverse("account_login"), {"login": "staff@example.com", "password": PASSWORD, "next": "/admin/"}
    )
    assert logged["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # the password alone is not enough

    done = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})

    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_second_factor_use_the_admin_when_it_is_not_required(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 200


def test_the_demo_staff_account_logs_in_to_the_admin(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_staff", stdout=io.StringIO())
    password = (tmp_path / "demo-staff.txt").read_text()

    logged = client.post(
        reverse("account_login"), {"login": "admin@example.com", "password": password, "next": "/admin/"}
    )

    assert logged["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
