"""The customer's pages: email sign-up and log-in in the store's look, profile, shipping addresses."""

import pytest
from django.urls import reverse
from django_redis import get_redis_connection

from accounts.models import Address, User
from tests.accounts.conftest import ADDRESS_DATA, SIGNUP_DETAILS
from tests.factories import PASSWORD, AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS_FORM = {**ADDRESS_DATA, "detail": "101동 202호", "memo": ""}


@pytest.fixture
def customer(client):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    return user


def test_the_log_in_page_is_the_stores_korean_page(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "하늘마켓" in html  # the store's header, not allauth's bare layout
    assert "<h1>로그인</h1>" in html
    assert "비밀번호를 잊으셨나요?" in html


def test_a_customer_signs_up_with_email_and_is_logged_in_once_the_address_is_confirmed(client, confirmation_key):
    response = client.post(
        reverse("account_signup"),
        {"email": "New@Example.com", "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS},
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert client.get(reverse("accounts:profile")).status_code == 302

    client.post(reverse("account_confirm_email", args=[confirmation_key()]))

    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_customer_logs_in_and_out_with_email(client):
    UserFactory(email="me@example.com")

    assert client.post(reverse("account_login"), {"login": "me@example.com", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_wrong_password_shows_a_korean_form_error(client):
    UserFactory(email="me@example.com")

    response = client.post(reverse("account_login"), {"login": "me@example.com", "password": "wrong-password"})

    assert response.status_code == 200
    assert "이메일 또는 비밀번호가 올바르지 않습니다" in response.content.decode()


def test_mandatory_email_verification_sends_a_mail_and_waits_for_the_link(client, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(
        reverse("account_signup"),
        {"email": "verify@example.com", "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS},
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert mailoutbox[0].to == ["verify@example.com"]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_password_reset_mail_lets_the_customer_set_a_new_password(client, mailoutbox):
    user = UserFactory(email="forgot@example.com")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    link = next(word for word in mailoutbox[0].body.split() if "/password/reset/key/" in word)

    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": "brand-new-pass-7", "password2": "brand-new-pass-7"})

    user.refresh_from_db()
    assert user.check_password("brand-new-pass-7")


def test_a_customer_changes_their_password(client, customer):
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "brand-new-pass-7", "password2": "brand-new-pass-7"},
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("brand-new-pass-7")


def test_repeated_failed_log_ins_from_one_address_are_refused_even_with_the_right_password(client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "guess"})

    response = client.post(reverse("account_login"), {"login": "target@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.redis
def test_the_failed_log_in_counter_lives_in_redis_so_every_web_process_shares_it(client):
    UserFactory(email="target@example.com")

    client.post(reverse("account_login"), {"login": "target@example.com", "password": "guess"})

    assert get_redis_connection("default").keys("*allauth:rl:allauth.account:login_failed:*")


def test_the_header_links_to_profile_and_addresses_when_logged_in(client, customer):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("accounts:profile")}"' in html
    assert f'href="{reverse("accounts:address_list")}"' in html


def test_account_pages_need_a_log_in(client):
    response = client.get(reverse("accounts:address_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_profile_saves_name_and_phone(client, customer):
    response = client.post(reverse("accounts:profile"), {"name": "이서연", "phone": "010-2222-3333"})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.phone == "010-2222-3333"


def test_the_profile_shows_an_error_for_a_phone_that_is_not_a_korean_mobile(client, customer):
    response = client.post(reverse("accounts:profile"), {"name": "이서연", "phone": "02-123-4567"})

    assert response.status_code == 200
    assert "010-1234-5678 형식의 휴대폰 번호를 입력하세요." in response.content.decode()
    customer.refresh_from_db()
    assert customer.phone == ""


def test_adding_an_address_shows_it_in_the_list_as_default(client, customer):
    response = client.post(reverse("accounts:address_create"), ADDRESS_FORM, follow=True)

    html = response.content.decode()
    assert "부산광역시 해운대구 센텀로 1" in html
    assert "기본 배송지" in html
    assert Address.objects.get(user=customer).is_default


def test_a_bad_postal_code_keeps_what_the_customer_typed(client, customer):
    response = client.post(reverse("accounts:address_create"), {**ADDRESS_FORM, "postal_code": "4805"})

    html = response.content.decode()
    assert "5자리 우편번호를 입력하세요." in html
    assert "부산광역시 해운대구 센텀로 1" in html
    assert not Address.objects.exists()


def test_editing_an_address_saves_the_change(client, customer):
    address = AddressFactory(user=customer, is_default=True)

    client.post(reverse("accounts:address_update", args=[address.pk]), {**ADDRESS_FORM, "detail": "5층"})

    address.refresh_from_db()
    assert address.detail == "5층"


def test_making_another_address_the_default(client, customer):
    AddressFactory(user=customer, is_default=True)
    other = AddressFactory(user=customer)

    client.post(reverse("accounts:address_set_default", args=[other.pk]))

    assert list(Address.objects.filter(user=customer, is_default=True)) == [other]


def test_deleting_an_address(client, customer):
    address = AddressFactory(user=customer, is_default=True)

    client.post(reverse("accounts:address_delete", args=[address.pk]))

    assert not Address.objects.exists()


def test_deleting_an_address_asks_for_confirmation_first(client, customer):
    address = AddressFactory(user=customer, address="서울특별시 종로구 세종대로 1")

    listing = client.get(reverse("accounts:address_list")).content.decode()
    confirm = client.get(reverse("accounts:address_delete", args=[address.pk]))

    assert f'href="{reverse("accounts:address_delete", args=[address.pk])}"' in listing
    assert confirm.status_code == 200
    assert "배송지를 삭제할까요?" in confirm.content.decode()
    assert "서울특별시 종로구 세종대로 1" in confirm.content.decode()
    assert Address.objects.filter(pk=address.pk).exists()


def test_the_address_form_offers_the_postcode_search_and_allows_its_script(client, customer):
    for url in (
        reverse("accounts:address_create"),
        reverse("accounts:address_update", args=[AddressFactory(user=customer).pk]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert "https://t1.daumcdn.net/mapjsapi/bundle/postcode/prod/postcode.v2.js" in html
        assert "data-postcode-search" in html
        assert "https://t1.daumcdn.net" in response["Content-Security-Policy"]


def test_pages_without_an_address_form_do_not_load_the_postcode_script(client, customer):
    response = client.get(reverse("accounts:profile"))

    assert "daumcdn" not in response.content.decode()
    assert "daumcdn" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("address_update", "get"),
        ("address_update", "post"),
        ("address_delete", "get"),
        ("address_delete", "post"),
        ("address_set_default", "post"),
    ],
)
def test_someone_elses_address_is_a_404(client, customer, name, method):
    theirs = AddressFactory()

    response = getattr(client, method)(reverse(f"accounts:{name}", args=[theirs.pk]), ADDRESS_FORM)

    assert response.status_code == 404
    assert Address.objects.get(pk=theirs.pk).recipient == "김하늘"
