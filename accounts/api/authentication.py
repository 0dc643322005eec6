"""DRF authentication with allauth's headless session token (the mobile app's ``X-Session-Token``)."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's class, plus the ``WWW-Authenticate`` header DRF needs to answer 401 instead of 403."""

    def authenticate_header(self, request):
        return "X-Session-Token"
