from rest_framework import serializers


class CouponSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Pass as coupon_id when placing an order.")
    name = serializers.CharField()
    kind = serializers.CharField(help_text="fixed or percent.")
    value = serializers.IntegerField(help_text="Won for fixed; percent for percent.")
    max_discount = serializers.IntegerField(allow_null=True)
    min_order_amount = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
