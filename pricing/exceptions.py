"""Why a coupon cannot be used (``shop.exceptions.DomainError``, so pages and the API say it the usual way)."""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError


class CouponError(DomainError):
    code = "coupon_invalid"
    message = _("This coupon cannot be used.")
    http_status = 400


class CouponNotFound(CouponError):
    code = "coupon_not_found"
    message = _("There is no such coupon.")


class CouponNotValidNow(CouponError):
    code = "coupon_not_valid_now"
    message = _("This coupon is not valid now.")


class CouponUsedUp(CouponError):
    code = "coupon_used_up"
    message = _("This coupon has been used up.")
    http_status = 409


class CouponAlreadyUsed(CouponError):
    code = "coupon_already_used"
    message = _("You have already used this coupon.")
    http_status = 409


class CouponNotApplicable(CouponError):
    code = "coupon_not_applicable"
    message = _("This coupon does not apply to anything in your order.")


class CouponMinimumNotMet(CouponError):
    code = "coupon_minimum_not_met"

    def __init__(self, minimum: int):
        super().__init__(minimum)
        self.minimum = minimum

    @property
    def message(self):
        return _("This coupon needs an order of at least %(amount)s won.") % {"amount": f"{self.minimum:,}"}

    def details(self):
        return {"minimum": self.minimum}
