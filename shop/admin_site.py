"""The admin site: staff log in through allauth, and need a second factor when STAFF_REQUIRE_MFA is on.

Django's own admin log-in form has no brute-force limit and no second factor. Sending staff to allauth's log-in
gives them the customers' limits (accounts.login_limits) and allauth's MFA step (TOTP, recovery codes).
"""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def staff_needs_second_factor(user):
    """True for a staff account that must set up a second factor before it may use the admin."""
    return settings.STAFF_REQUIRE_MFA and user.is_staff and not is_mfa_enabled(user)


# allauth's "account" app is titled 계정 like our own accounts app: name its sections for what they hold.
APP_TITLES = {
    "account": gettext_lazy("Email addresses (allauth)"),
    "socialaccount": gettext_lazy("Social log-in (allauth)"),
}


class StoreAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Hanul Market admin")
    site_title = gettext_lazy("Hanul Market admin")
    index_title = gettext_lazy("Store administration")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_TITLES.get(app["app_label"], app["name"])
        return apps

    def has_permission(self, request):
        return super().has_permission(request) and not staff_needs_second_factor(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and staff_needs_second_factor(request.user):
            messages.warning(request, _("Set up an authenticator app before using the admin."))
            return redirect("mfa_activate_totp")
        return secure_admin_login(super().login)(request, extra_context)
