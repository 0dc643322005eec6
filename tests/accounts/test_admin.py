import pytest

from tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


def test_the_user_page_shows_addresses_read_only_so_the_one_default_rule_holds(client, staff_user):
    address = AddressFactory(is_default=True, recipient="이바다")
    client.force_login(staff_user)
    page = client.get(f"/admin/accounts/user/{address.user.id}/change/").content.decode()
    assert "이바다" in page
    assert 'name="addresses-0-is_default"' not in page
    assert 'name="addresses-0-recipient"' not in page
