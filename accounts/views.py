"""The customer's own pages: profile and shipping addresses. allauth serves log-in, sign-up and passwords."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AddressForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "social_accounts": selectors.social_account_list(user=request.user)},
    )


@login_required
def address_list(request):
    return render(request, "accounts/address_list.html", {"addresses": selectors.address_list(user=request.user)})


@login_required
def address_create(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _saved(form, services.address_create, user=request.user):
        messages.success(request, _("The address was added."))
        return redirect("accounts:address_list")
    return render(request, "accounts/address_form.html", {"form": form, "adding": True})


@login_required
def address_update(request, address_id):
    current = _own_address(request, address_id)
    form = AddressForm(request.POST or None, instance=current)
    valid = request.method == "POST" and form.is_valid()
    if valid and _saved(form, services.address_update, user=request.user, address_id=address_id):
        messages.success(request, _("The address was saved."))
        return redirect("accounts:address_list")
    return render(request, "accounts/address_form.html", {"form": form, "address": current, "adding": False})


@require_POST
@login_required
def address_delete(request, address_id):
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
