"""allauth's Kakao provider, plus token login for the mobile app.

The app signs in with the Kakao SDK and posts the access token to allauth's ``/_allauth/app/v1/auth/provider/token``.
A token proves nothing by itself: ``verify_token`` asks Kakao whom it belongs to and which app it was issued to,
and only then builds the social login from Kakao's own answer.
"""

import logging
from datetime import timedelta

from allauth.socialaccount.models import SocialToken
from allauth.socialaccount.providers.kakao.provider import KakaoProvider as AllauthKakaoProvider
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import client
from .views import KakaoOAuth2Adapter

INVALID_TOKEN = _("The Kakao access token is invalid or has expired. Sign in with Kakao again.")
OTHER_APP = _("This Kakao access token was issued to another app.")
UNAVAILABLE = _("Kakao is not responding. Try again shortly.")
NOT_CONFIGURED = _("Kakao log-in for the app is not available at the moment.")

logger = logging.getLogger(__name__)


class KakaoProvider(AllauthKakaoProvider):
    oauth2_adapter_class = KakaoOAuth2Adapter
    supports_token_authentication = True

    def verify_token(self, request, token):
        access_token = token.get("access_token")
        if not access_token:
            raise ValidationError(INVALID_TOKEN, code="invalid_token")
        try:
            info = client.fetch_token_info(access_token)
            _check_app(info)
            profile = client.fetch_user(access_token)
        except client.KakaoTokenRejected as exc:
            raise ValidationError(INVALID_TOKEN, code="invalid_token") from exc
        except client.KakaoUnavailable as exc:
            raise ValidationError(UNAVAILABLE, code="provider_unavailable") from exc
        if str(profile["id"]) != str(info["id"]):
            raise ValidationError(INVALID_TOKEN, code="invalid_token")
        login = self.sociallogin_from_response(request, profile)
        login.token = SocialToken(app=self.app, token=access_token, expires_at=_expiry(info))
        return login


def _check_app(info):
    # Without a configured app id no token can be trusted: a token of any other Kakao app would pass.
    if not settings.KAKAO_APP_ID:
        logger.error("KAKAO_APP_ID is not set: Kakao token log-in refuses every token")
        raise ValidationError(NOT_CONFIGURED, code="provider_not_configured")
    if str(info.get("app_id")) != str(settings.KAKAO_APP_ID):
        raise ValidationError(OTHER_APP, code="invalid_token")


def _expiry(info):
    expires_in = info.get("expires_in")
    if isinstance(expires_in, int) and expires_in > 0:
        return timezone.now() + timedelta(seconds=expires_in)
    return None
