"""Serializers every app's API shares."""

from collections.abc import Mapping
from functools import cache

from django.db.models.manager import BaseManager
from rest_framework import fields, serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings


def represent(serializer_class, instance) -> dict:
    """What ``serializer_class(instance).data`` gives, for a serializer that reads no context, without DRF's work
    per field on every call: DRF deep-copies every declared field (and each nested serializer's) for each
    serializer it makes, then asks each field for its attribute through a general lookup (a tenth of an order
    request's CPU: bench/order_cost.py). Here the fields are built once (one shared instance per class) and
    walked once into a plan (``_Plan``) that reads each attribute directly and converts it with the field's own
    ``to_representation``; whatever the plan does not cover goes through the field's own DRF code. Nothing keeps
    state between calls, so every request and thread shares the plan."""
    return _plan(serializer_class).represent(instance)


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
def _plan(serializer_class) -> "_Plan":
    return _Plan(_shared(serializer_class))


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


# Fields whose ``to_representation`` is exactly this builtin (DRF's own is ``return str(value)`` / ``int(value)``).
_BUILTIN_CONVERSIONS = {serializers.CharField: str, serializers.IntegerField: int}


class _Plan:
    """A serializer's ``to_representation`` worked out once: for each readable field, in order, its name, its
    attribute path and how to convert the value (a nested plan, or the field's own ``to_representation``).

    The same result as DRF's, step for step: an attribute path is followed with ``getattr``; a value that is
    callable, a mapping on the way, or any error (a missing attribute, ``ObjectDoesNotExist``) hands the field to
    DRF's own ``field.get_attribute`` (which calls simple callables, reads mappings, applies defaults and
    ``SkipField``); ``None`` stays ``None``; a field that reads its attribute its own way (a method field, a
    related field) and a serializer with its own ``to_representation`` are asked as DRF asks them."""

    def __init__(self, serializer):
        self.steps = []
        self.own = None
        if type(serializer).to_representation is not serializers.Serializer.to_representation:
            self.own = serializer.to_representation
            return
        for field in serializer._readable_fields:
            # None: the field reads its attribute its own way, so DRF's lookup asks it.
            own_lookup = type(field).get_attribute is not fields.Field.get_attribute
            attrs = None if own_lookup else tuple(field.source_attrs)
            self.steps.append((field.field_name, attrs, field, self._converter(field)))

    @staticmethod
    def _converter(field):
        if isinstance(field, serializers.ListSerializer):
            if type(field).to_representation is not serializers.ListSerializer.to_representation:
                return field.to_representation
            child = _Plan(field.child).represent
            return lambda data: [child(item) for item in (data.all() if isinstance(data, BaseManager) else data)]
        if isinstance(field, serializers.BaseSerializer):
            return _Plan(field).represent
        return _BUILTIN_CONVERSIONS.get(type(field)) or field.to_representation

    def represent(self, instance) -> dict:
        if self.own is not None:
            return self.own(instance)
        representation = {}
        for name, attrs, field, convert in self.steps:
            value = instance
            try:
                if attrs is None:
                    raise _AskTheField
                for attr in attrs:
                    if isinstance(value, Mapping):
                        raise _AskTheField
                    value = getattr(value, attr)
                    if callable(value):  # DRF calls a simple callable at any step of the path
                        raise _AskTheField
            except Exception:
                try:
                    value = field.get_attribute(instance)
                except fields.SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            representation[name] = None if value is None else convert(value)
        return representation


class _AskTheField(Exception):
    """The plan does not cover this field's lookup: DRF's ``field.get_attribute`` does it."""


class ErrorSerializer(serializers.Serializer):
    """The API's error shape (made by shop.api.exceptions), for the OpenAPI schema."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True, required=False)
