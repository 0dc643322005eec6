"""찜 and restock alert pages: thin, each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.exceptions import DomainError
from shop.inputs import InvalidInput, parse_id, parse_local_url

from . import selectors, services


def _back(request):
    """Back to the page the form was on (its ``next``), or the 찜 list."""
    try:
        return redirect(parse_local_url(request.POST.get("next"), allowed_hosts={request.get_host()}))
    except InvalidInput:
        return redirect("wishlist:list")


@login_required
def wish_list(request):
    return render(request, "wishlist/wish_list.html", {"products": selectors.wish_list(user=request.user)})


@require_POST
@login_required
def wish_toggle(request, product_id):
    """Add the product to the 찜 list, or take it off if it is there."""
    if product_id in selectors.wished_product_ids(user=request.user):
        services.wish_remove(user=request.user, product_id=product_id)
        messages.info(request, _("Removed from your wish list."))
    else:
        try:
            services.wish_add(user=request.user, product_id=product_id)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Added to your wish list."))
    return _back(request)


@require_POST
@login_required
def restock_subscribe(request, product_id):
    try:
        sku_id = parse_id(request.POST["sku_id"]) if request.POST.get("sku_id") else None
        services.restock_subscribe(user=request.user, product_id=product_id, sku_id=sku_id)
    except InvalidInput:
        messages.error(request, _("Choose an option."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("We will email you when it is back in stock."))
    return _back(request)
