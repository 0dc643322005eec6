"""Serializers every app's API shares."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The API's error shape (made by shop.api.exceptions), for the OpenAPI schema."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True, required=False)
