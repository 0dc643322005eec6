"""The customer's own pages: profile, shipping addresses, closing the account and downloading their data.
allauth serves log-in, sign-up and passwords."""

import json

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import personal_data, selectors, services
from .exceptions import AccountError
from .forms import AccountCloseForm, AddressForm, ProfileForm


@login_required
def profile(request):
    initial = {"marketing": selectors.marketing_consented(user=request.user)}
    form = ProfileForm(request.POST or None, instance=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        marketing = form.cleaned_data.pop("marketing")
        services.profile_update(user=request.user, **form.cleaned_data)
        if "marketing" in form.changed_data:
            services.marketing_consent_set(user=request.user, agreed=marketing)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "social_accounts": selectors.social_account_list(user=request.user)},
    )


@login_required
def account_close(request):
    """회원 탈퇴: what goes and what stays, then the password (or a fresh log-in) and a tick."""
    needs_password = request.user.has_usable_password()
    fresh = personal_data.recently_logged_in(session=request.session, user=request.user)
    form = AccountCloseForm(request.POST or None, needs_password=needs_password)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.reauthentication_attempt_count(request)
            personal_data.account_close(
                user=request.user, password=form.cleaned_data.get("password"), recently_authenticated=fresh
            )
        except AccountError as exc:
            form.add_error(None, str(exc.message))
        else:
            logout(request)
            messages.success(request, _("Your account was closed. Thank you for shopping with us."))
            return redirect("home")
    context = {"form": form, "needs_password": needs_password, "fresh": fresh}
    return render(request, "accounts/account_close.html", context)


@require_GET
@login_required
def account_data(request):
    """What the store holds about the customer, as a JSON download."""
    data = personal_data.account_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def address_list(request):
    return render(request, "accounts/address_list.html", {"addresses": selectors.address_list(user=request.user)})


@login_required
@csp_update(settings.POSTCODE_CSP)
def address_create(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _saved(form, services.address_create, user=request.user):
        messages.success(request, _("The address was added."))
        return redirect("accounts:address_list")
    return render(request, "accounts/address_form.html", {"form": form, "adding": True})


@login_required
@csp_update(settings.POSTCODE_CSP)
def address_update(request, address_id):
    current = _own_address(request, address_id)
    form = AddressForm(request.POST or None, instance=current)
    valid = request.method == "POST" and form.is_valid()
    if valid and _saved(form, services.address_update, user=request.user, address_id=address_id):
        messages.success(request, _("The address was saved."))
        return redirect("accounts:address_list")
    return render(request, "accounts/address_form.html", {"form": form, "address": current, "adding": False})


@login_required
def address_delete(request, address_id):
    """GET: a confirmation page (no JavaScript needed); POST: deletes."""
    if request.method != "POST":
        return render(request, "accounts/address_confirm_delete.html", {"address": _own_address(request, address_id)})
    return _address_action(request, services.address_delete, address_id, _("The address was deleted."))


@require_POST
@login_required
def address_set_default(request, address_id):
    return _address_action(request, services.address_set_default, address_id, _("The default address was changed."))


def _address_action(request, service, address_id, done_message):
    service(user=request.user, address_id=address_id)  # someone else's: AddressNotFound, a 404 page
    messages.success(request, done_message)
    return redirect("accounts:address_list")


def _own_address(request, address_id):
    return selectors.address_get(user=request.user, address_id=address_id)


def _saved(form, service, **kwargs):
    """Runs the service with the form's data; its validation errors land on the form, so nothing typed is lost."""
    try:
        service(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True
