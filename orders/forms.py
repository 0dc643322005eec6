import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import selectors as address_selectors
from accounts.models import Address
from accounts.services import ADDRESS_FIELDS
from shop.inputs import IdFormField, QuantityFormField


class QuantityForm(forms.Form):
    quantity = QuantityFormField(label=_("Quantity"), min_value=0)


class AddToCartForm(forms.Form):
    """A SKU (the option the customer chose), or a product that has just one."""

    sku_id = IdFormField(label=_("Option"), required=False)
    product_id = IdFormField(widget=forms.HiddenInput, required=False)
    quantity = QuantityFormField(label=_("Quantity"), initial=1)

    def clean(self):
        data = super().clean()
        if data.get("sku_id") is None and data.get("product_id") is None:
            raise forms.ValidationError(_("Choose an option of this product."))
        return data


NEW_ADDRESS = "new"


def new_checkout_token() -> str:
    return secrets.token_urlsafe(16)


class BuyNowForm(forms.Form):
    """바로 구매: one SKU in a quantity, checked out on its own (the cart stays as it was)."""

    sku = IdFormField(widget=forms.HiddenInput)
    quantity = QuantityFormField(widget=forms.HiddenInput)


def address_choice_label(address) -> str:
    """A saved address as the checkout lists it: who, their phone, the postal code and the address."""
    return f"{address.recipient} · {address.phone} · ({address.postal_code}) {address.address} {address.detail}".strip()


class CheckoutForm(forms.ModelForm):
    """Pick a saved address or type a new one (validated like the address book's), optionally saving it, and a
    coupon: typed, or one from the customer's 쿠폰함 (``coupons``)."""

    choice = forms.ChoiceField(label=_("Ship to"), widget=forms.RadioSelect)
    save_address = forms.BooleanField(label=_("Save to my addresses"), required=False, initial=True)
    coupon_code = forms.CharField(label=_("Coupon code"), max_length=32, required=False)
    coupon_id = forms.TypedChoiceField(label=_("My coupons"), coerce=int, required=False, empty_value=None)
    # One per checkout page (nothing is stored until it places an order): a double click or a resubmission of
    # the page places the order once (orders.idempotency).
    token = forms.RegexField(
        regex=r"\A[A-Za-z0-9_-]{16,64}\Z",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This page is out of date: check your order and place it again."),
            "invalid": _("This page is out of date: check your order and place it again."),
        },
    )

    class Meta:
        model = Address
        fields = list(ADDRESS_FIELDS)

    def __init__(self, *args, user, coupons=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.saved = list(address_selectors.address_list(user=user))
        self.fields["choice"].choices = [(str(a.id), address_choice_label(a)) for a in self.saved] + [
            (NEW_ADDRESS, _("A new address"))
        ]
        self.fields["coupon_id"].choices = [("", _("No coupon"))] + [(c.id, str(c.name)) for c in coupons]
        self.fields["choice"].initial = str(self.saved[0].id) if self.saved else NEW_ADDRESS
        self.new_address_fields = [self[name] for name in self.Meta.fields]
        if not self.new_address_chosen:
            for name in self.Meta.fields:
                self.fields[name].required = False

    def _post_clean(self):
        # A saved address needs no validation of the empty new-address fields.
        if self.cleaned_data.get("choice") == NEW_ADDRESS:
            super()._post_clean()

    @property
    def new_address_chosen(self) -> bool:
        return self.data.get("choice", self.fields["choice"].initial) == NEW_ADDRESS

    def postal_code(self) -> str:
        """The postal code of the address chosen so far (for the shipping fee), or "" while it is not known."""
        choice = self.data.get("choice", self.fields["choice"].initial)
        if choice == NEW_ADDRESS:
            return (self.data.get("postal_code") or "").strip()[:5]
        return next((a.postal_code for a in self.saved if str(a.id) == choice), "")

    def coupon(self) -> dict:
        """The coupon asked for, as ``orders.services.checkout`` takes it."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {"coupon_code": data.get("coupon_code") or "", "coupon_id": data.get("coupon_id")}

    @property
    def page_token(self) -> str:
        """The token the page carries: the one it was posted with, or a new one if that was missing or bad."""
        if self.is_bound and "token" not in self.errors:
            return self.cleaned_data["token"]
        return new_checkout_token()

    def idempotency_key(self) -> str:
        return f"checkout:{self.cleaned_data['token']}"
