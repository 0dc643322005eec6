from rest_framework import serializers

from shop.inputs import IdSerializerField


class RestockCreateSerializer(serializers.Serializer):
    product_id = IdSerializerField()
    sku_id = IdSerializerField(required=False, allow_null=True, default=None, help_text="One sold-out option.")


class RestockSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
