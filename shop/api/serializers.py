"""Serializers every app's API shares."""

from functools import cache

from rest_framework import serializers


def represent(serializer_class, instance) -> dict:
    """What ``serializer_class(instance).data`` gives, for a serializer that reads no context, without building
    its fields again: DRF deep-copies every declared field (and each nested serializer's) for each serializer it
    makes, a tenth of an order request's CPU (bench/order_cost.py). ``to_representation`` keeps no state on the
    serializer, so one shared instance per class serves every request and thread."""
    return _shared(serializer_class).to_representation(instance)


@cache
def _shared(serializer_class):
    serializer = serializer_class()
    serializer.fields  # noqa: B018 - built once, here, rather than by the first requests racing each other
    return serializer


class ErrorSerializer(serializers.Serializer):
    """The API's error shape (made by shop.api.exceptions), for the OpenAPI schema."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True, required=False)
