"""allauth's Naver provider with the store's rules: which Naver emails count as verified, the customer's name
and mobile number, and token login for the mobile app.

Naver does not say whether the email it shares was verified: it is the member's contact address, which can be
any mailbox. Only an address at naver.com (the Naver member's own mailbox) is taken as verified; any other
address is unverified, so it never logs in to, or links with, an existing store account by email
(SOCIALACCOUNT_EMAIL_AUTHENTICATION) and must be confirmed by mail like a typed one.

The app posts the Naver SDK's access token to ``/_allauth/app/v1/auth/provider/token``. Naver offers no way to
ask which application a token was issued to (Kakao's token info does), and its ``id`` is per application, so
a token from another app can only name a Naver account under a different id. Such a token could still carry a
naver.com address of an existing customer: in token login no email counts as verified, so the app logs in to
the store account linked with this Naver id, or signs up a new one, and never takes one over by email.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialToken
from allauth.socialaccount.providers.naver.provider import NaverProvider as AllauthNaverProvider
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import client
from .views import NaverOAuth2Adapter

INVALID_TOKEN = _("The Naver access token is invalid or has expired. Sign in with Naver again.")
UNAVAILABLE = _("Naver is not responding. Try again shortly.")
VERIFIED_DOMAINS = ("naver.com",)


def naver_mailbox(email):
    return email.rsplit("@", 1)[-1].lower() in VERIFIED_DOMAINS


class NaverProvider(AllauthNaverProvider):
    oauth2_adapter_class = NaverOAuth2Adapter
    supports_token_authentication = True

    def extract_common_fields(self, data):
        return {"email": data.get("email"), "name": data.get("name") or data.get("nickname") or ""}

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        return [EmailAddress(email=email, verified=naver_mailbox(email), primary=True)]

    def verify_token(self, request, token):
        access_token = token.get("access_token")
        if not access_token:
            raise ValidationError(INVALID_TOKEN, code="invalid_token")
        try:
            profile = client.fetch_profile(access_token)
        except client.NaverTokenRejected as exc:
            raise ValidationError(INVALID_TOKEN, code="invalid_token") from exc
        except client.NaverUnavailable as exc:
            raise ValidationError(UNAVAILABLE, code="provider_unavailable") from exc
        login = self.sociallogin_from_response(request, profile)
        for address in login.email_addresses:
            address.verified = False  # see the module's docstring
        login.token = SocialToken(app=self.app, token=access_token)
        return login
