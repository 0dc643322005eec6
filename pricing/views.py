"""The customer's 쿠폰함 page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import coupon_box


@login_required
def coupon_box_page(request):
    """Coupons issued to the customer that they can use now, ending soonest first."""
    return render(request, "pricing/coupon_box.html", {"coupons": coupon_box(user=request.user)})
