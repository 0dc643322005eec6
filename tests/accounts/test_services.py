"""Shipping address rules: one default whenever there is any address, only the owner's addresses change."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts import selectors, services
from accounts.exceptions import AddressNotFound
from accounts.models import Address
from tests.accounts.conftest import ADDRESS_DATA as FIELDS
from tests.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def _defaults(user):
    return list(Address.objects.filter(user=user, is_default=True))


def test_the_first_address_becomes_the_default(user):
    created = services.address_create(user=user, **FIELDS)

    assert created.is_default


def test_a_new_default_address_replaces_the_old_default(user):
    first = services.address_create(user=user, **FIELDS)

    second = services.address_create(user=user, **FIELDS, is_default=True)

    assert _defaults(user) == [second]
    first.refresh_from_db()
    assert not first.is_default


def test_a_new_address_that_is_not_default_leaves_the_default(user):
    first = services.address_create(user=user, **FIELDS)

    services.address_create(user=user, **FIELDS)

    assert _defaults(user) == [first]


def test_setting_the_default_leaves_exactly_one(user):
    services.address_create(user=user, **FIELDS)
    other = services.address_create(user=user, **FIELDS)

    services.address_set_default(user=user, address_id=other.pk)

    assert _defaults(user) == [other]


def test_deleting_the_default_promotes_the_newest_remaining_address(user):
    default = services.address_create(user=user, **FIELDS)
    services.address_create(user=user, **FIELDS)
    newest = services.address_create(user=user, **FIELDS)

    services.address_delete(user=user, address_id=default.pk)

    assert _defaults(user) == [newest]


def test_an_invalid_phone_or_postal_code_is_refused_and_nothing_is_saved(user):
    with pytest.raises(ValidationError) as error:
        services.address_create(user=user, **{**FIELDS, "phone": "02-123-4567", "postal_code": "1234"})

    assert set(error.value.message_dict) == {"phone", "postal_code"}
    assert not Address.objects.exists()


def test_an_update_changes_only_the_given_fields(user):
    address = services.address_create(user=user, **FIELDS, memo="문 앞에 놓아주세요")

    services.address_update(user=user, address_id=address.pk, detail="101동 202호")

    address.refresh_from_db()
    assert (address.detail, address.memo) == ("101동 202호", "문 앞에 놓아주세요")


def test_someone_elses_address_cannot_be_changed_or_deleted(user):
    theirs = AddressFactory()

    for change in (
        lambda: services.address_update(user=user, address_id=theirs.pk, recipient="도둑"),
        lambda: services.address_delete(user=user, address_id=theirs.pk),
        lambda: services.address_set_default(user=user, address_id=theirs.pk),
        lambda: selectors.address_get(user=user, address_id=theirs.pk),
    ):
        with pytest.raises(AddressNotFound):
            change()
    theirs.refresh_from_db()
    assert theirs.recipient == "김하늘"


def test_the_default_address_selector_finds_it(user):
    services.address_create(user=user, **FIELDS)
    default = services.address_create(user=user, **FIELDS, is_default=True)

    assert selectors.address_default(user=user) == default
    assert selectors.address_list(user=user)[0] == default


def test_the_profile_keeps_a_valid_korean_mobile_number(user):
    services.profile_update(user=user, name="이서연", phone="010-2222-3333")

    user.refresh_from_db()
    assert (user.name, user.phone) == ("이서연", "010-2222-3333")


def test_the_profile_refuses_a_phone_that_is_not_a_korean_mobile(user):
    with pytest.raises(ValidationError):
        services.profile_update(user=user, name="이서연", phone="+1 555 0100")


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_default_changes_leave_exactly_one_default():
    """MariaDB cannot enforce the conditional unique constraint; the per-customer lock must."""
    user = UserFactory()
    addresses = [services.address_create(user=user, **FIELDS) for _ in range(6)]
    barrier = threading.Barrier(len(addresses))
    errors = []

    def make_default(address):
        try:
            barrier.wait()
            services.address_set_default(user=user, address_id=address.pk)
        except Exception as exc:  # collected and asserted below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_default, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(_defaults(user)) == 1
