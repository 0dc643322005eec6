"""Naver's OAuth2 redirect flow with its hosts taken from the settings (allauth's adapter hard-codes them)."""

from allauth.socialaccount.providers.naver.views import NaverOAuth2Adapter as AllauthNaverOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings

from accounts.kakao.views import provider_configured

from . import client


class NaverOAuth2Adapter(AllauthNaverOAuth2Adapter):
    @property
    def access_token_url(self):
        return f"{settings.NAVER_AUTH_URL}/oauth2.0/token"

    @property
    def authorize_url(self):
        return f"{settings.NAVER_AUTH_URL}/oauth2.0/authorize"

    @property
    def profile_url(self):
        return client.profile_url()

    def complete_login(self, request, app, token, **kwargs):
        profile = client.fetch_profile(token.token)
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = provider_configured("naver")(OAuth2LoginView.adapter_view(NaverOAuth2Adapter))
oauth2_callback = provider_configured("naver")(OAuth2CallbackView.adapter_view(NaverOAuth2Adapter))
