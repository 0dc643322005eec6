"""How allauth fits the store: log-in limits that a stranger cannot turn against the owner, one account per email
address, the customer's name from Kakao, and a clear page when Kakao is down."""

from http import HTTPStatus

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from accounts import login_limits, selectors
from accounts.kakao.client import KakaoUnavailable
from accounts.models import User
from accounts.naver.client import NaverUnavailable
from shop.inputs import korean_mobile_validator

NAME_MAX_LENGTH = User._meta.get_field("name").max_length


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Counts a log-in attempt against the failed-log-in limits (allauth rolls it back when the password is
        right); over a limit, the answer is 429 with Retry-After instead of allauth's form error (a 400)."""
        login = (credentials.get("email") or credentials.get("username") or "").lower()
        usage, retry_after = login_limits.consume(request, login=login, ip=self.get_client_ip(request))
        if usage is None:
            response = ratelimit.respond_429(request)
            response["Retry-After"] = str(retry_after)
            raise ImmediateHttpResponse(response)
        self._login_failed_rl_usage = usage

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth clears the failed log-ins of this key after a password reset: the owner's own (account, IP).
        login = (credentials.get("email") or credentials.get("username") or "").lower()
        return login_limits.account_ip_key(login=login, ip=self.get_client_ip(request))


def refuse_address_of_another_account(sender, email, user, **kwargs):
    """An address that is another account's cannot be added to this one (accounts.allauth_urls guards making
    one primary).

    Connected to allauth's ``_add_email`` signal, which its add-email form (the email page and the app API both)
    sends before anything is written; allauth's own MFA app blocks additions the same way. Without it, with
    enumeration prevention on, allauth adds the address and making it primary fails on the unique user email.
    """
    if selectors.email_belongs_to_another_account(email=email, user=user):
        raise DefaultAccountAdapter().validation_error("email_taken")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # allauth hands the Kakao nickname over as "username", Naver's name as "name"; our users have a name.
        user.name = (data.get("name") or data.get("username") or "")[:NAME_MAX_LENGTH]
        user.phone = _mobile(sociallogin.account.extra_data.get("mobile"))
        return user

    def get_signup_form_initial_data(self, sociallogin):
        """The sign-up form (it asks for the consents) starts with what the provider told us."""
        initial = super().get_signup_form_initial_data(sociallogin)
        initial.update(name=sociallogin.user.name, phone=sociallogin.user.phone)
        return initial

    def get_requests_session(self):
        session = super().get_requests_session()
        session.hooks["response"].append(_kakao_auth_outage)
        return session

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("accounts:profile")

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """An unreachable Kakao or Naver gets its own page (503, "try again shortly") instead of a generic failure."""
        state = (extra_context or {}).get("state") or {}
        unreachable = isinstance(exception, requests.RequestException | KakaoUnavailable | NaverUnavailable)
        if unreachable and not state.get("headless"):
            response = render(
                request,
                "socialaccount/authentication_error.html",
                {"provider_unreachable": getattr(provider, "id", True)},
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )
            raise ImmediateHttpResponse(response)


def _kakao_auth_outage(response, *args, **kwargs):
    """Kakao's or Naver's log-in host (the token exchange) answering 5xx is an outage, like no answer at all.
    allauth's OAuth2 client would call it a failed log-in (401); raised here, it gets the same 503 page."""
    if response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR:
        return
    if response.url.startswith(settings.KAKAO_AUTH_URL):
        raise KakaoUnavailable(f"Kakao answered {response.status_code}: {response.text[:200]}")
    if response.url.startswith(settings.NAVER_AUTH_URL):
        raise NaverUnavailable(f"Naver answered {response.status_code}: {response.text[:200]}")


def _mobile(value):
    """A provider's mobile number when it is a Korean mobile number (Naver: "010-1234-5678"), else blank."""
    try:
        korean_mobile_validator(value or "")
    except ValidationError:
        return ""
    return value
