"""allauth endpoints the store does not offer, answered 404 before allauth's own URLs see them.

allauth's headless API always routes its phone endpoints; without a phone field they reach adapter methods that
raise NotImplementedError (a 500). The store logs in by email, so they do not exist here.
"""

from django.http import Http404
from django.urls import re_path


def not_offered(request, *args, **kwargs):
    raise Http404("Not offered by this store.")


urlpatterns = [
    re_path(r"^(?:app|browser)/v1/(?:account/phone|auth/phone/verify(?:/resend)?)/?$", not_offered),
]
