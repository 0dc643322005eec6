"""Kakao's OAuth2 redirect flow with its hosts taken from the settings (allauth's adapter hard-codes them), and
the guard that keeps an unconfigured provider's pages a 404 (Naver uses it too)."""

from functools import wraps

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.kakao.views import KakaoOAuth2Adapter as AllauthKakaoOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings
from django.http import Http404

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


def provider_configured(provider_id):
    """A provider's pages exist only when its log-in is configured (a key and secret, or a SocialApp): without it
    allauth raises SocialApp.DoesNotExist, a 500, where an unconfigured feature should be a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not get_adapter().list_apps(request, provider=provider_id):
                raise Http404("This log-in is not configured.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


oauth2_login = provider_configured("kakao")(OAuth2LoginView.adapter_view(KakaoOAuth2Adapter))
oauth2_callback = provider_configured("kakao")(OAuth2CallbackView.adapter_view(KakaoOAuth2Adapter))
