"""The strict parsers every URL, form and serializer goes through."""

import pytest

from shop.inputs import InvalidInput, parse_cursor, parse_id, parse_json, parse_local_url, parse_quantity


@pytest.mark.parametrize("value", ["1", "42", 7, str(2**63 - 1)])
def test_an_id_is_ascii_digits_within_64_bits(value):
    assert parse_id(value) == int(value)


@pytest.mark.parametrize("value", ["0", "-1", str(2**63), "١٢", "１２", "²", " 1", "1.0", "", None, True, 1.0, []])
def test_anything_else_is_not_an_id(value):
    with pytest.raises(InvalidInput):
        parse_id(value)


def test_a_quantity_is_bounded_by_the_line_limit(settings):
    assert parse_quantity("0", minimum=0) == 0
    assert parse_quantity(str(settings.CART_LINE_MAX_QUANTITY)) == settings.CART_LINE_MAX_QUANTITY
    with pytest.raises(InvalidInput):
        parse_quantity(str(settings.CART_LINE_MAX_QUANTITY + 1))


@pytest.mark.parametrize(("value", "parts"), [("0.12", 2), ("12", 1)])
def test_a_cursor_is_dotted_ascii_numbers(value, parts):
    assert parse_cursor(value, parts=parts) == tuple(int(p) for p in value.split("."))


@pytest.mark.parametrize("value", ["1", "1.2.3", "².1", "1.", ".1", "1.١"])
def test_anything_else_is_not_a_two_part_cursor(value):
    with pytest.raises(InvalidInput):
        parse_cursor(value, parts=2)


def test_json_deeper_than_the_limit_is_refused_as_deeply_as_python_could_parse_it():
    assert parse_json("[" * 32 + "]" * 32) is not None
    for depth in (33, 3000):
        with pytest.raises(InvalidInput):
            parse_json("[" * depth + "]" * depth)


@pytest.mark.parametrize("value", ["/cart/", "/products/가방/?a=1"])
def test_a_local_url_is_a_path_on_this_site(value):
    assert parse_local_url(value, allowed_hosts={"testserver"}) == value


@pytest.mark.parametrize("value", ["cart", "가방", "//evil.example/", "https://evil.example/", "", None])
def test_anything_else_is_not_a_local_url(value):
    with pytest.raises(InvalidInput):
        parse_local_url(value, allowed_hosts={"testserver"})


def test_a_json_boolean_field_takes_only_true_and_false():
    from rest_framework import serializers

    from shop.inputs import BooleanSerializerField

    class Flag(serializers.Serializer):
        on = BooleanSerializerField()

    assert Flag(data={"on": True}).is_valid()
    for value in (0, 1, "true", "yes", None):
        assert not Flag(data={"on": value}).is_valid(), value


def test_a_boolean_field_keeps_form_rules_for_form_data():
    from django.http import QueryDict
    from rest_framework import serializers

    from shop.inputs import BooleanSerializerField

    class Flag(serializers.Serializer):
        on = BooleanSerializerField()

    form = Flag(data=QueryDict("on=true"))
    assert form.is_valid() and form.validated_data["on"] is True
