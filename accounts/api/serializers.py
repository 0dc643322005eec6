from rest_framework import serializers

from accounts.models import Address, User
from shop.inputs import BooleanSerializerField


class AddressSerializer(serializers.ModelSerializer):
    is_default = BooleanSerializerField(required=False)

    class Meta:
        model = Address
        fields = ["id", "recipient", "phone", "postal_code", "address", "detail", "memo", "is_default"]
        read_only_fields = ["id"]


class MeSerializer(serializers.ModelSerializer):
    addresses = AddressSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "phone", "addresses"]


class AccountCloseSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=4096, style={"input_type": "password"}
    )
