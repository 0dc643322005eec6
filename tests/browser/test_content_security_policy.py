"""The Content-Security-Policy, enforced by a real browser: the pages load everything they need and Chromium
reports no violation; staff reach the admin through the store's log-in and their authenticator code."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.accounts.test_admin_login import current_totp_code
from tests.factories import PASSWORD, ProductFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_log_in_with_a_second_factor_and_no_page_breaks_the_policy(page, shoot, settings):
    settings.STAFF_REQUIRE_MFA = True
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    product = ProductFactory(name="한울 노트북")
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    page.goto(product.get_absolute_url())
    page.goto("/admin/")
    page.get_by_label("이메일").fill("staff@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="로그인").click()
    page.locator("input[name=code]").fill(current_totp_code(secret))
    shoot("second-factor")
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/admin/")
    page.goto("/admin/catalog/product/")
    page.get_by_role("link", name="한울 노트북").click()
    page.wait_for_load_state("networkidle")
    shoot("admin-product")

    assert violations == []
