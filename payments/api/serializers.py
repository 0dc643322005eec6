from rest_framework import serializers

from ..forms import BANKS


class TossConfirmSerializer(serializers.Serializer):
    """What the app's Toss SDK hands back after the customer authenticated the payment."""

    paymentKey = serializers.RegexField(r"^[A-Za-z0-9_-]{1,200}$", max_length=200)
    orderId = serializers.RegexField(r"^[A-Za-z0-9_-]{6,64}$", max_length=64)
    amount = serializers.IntegerField(min_value=0, max_value=10**12)


class RefundAccountSerializer(serializers.Serializer):
    bank = serializers.ChoiceField(choices=[code for code, _ in BANKS if code])
    accountNumber = serializers.RegexField(r"^[0-9]{6,20}$")
    holderName = serializers.CharField(max_length=60)


class OrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    refund_account = RefundAccountSerializer(
        required=False, help_text="Needed only to refund a virtual account that was paid into (bank transfer)."
    )


class VirtualAccountSerializer(serializers.Serializer):
    bank = serializers.CharField()
    account_number = serializers.CharField()
    holder = serializers.CharField()
    due_date = serializers.DateTimeField(allow_null=True)


class PaymentSerializer(serializers.Serializer):
    payment_key = serializers.CharField()
    method = serializers.CharField()
    status = serializers.CharField(help_text="Toss's status: IN_PROGRESS, WAITING_FOR_DEPOSIT, DONE, CANCELED, ...")
    total_amount = serializers.IntegerField()
    balance_amount = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    receipt_url = serializers.CharField()
    virtual_account = VirtualAccountSerializer(allow_null=True)


class RefundLineSerializer(serializers.Serializer):
    order_line_id = serializers.IntegerField()
    product_name = serializers.CharField(source="order_line.product_name")
    quantity = serializers.IntegerField()


class RefundSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    status = serializers.CharField(help_text="requested, done or failed")
    is_full = serializers.BooleanField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    lines = RefundLineSerializer(many=True, source="lines.all")


class PaymentStateSerializer(serializers.Serializer):
    order_number = serializers.CharField(source="order.number")
    order_status = serializers.CharField(source="order.status")
    phase = serializers.CharField(
        help_text="payable (show the widget), processing (being confirmed; poll), waiting_for_deposit, or empty."
    )
    paid_amount = serializers.IntegerField()
    refunded_amount = serializers.IntegerField()
    balance_amount = serializers.IntegerField()
    payment = PaymentSerializer(allow_null=True)
    refunds = RefundSerializer(many=True)


class ConfirmResultSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="paid, waiting_for_deposit, processing (poll the payment) or refunded")
    payment = PaymentStateSerializer()
