"""allauth endpoints the store changes or does not offer, routed before allauth's own URLs.

- Making an address primary (the app API and the email page): refused, with nothing written, when the address is
  another account's. The add-email guard (accounts.adapter) keeps such addresses out; this covers any that got in
  before it, or through a race with a sign-up.
- The phone endpoints: allauth's headless API always routes them; without a phone field they reach adapter
  methods that raise NotImplementedError (a 500). The store logs in by email, so they are 404, and allauth's
  OpenAPI description (/_allauth/openapi.json, .yaml) leaves them out.
"""

import json

from allauth.account import views as account_views
from allauth.account.adapter import get_adapter
from allauth.headless.account import views as headless_views
from allauth.headless.spec.internal.schema import get_schema
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import Resolver404, path, re_path, resolve

from . import selectors


def _taken(request, address):
    return selectors.email_belongs_to_another_account(email=address.email, user=request.user)


class ManageEmailView(headless_views.ManageEmailView):
    def patch(self, request, *args, **kwargs):
        if _taken(request, self.input.cleaned_data["email"]):
            self.input.add_error("email", get_adapter().validation_error("email_taken"))
            return self.handle_invalid_input(self.input)
        with transaction.atomic():
            return super().patch(request, *args, **kwargs)


class EmailView(account_views.EmailView):
    def _action_primary(self, request, *args, **kwargs):
        address = self._get_email_address(request)
        if address and _taken(request, address):
            messages.error(request, get_adapter().error_messages["email_taken"])
            return None  # back to the email page
        with transaction.atomic():
            return super()._action_primary(request, *args, **kwargs)


def not_offered(request, *args, **kwargs):
    raise Http404("Not offered by this store.")


def offered_schema():
    """allauth's OpenAPI description without the endpoints this store answers 404."""
    spec = get_schema()
    for route in list(spec["paths"]):
        try:
            if resolve(route.replace("{client}", "app")).func is not_offered:
                del spec["paths"][route]
        except Resolver404:
            pass
    return spec


def openapi_json(request):
    return HttpResponse(json.dumps(offered_schema()), content_type="application/vnd.oai.openapi+json")


def openapi_yaml(request):
    import yaml  # allauth's headless-spec extra, only needed here

    return HttpResponse(yaml.dump(offered_schema(), Dumper=yaml.Dumper), content_type="application/vnd.oai.openapi")


headless_urlpatterns = [
    path("openapi.json", openapi_json),
    path("openapi.yaml", openapi_yaml),
    re_path(r"^(?:app|browser)/v1/(?:account/phone|auth/phone/verify(?:/resend)?)/?$", not_offered),
    *(path(f"{client}/v1/account/email", ManageEmailView.as_api_view(client=client)) for client in ("app", "browser")),
]
account_urlpatterns = [path("email/", EmailView.as_view())]
