"""Storefront pages of the cart, the checkout and the customer's orders."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.exceptions import OutOfStock
from shop import inputs
from shop.errors import error_message
from shop.exceptions import DomainError

from . import cart as carts
from . import idempotency, selectors, services
from .exceptions import EmptyOrder, ProductNotFound
from .forms import NEW_ADDRESS, AddToCartForm, CheckoutForm, QuantityForm
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
        carts.cart_add(cart=carts.cart_for(request), sku=sku, quantity=form.cleaned_data["quantity"])
    except ProductNotFound:
        raise Http404("No such product.") from None
    except DomainError as exc:
        error_message(request, exc)
        return _back(request, "orders:cart")
    messages.success(request, _("Added %(name)s to your cart.") % {"name": sku.product.name})
    if "buy_now" in request.POST:
        return redirect("orders:checkout")
    return _back(request, "orders:cart")


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


@login_required
def checkout(request):
    form = CheckoutForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _checkout_place(request, form)
    cart = carts.cart_view(cart=carts.cart_for(request))
    if not cart.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    return render(request, "orders/checkout.html", {"cart": cart, "form": form})


def _checkout_place(request, form):
    """Place the cart's order once per checkout page: a repeat of its token is sent to the order it made."""
    choice = form.cleaned_data["choice"]
    new_address = None if choice != NEW_ADDRESS else {name: form.cleaned_data[name] for name in form.Meta.fields}

    def place():
        order = services.checkout(
            user=request.user,
            address_id=None if new_address else int(choice),
            new_address=new_address,
            save_address=bool(new_address) and form.cleaned_data["save_address"],
        )
        return idempotency.Outcome(order=order)

    try:
        record, repeated = idempotency.idempotent_run(
            user=request.user, key=form.idempotency_key(), fingerprint=CHECKOUT_FINGERPRINT, action=place
        )
    except DomainError as exc:
        error_message(request, exc)
        return redirect("orders:cart") if isinstance(exc, OutOfStock | EmptyOrder) else redirect("orders:checkout")
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
