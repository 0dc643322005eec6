"""Forms of the account pages: the profile and a shipping address (the services validate again on save)."""

from django import forms

from .models import Address, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "010-1234-5678"})}


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ["recipient", "phone", "postal_code", "address", "detail", "memo", "is_default"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "010-1234-5678"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "06236", "maxlength": 5}),
        }
