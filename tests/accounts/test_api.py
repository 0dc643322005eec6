"""The mobile app's address endpoints and /me, authenticated with the session token."""

import pytest

from accounts.models import Address
from tests.accounts.conftest import ADDRESS_DATA
from tests.factories import PASSWORD, AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESSES = "/api/v1/addresses/"


@pytest.fixture
def customer(app_client):
    user = UserFactory(email="app@example.com")
    login = app_client.post("/_allauth/app/v1/auth/login", {"email": user.email, "password": PASSWORD})
    app_client.token = login.json()["meta"]["session_token"]
    return user


def test_me_lists_the_customer_and_their_addresses_default_first(app_client, customer):
    AddressFactory(user=customer, detail="예전 집")
    default = AddressFactory(user=customer, is_default=True)

    body = app_client.get("/api/v1/me/").json()

    assert body["email"] == "app@example.com"
    assert [a["id"] for a in body["addresses"]][0] == default.id
    assert len(body["addresses"]) == 2


def test_creating_the_first_address_makes_it_the_default(app_client, customer):
    response = app_client.post(ADDRESSES, ADDRESS_DATA)

    assert response.status_code == 201
    assert response.json()["is_default"] is True


def test_a_bad_postal_code_is_a_400_with_the_field_named(app_client, customer):
    response = app_client.post(ADDRESSES, {**ADDRESS_DATA, "postal_code": "123"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "postal_code" in body["details"]
    assert body["message"] == "5자리 우편번호를 입력하세요."


def test_the_list_has_only_the_customers_addresses(app_client, customer):
    mine = AddressFactory(user=customer, is_default=True)
    AddressFactory()

    assert [a["id"] for a in app_client.get(ADDRESSES).json()] == [mine.id]


def test_an_address_is_updated_in_part(app_client, customer):
    address = AddressFactory(user=customer, is_default=True)

    response = app_client.patch(f"{ADDRESSES}{address.id}/", {"detail": "5층"})

    assert response.status_code == 200
    assert response.json()["detail"] == "5층"
    assert response.json()["recipient"] == address.recipient


def test_an_address_is_replaced_in_full(app_client, customer):
    address = AddressFactory(user=customer, is_default=True)

    response = app_client.put(f"{ADDRESSES}{address.id}/", {**ADDRESS_DATA, "memo": "경비실"})

    assert response.status_code == 200
    address.refresh_from_db()
    assert (address.recipient, address.memo) == ("박민수", "경비실")


def test_set_default_moves_the_default(app_client, customer):
    AddressFactory(user=customer, is_default=True)
    other = AddressFactory(user=customer)

    response = app_client.post(f"{ADDRESSES}{other.id}/set-default/")

    assert response.status_code == 200
    assert list(Address.objects.filter(user=customer, is_default=True)) == [other]


def test_deleting_an_address(app_client, customer):
    address = AddressFactory(user=customer, is_default=True)

    assert app_client.delete(f"{ADDRESSES}{address.id}/").status_code == 204
    assert not Address.objects.exists()


@pytest.mark.parametrize("call", ["get", "patch", "delete", "set-default"])
def test_someone_elses_address_is_a_404(app_client, customer, call):
    theirs = AddressFactory()
    url = f"{ADDRESSES}{theirs.id}/"

    if call == "get":
        response = app_client.get(url)
    elif call == "patch":
        response = app_client.patch(url, {"recipient": "도둑"})
    elif call == "delete":
        response = app_client.delete(url)
    else:
        response = app_client.post(f"{url}set-default/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Address.objects.get(pk=theirs.pk).recipient == "김하늘"


def test_addresses_need_a_token(app_client):
    response = app_client.get(ADDRESSES)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_schema_documents_the_session_token_and_error_responses(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    assert schema["components"]["securitySchemes"]["SessionToken"]["name"] == "X-Session-Token"
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"SessionToken": []} in me["security"]
    assert "401" in me["responses"]
    assert "404" in schema["paths"]["/api/v1/addresses/{id}/"]["delete"]["responses"]
