"""Forms of the account pages: the profile and a shipping address (the services validate again on save)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Address, User
from .services import ADDRESS_FIELDS


class LoginForm(AllauthLoginForm):
    """allauth's log-in form; its Korean "Remember Me" reads "save my ID", which is not what the box does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in")


class ProfileForm(forms.ModelForm):
    marketing = forms.BooleanField(label=_("Send me news and offers by email and text (optional)"), required=False)

    class Meta:
        model = User
        fields = ["name", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "010-1234-5678"})}


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = [*ADDRESS_FIELDS, "is_default"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "010-1234-5678"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "06236", "maxlength": 5}),
        }


class AccountCloseForm(forms.Form):
    """회원 탈퇴: the password (an account without one confirms by a fresh log-in instead) and a deliberate tick."""

    password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label=_("I understand that closing my account cannot be undone."))

    def __init__(self, *args, needs_password=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_password:
            del self.fields["password"]
