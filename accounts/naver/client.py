"""Naver's profile API (openapi.naver.com/v1/nid/me): who an access token belongs to.

Naver answers ``{"resultcode": "00", "message": "success", "response": {"id", "email", "name", "mobile", ...}}``;
a bad or expired token is 401 with resultcode "024" (no header: "028"). Anything else that goes wrong (no
answer, a 5xx, a body that is not JSON or has no id) means Naver cannot be asked right now.
"""

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from django.conf import settings


class NaverError(ProviderException):
    """Naver's profile API did not vouch for the token."""


class NaverTokenRejected(NaverError):
    """Naver says the access token is unknown, expired or malformed."""


class NaverUnavailable(NaverError):
    """Naver could not be reached or answered with an error of its own."""


def profile_url():
    return f"{settings.NAVER_API_URL}/v1/nid/me"


def fetch_profile(access_token):
    """The Naver user the token belongs to: the ``response`` object (``id`` and the consented fields)."""
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(profile_url(), headers={"Authorization": f"Bearer {access_token}"})
    except requests.RequestException as exc:
        raise NaverUnavailable(f"Naver did not answer: {exc}") from exc
    if response.status_code in (400, 401):
        raise NaverTokenRejected(f"Naver refused the token ({response.status_code}): {response.text[:200]}")
    if response.status_code != 200:
        raise NaverUnavailable(f"Naver answered {response.status_code}: {response.text[:200]}")
    try:
        data = response.json()
    except ValueError as exc:
        raise NaverUnavailable("Naver answered with a body that is not JSON") from exc
    if not isinstance(data, dict) or data.get("resultcode") != "00":
        raise NaverUnavailable(f"Naver answered {str(data)[:200]}")
    profile = data.get("response")
    if not isinstance(profile, dict) or not profile.get("id"):
        raise NaverUnavailable("Naver's answer has no user id")
    return profile
