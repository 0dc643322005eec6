"""Kakao's user API (kapi): who a token belongs to, and that user's profile.

Kakao answers a bad or expired token with 401 (code -401); anything else that goes wrong (no answer, a 5xx,
maintenance -9798, a body that is not JSON) means Kakao cannot be asked right now.
"""

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from django.conf import settings


class KakaoError(ProviderException):
    """Kakao's user API did not vouch for the token; allauth's redirect flow shows its error page for these."""


class KakaoTokenRejected(KakaoError):
    """Kakao says the access token is unknown, expired or malformed."""


class KakaoUnavailable(KakaoError):
    """Kakao could not be reached or answered with an error of its own."""


def user_me_url():
    return f"{settings.KAKAO_API_URL}/v2/user/me"


def token_info_url():
    return f"{settings.KAKAO_API_URL}/v1/user/access_token_info"


def fetch_user(access_token):
    """The Kakao user the token belongs to (``id``, ``kakao_account`` with the consented fields)."""
    return _get(user_me_url(), access_token)


def fetch_token_info(access_token):
    """``{"id", "expires_in", "app_id"}`` of a token: the only way to tell a token issued to another app."""
    return _get(token_info_url(), access_token)


def _get(url, access_token):
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(url, headers={"Authorization": f"Bearer {access_token}"})
    except requests.RequestException as exc:
        raise KakaoUnavailable(f"Kakao did not answer: {exc}") from exc
    if response.status_code in (400, 401):
        raise KakaoTokenRejected(f"Kakao refused the token ({response.status_code}): {response.text[:200]}")
    if response.status_code != 200:
        raise KakaoUnavailable(f"Kakao answered {response.status_code}: {response.text[:200]}")
    try:
        data = response.json()
    except ValueError as exc:
        raise KakaoUnavailable("Kakao answered with a body that is not JSON") from exc
    if not isinstance(data, dict) or "id" not in data:
        raise KakaoUnavailable("Kakao's answer has no user id")
    return data
