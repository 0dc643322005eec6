"""What sign-up asks beyond email and password: the name and mobile number checkout needs, and the consents a
Korean shop must collect (terms, collection and use of personal information, aged 14 or over; marketing is
optional).

allauth mixes this form into every sign-up form it has (ACCOUNT_SIGNUP_FORM_CLASS): the sign-up page, the
Kakao/Naver sign-up page, and the app's ``/_allauth/app/v1/auth/signup`` and ``/auth/provider/signup``, so the
same fields and the same rules apply everywhere. It imports nothing from allauth: allauth imports it while its
own forms module loads.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.inputs import korean_mobile_validator

from . import services

REQUIRED_CONSENT = _("You must agree to this to sign up.")


class SignupDetailsForm(forms.Form):
    # allauth orders its sign-up forms by this: who you are first, the consents last, just above the button.
    field_order = [
        "email",
        "password1",
        "password2",
        "name",
        "phone",
        "agree_terms",
        "agree_privacy",
        "agree_age",
        "agree_marketing",
    ]

    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=13,
        validators=[korean_mobile_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "010-1234-5678", "autocomplete": "tel"}),
    )
    agree_terms = forms.BooleanField(
        label=_("I agree to the terms of use (required)"), error_messages={"required": REQUIRED_CONSENT}
    )
    agree_privacy = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information (required)"),
        error_messages={"required": REQUIRED_CONSENT},
    )
    agree_age = forms.BooleanField(
        label=_("I am 14 years of age or older (required)"), error_messages={"required": REQUIRED_CONSENT}
    )
    agree_marketing = forms.BooleanField(
        label=_("Send me news and offers by email and text (optional)"), required=False
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        return name

    def signup(self, request, user):
        """allauth calls this once the new user is saved."""
        services.signup_details_save(
            user=user,
            name=self.cleaned_data["name"],
            phone=self.cleaned_data["phone"],
            marketing=self.cleaned_data.get("agree_marketing", False),
        )
