"""How allauth's social login fits the store: the customer's name from Kakao, and a clear page when Kakao is down."""

from http import HTTPStatus

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.urls import reverse

from accounts.kakao.client import KakaoUnavailable
from accounts.models import User

NAME_MAX_LENGTH = User._meta.get_field("name").max_length


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # allauth hands the Kakao nickname over as "username"; our users have a name instead.
        user.name = (data.get("username") or "")[:NAME_MAX_LENGTH]
        return user

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("accounts:profile")

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """An unreachable Kakao gets its own page (503, "try again shortly") instead of a generic failure."""
        state = (extra_context or {}).get("state") or {}
        unreachable = isinstance(exception, requests.RequestException | KakaoUnavailable)
        if unreachable and not state.get("headless"):
            response = render(
                request,
                "socialaccount/authentication_error.html",
                {"provider_unreachable": True},
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )
            raise ImmediateHttpResponse(response)
