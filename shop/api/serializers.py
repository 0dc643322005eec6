"""Serializers every app's API shares."""

from functools import cache

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings


def represent(serializer_class, instance) -> dict:
    """What ``serializer_class(instance).data`` gives, for a serializer that reads no context, without building
    its fields again: DRF deep-copies every declared field (and each nested serializer's) for each serializer it
    makes, a tenth of an order request's CPU (bench/order_cost.py). ``to_representation`` keeps no state on the
    serializer, so one shared instance per class serves every request and thread."""
    return _shared(serializer_class).to_representation(instance)


def validated(serializer_class, data) -> dict:
    """What ``serializer_class(data=data)``'s ``is_valid(raise_exception=True)`` then ``validated_data`` give,
    the same errors included, through the shared instance (see ``represent``): for a serializer whose
    validation reads no context, instance or ``initial_data``, which ``run_validation`` keeps no state for."""
    try:
        return _shared(serializer_class).run_validation(data)
    except ValidationError as exc:
        detail = exc.detail
        # ``Serializer.errors``' one rewrite: no body at all says so, rather than "may not be null".
        if isinstance(detail, list) and len(detail) == 1 and getattr(detail[0], "code", None) == "null":
            detail = {api_settings.NON_FIELD_ERRORS_KEY: [ErrorDetail("No data provided", code="null")]}
        raise ValidationError(detail) from None


@cache
def _shared(serializer_class):
    serializer = serializer_class()
    _build_fields(serializer)
    return serializer


def _build_fields(serializer):
    """Build every nested serializer's fields now, once, rather than in the first requests racing each other."""
    if isinstance(serializer, serializers.ListSerializer):
        _build_fields(serializer.child)
    elif isinstance(serializer, serializers.Serializer):
        for field in serializer.fields.values():
            _build_fields(field)


class ErrorSerializer(serializers.Serializer):
    """The API's error shape (made by shop.api.exceptions), for the OpenAPI schema."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True, required=False)
