from rest_framework import serializers

from shop.inputs import (
    IdSerializerField,
    QuantitySerializerField,
    korean_mobile_validator,
    postal_code_validator,
)


class CartProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    price = serializers.IntegerField()
    status = serializers.CharField()


class CartSkuSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    options = serializers.CharField(source="option_label", help_text="The option values, e.g. 블랙 / 260.")
    price = serializers.IntegerField(help_text="The product's price with this option's difference.")
    stock = serializers.IntegerField(source="available", help_text="How many can be bought now.")


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = CartProductSerializer()
    sku = CartSkuSerializer()
    quantity = serializers.IntegerField()
    line_total = serializers.IntegerField()
    off_sale = serializers.BooleanField(help_text="The product is no longer on sale: remove the line to check out.")
    short = serializers.BooleanField(help_text="Fewer are left than the line asks for.")


class CartSerializer(serializers.Serializer):
    lines = CartLineSerializer(many=True)
    subtotal = serializers.IntegerField(help_text="The goods at today's prices (sale prices while on).")
    shipping_fee = serializers.IntegerField(
        source="quote.shipping_fee", help_text="Before the address is known: without a 제주·도서산간 surcharge."
    )
    free_shipping_remaining = serializers.IntegerField(
        source="quote.free_shipping_remaining", help_text="Won more to add for free shipping; 0 when it is free."
    )
    total = serializers.IntegerField(help_text="Goods plus the shipping fee.")
    count = serializers.IntegerField()
    has_problems = serializers.BooleanField()


class SkuOrProductSerializer(serializers.Serializer):
    sku_id = IdSerializerField(required=False, help_text="The SKU (option) to buy.")
    product_id = IdSerializerField(
        required=False, help_text="Instead of sku_id, for a product with one SKU (no options)."
    )

    def validate(self, attrs):
        if ("sku_id" in attrs) == ("product_id" in attrs):
            raise serializers.ValidationError({"sku_id": "Give exactly one of sku_id and product_id."})
        return attrs


class CartItemCreateSerializer(SkuOrProductSerializer):
    quantity = QuantitySerializerField()


class CartItemUpdateSerializer(serializers.Serializer):
    quantity = QuantitySerializerField(min_value=0)


class OrderLineInputSerializer(SkuOrProductSerializer):
    quantity = QuantitySerializerField()


class AddressInputSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=13, validators=[korean_mobile_validator])
    postal_code = serializers.CharField(max_length=5, validators=[postal_code_validator])
    address = serializers.CharField(max_length=200)
    detail = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    memo = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


ORDER_LINES_MAX = 50


class OrderCreateSerializer(serializers.Serializer):
    lines = OrderLineInputSerializer(many=True, allow_empty=False, max_length=ORDER_LINES_MAX)
    address_id = IdSerializerField(required=False, help_text="One of the customer's saved addresses.")
    address = AddressInputSerializer(required=False, help_text="A new address, copied into the order.")
    coupon_code = serializers.CharField(max_length=32, required=False, allow_blank=True, help_text="A typed code.")
    coupon_id = IdSerializerField(required=False, help_text="Or a coupon from the customer's coupon box.")

    def validate(self, attrs):
        if attrs.get("coupon_code") and "coupon_id" in attrs:
            raise serializers.ValidationError({"coupon_code": "Give at most one of coupon_code and coupon_id."})
        if ("address_id" in attrs) == ("address" in attrs):
            raise serializers.ValidationError({"address": "Give exactly one of address_id and address."})
        return attrs


class OrderLineSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku_id = serializers.IntegerField()
    product_name = serializers.CharField()
    option_label = serializers.CharField(help_text="The option values when ordered; empty without options.")
    unit_price = serializers.IntegerField()
    quantity = serializers.IntegerField()
    line_total = serializers.IntegerField()
    discount_share = serializers.IntegerField(help_text="The line's part of the order's coupon discount.")
    refunded_quantity = serializers.IntegerField()


class OrderEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class ShippingSerializer(serializers.Serializer):
    recipient = serializers.CharField()
    phone = serializers.CharField()
    postal_code = serializers.CharField()
    address = serializers.CharField()
    detail = serializers.CharField(source="address_detail")
    memo = serializers.CharField()


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    subtotal = serializers.IntegerField()
    discount = serializers.IntegerField()
    shipping_fee = serializers.IntegerField()
    total = serializers.IntegerField(help_text="subtotal - discount + shipping_fee: what is paid.")
    created_at = serializers.DateTimeField()
    lines = OrderLineSerializer(many=True, source="line_list")


class OrderSerializer(OrderSummarySerializer):
    shipping = ShippingSerializer(source="*")
    tracking_number = serializers.CharField()
    courier = serializers.CharField(
        help_text="A courier code (cj, lotte, hanjin, epost, logen...); empty before shipping."
    )
    tracking_url = serializers.CharField(help_text="The courier's tracking page; empty before shipping.")
    can_cancel = serializers.BooleanField()
    history = OrderEventSerializer(many=True, source="event_list")


class OrderPageSerializer(serializers.Serializer):
    results = OrderSummarySerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Pass as ?after= for the next page; null at the end.")
