"""Storefront pages of the cart, the checkout and the customer's orders."""

from urllib.parse import urlencode

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.exceptions import OutOfStock
from pricing.quotes import checkout_quote
from pricing.selectors import coupon_box
from shop import inputs
from shop.errors import error_message
from shop.exceptions import DomainError

from . import cart as carts
from . import idempotency, selectors, services
from .exceptions import EmptyOrder, ProductNotFound
from .forms import NEW_ADDRESS, AddToCartForm, BuyNowForm, CheckoutForm, QuantityForm
from .models import Order

# A checkout token stands for "this cart, from this page": any repeat of it goes to the order it made.
CHECKOUT_FINGERPRINT = idempotency.request_fingerprint(scope="checkout")


def _back(request, fallback):
    try:
        return HttpResponseRedirect(
            inputs.parse_local_url(request.POST.get("next"), allowed_hosts={request.get_host()})
        )
    except inputs.InvalidInput:
        return redirect(fallback)


def cart_detail(request):
    cart = carts.cart_view(cart=carts.cart_for(request))
    return render(request, "orders/cart.html", {"cart": cart})


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        if "quantity" in form.errors:
            messages.error(
                request, _("Choose a quantity from 1 to %(max)d.") % {"max": settings.CART_LINE_MAX_QUANTITY}
            )
        else:
            messages.error(request, _("Choose an option of this product."))
        return _back(request, "orders:cart")
    try:
        sku = carts.cart_sku_resolve(sku_id=form.cleaned_data["sku_id"], product_id=form.cleaned_data["product_id"])
        if "buy_now" in request.POST:
            return _buy_now_start(sku=sku, quantity=form.cleaned_data["quantity"])
        carts.cart_add(cart=carts.cart_for(request), sku=sku, quantity=form.cleaned_data["quantity"])
    except ProductNotFound:
        raise Http404("No such product.") from None
    except DomainError as exc:
        error_message(request, exc)
        return _back(request, "orders:cart")
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Added %(name)s to your cart.") % {"name": sku.product.name},
            reverse("orders:cart"),
            _("View cart"),
        ),
    )
    return _back(request, "orders:cart")


def _buy_now_start(*, sku, quantity):
    """바로 구매: check this SKU can be had in this quantity, then its own checkout; the cart is not touched."""
    carts.buy_now_check(sku=sku, quantity=quantity)
    return redirect(f"{reverse('orders:checkout')}?{urlencode({'sku': sku.id, 'quantity': quantity})}")


@require_POST
def cart_update(request, sku_id):
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quantity from 0 to %(max)d.") % {"max": settings.CART_LINE_MAX_QUANTITY})
        return _back(request, "orders:cart")
    try:
        carts.cart_set_quantity(cart=carts.cart_for(request), sku_id=sku_id, quantity=form.cleaned_data["quantity"])
    except ProductNotFound:
        raise Http404("No such product.") from None
    except DomainError as exc:
        error_message(request, exc)
    return _back(request, "orders:cart")


@require_POST
def cart_remove(request, sku_id):
    carts.cart_remove(cart=carts.cart_for(request), sku_id=sku_id)
    return _back(request, "orders:cart")


@csp_update(settings.POSTCODE_CSP)
def checkout(request):
    """The cart's checkout, or 바로 구매's (``?sku=&quantity=``: that SKU alone; the cart stays as it was).

    "Apply" shows the coupon and the shipping fee for the address chosen without placing anything; a visitor is
    sent to log in first, told why, and comes back here."""
    if not request.user.is_authenticated:
        messages.info(request, _("Log in to check out; you will come back to your order."))
        return redirect_to_login(request.get_full_path())
    buy_now = _buy_now(request)
    form = CheckoutForm(request.POST or None, user=request.user, coupons=coupon_box(user=request.user))
    if request.method == "POST" and "apply" not in request.POST and form.is_valid():
        return _checkout_place(request, form, buy_now=buy_now)
    try:
        lines = _checkout_lines(request, buy_now)
    except DomainError as exc:
        error_message(request, exc)
        return redirect("orders:cart")
    if not lines:
        return redirect("orders:cart")
    coupon = {
        "coupon_code": form.data.get("coupon_code", "").strip()[:32],
        "coupon_id": _int_or_none(form.data.get("coupon_id")),
    }
    quote = checkout_quote(
        user=request.user, lines=[(line.sku, line.quantity) for line in lines], postal_code=form.postal_code(), **coupon
    )
    context = {"lines": lines, "quote": quote, "form": form, "buy_now": buy_now, "applied": "apply" in request.POST}
    return render(request, "orders/checkout.html", context)


def _int_or_none(value):
    try:
        return inputs.parse_int(value, minimum=1, maximum=inputs.MAX_ID) if value else None
    except inputs.InvalidInput:
        return None


def _buy_now(request):
    """바로 구매's SKU and quantity, from the query (GET) or the page's hidden fields (POST); None otherwise."""
    data = request.POST if request.method == "POST" else request.GET
    if "sku" not in data:
        return None
    form = BuyNowForm(data)
    return form.cleaned_data if form.is_valid() else None


def _checkout_lines(request, buy_now):
    if buy_now is None:
        return carts.cart_view(cart=carts.cart_for(request)).lines
    sku = carts.cart_sku_resolve(sku_id=buy_now["sku"])
    carts.buy_now_check(sku=sku, quantity=buy_now["quantity"])
    return [carts.CartLine(0, sku, buy_now["quantity"])]


def _checkout_place(request, form, *, buy_now=None):
    """Place the order once per checkout page: a repeat of its token is sent to the order it made."""
    choice = form.cleaned_data["choice"]
    new_address = None if choice != NEW_ADDRESS else {name: form.cleaned_data[name] for name in form.Meta.fields}

    def place():
        order = services.checkout(
            user=request.user,
            address_id=None if new_address else int(choice),
            new_address=new_address,
            save_address=bool(new_address) and form.cleaned_data["save_address"],
            lines=[(buy_now["sku"], buy_now["quantity"])] if buy_now else None,
            **form.coupon(),
        )
        return idempotency.Outcome(order=order)

    try:
        record, repeated = idempotency.idempotent_run(
            user=request.user, key=form.idempotency_key(), fingerprint=CHECKOUT_FINGERPRINT, action=place
        )
    except DomainError as exc:
        error_message(request, exc)
        if isinstance(exc, OutOfStock | EmptyOrder) and buy_now is None:
            return redirect("orders:cart")
        return redirect(request.get_full_path())
    if repeated:
        messages.info(request, _("This order was already placed."))
    return redirect(record.order)


@login_required
def order_list(request):
    orders, next_cursor = selectors.order_list_for_user(
        user=request.user, after=request.GET.get("after"), limit=settings.ORDERS_PAGE_SIZE
    )
    return render(request, "orders/order_list.html", {"orders": orders, "next_cursor": next_cursor})


def _own_order(request, number):
    try:
        return selectors.order_get_for_user(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None


@login_required
@csp_update(settings.TOSS_WIDGET_CSP)
def order_detail(request, number):
    """An order; one awaiting payment embeds Toss's payment widget (``payments`` draws that panel)."""
    order = _own_order(request, number)
    return render(request, "orders/order_detail.html", {"order": order})
