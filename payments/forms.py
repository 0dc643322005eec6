"""Forms of the payment pages: Toss's return parameters, cancel with refund, and staff refunds."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Toss's orderId is 6-64 characters of A-Za-z0-9-_; our order numbers are a subset.
ORDER_NUMBER = RegexValidator(r"^[A-Za-z0-9_-]{6,64}$", _("Not an order number."))
PAYMENT_KEY = RegexValidator(r"^[A-Za-z0-9_-]{1,200}$", _("Not a payment key."))
DIGITS = RegexValidator(r"^[0-9]{1,12}$", _("Not an amount."))
BANK_ACCOUNT = RegexValidator(r"^[0-9]{6,20}$", _("Enter the account number as digits only."))
# Toss's bank codes for refunds to a bank account (the common ones).
BANKS = [
    ("", "---------"),
    ("KOOKMIN", _("KB Kookmin Bank")),
    ("SHINHAN", _("Shinhan Bank")),
    ("WOORI", _("Woori Bank")),
    ("HANA", _("Hana Bank")),
    ("NONGHYEOP", _("NH NongHyup Bank")),
    ("IBK", _("IBK Industrial Bank")),
    ("KAKAOBANK", _("KakaoBank")),
    ("TOSSBANK", _("Toss Bank")),
    ("KBANK", _("K Bank")),
    ("SC", _("SC First Bank")),
    ("BUSAN", _("Busan Bank")),
    ("DAEGU", _("iM Bank (Daegu)")),
    ("POST", _("Korea Post")),
]


class TossReturnForm(forms.Form):
    """The query string Toss's widget appends to ``successUrl``."""

    orderId = forms.CharField(validators=[ORDER_NUMBER])
    paymentKey = forms.CharField(max_length=200, validators=[PAYMENT_KEY])
    amount = forms.CharField(validators=[DIGITS])

    def cleaned(self):
        data = self.cleaned_data
        return {"order_number": data["orderId"], "payment_key": data["paymentKey"], "amount": int(data["amount"])}


class RefundAccountForm(forms.Form):
    """Where a deposited virtual account's money goes back to (Toss's refundReceiveAccount)."""

    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    bank = forms.ChoiceField(label=_("Bank"), choices=BANKS, required=False)
    account_number = forms.CharField(
        label=_("Account number"), max_length=20, required=False, validators=[BANK_ACCOUNT]
    )
    holder_name = forms.CharField(label=_("Account holder"), max_length=60, required=False)

    def refund_account(self):
        data = self.cleaned_data
        if not (data.get("bank") and data.get("account_number") and data.get("holder_name")):
            return None
        return {"bank": data["bank"], "accountNumber": data["account_number"], "holderName": data["holder_name"]}
