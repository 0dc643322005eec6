"""Kakao's OAuth2 redirect flow with its hosts taken from the settings (allauth's adapter hard-codes them)."""

from allauth.socialaccount.providers.kakao.views import KakaoOAuth2Adapter as AllauthKakaoOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings

from . import client


class KakaoOAuth2Adapter(AllauthKakaoOAuth2Adapter):
    @property
    def access_token_url(self):
        return f"{settings.KAKAO_AUTH_URL}/oauth/token"

    @property
    def authorize_url(self):
        return f"{settings.KAKAO_AUTH_URL}/oauth/authorize"

    @property
    def profile_url(self):
        return client.user_me_url()

    def complete_login(self, request, app, token, **kwargs):
        profile = client.fetch_user(token.token)
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = OAuth2LoginView.adapter_view(KakaoOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(KakaoOAuth2Adapter)
