"""A local stand-in for Kakao Login (kauth + kapi) that speaks the real protocol over HTTP.

It runs in a thread on 127.0.0.1 (port 0) so allauth's real client code talks to it: the browser's authorize
redirect, the code-for-token exchange, ``/v2/user/me`` and ``/v1/user/access_token_info``, with Kakao's status
codes and error bodies (see /work/shared/reference/kakao-protocol.md). Nothing of ours is replaced.
"""

import json
import secrets
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.loopback import LoopbackServer

ACCESS_TOKEN_SECONDS = 21599
REFRESH_TOKEN_SECONDS = 5183999


@dataclass
class Token:
    user_id: int
    app_id: int
    expires_in: int = ACCESS_TOKEN_SECONDS


@dataclass
class FakeKakao:
    client_id: str
    client_secret: str
    app_id: int
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    # The Kakao user signed in at kauth's page: authorize approves for them (None: the customer cancels).
    signed_in: int | None = None
    # kapi answers 503 -9798 (Kakao's maintenance) while set.
    maintenance: bool = False
    # kauth's token endpoint answers 500 while set (Kakao's log-in servers failing, kapi still up).
    token_outage: bool = False
    requests: list = field(default_factory=list)

    def add_user(self, kakao_id, *, email=None, email_verified=True, nickname="카카오고객"):
        """A Kakao account; ``email=None`` means the customer did not consent to share it."""
        account = {
            "profile_nickname_needs_agreement": False,
            "profile": {"nickname": nickname, "is_default_nickname": False, "is_default_image": True},
            "email_needs_agreement": email is None,
        }
        if email is not None:
            account.update(has_email=True, is_email_valid=True, is_email_verified=email_verified, email=email)
        self.users[kakao_id] = {
            "id": kakao_id,
            "connected_at": "2026-11-24T10:00:00Z",
            "properties": {"nickname": nickname},
            "kakao_account": account,
        }
        return self.users[kakao_id]

    def issue_token(self, kakao_id, *, app_id=None):
        """An access token as the Kakao SDK in the mobile app would get it."""
        token = secrets.token_urlsafe(40)
        self.tokens[token] = Token(user_id=kakao_id, app_id=self.app_id if app_id is None else app_id)
        return token

    def expire(self, token):
        del self.tokens[token]

    # --- server -----------------------------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(KakaoHandler):
            kakao = fake

        self._http = LoopbackServer(Handler).start()
        return self

    def stop(self):
        if getattr(self, "_http", None) is not None:
            self._http.stop()
            self._http = None

    @property
    def url(self) -> str:
        return self._http.url


class KakaoHandler(BaseHTTPRequestHandler):
    kakao: FakeKakao

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def _route(self, method):
        parts = urlsplit(self.path)
        self.kakao.requests.append((method, parts.path))
        routes = {
            ("GET", "/oauth/authorize"): self._authorize,
            ("POST", "/oauth/token"): self._token,
            ("GET", "/v2/user/me"): self._user_me,
            ("POST", "/v2/user/me"): self._user_me,
            ("GET", "/v1/user/access_token_info"): self._token_info,
        }
        handler = routes.get((method, parts.path))
        if handler is None:
            self._json(404, {"msg": "not found", "code": -1})
        else:
            handler(parse_qs(parts.query))

    # kauth ------------------------------------------------------------------------------------------------
    def _authorize(self, query):
        one = {key: values[0] for key, values in query.items()}
        if one.get("client_id") != self.kakao.client_id:
            return self._html(400, "KOE101: 앱 키가 올바르지 않습니다.")
        if one.get("response_type") != "code":
            return self._html(400, "KOE201")
        if not one.get("redirect_uri"):
            return self._html(400, "KOE006")
        if self.kakao.signed_in is None:
            params = {"error": "access_denied", "error_description": "User denied access"}
        else:
            code = secrets.token_urlsafe(64)
            self.kakao.codes[code] = (self.kakao.signed_in, one["redirect_uri"])
            params = {"code": code}
        if "state" in one:
            params["state"] = one["state"]
        self.send_response(302)
        self.send_header("Location", f"{one['redirect_uri']}?{urlencode(params)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, query):
        length = int(self.headers.get("Content-Length") or 0)
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        if self.kakao.token_outage:
            return self._json(
                500, {"error": "server_error", "error_description": "internal error", "error_code": "KOE500"}
            )
        if form.get("client_id") != self.kakao.client_id:
            return self._oauth_error(401, "invalid_client", f"Not exist client_id [{form.get('client_id')}]", "KOE101")
        if form.get("client_secret") != self.kakao.client_secret:
            return self._oauth_error(401, "invalid_client", "Bad client credentials", "KOE010")
        if form.get("grant_type") != "authorization_code":
            return self._oauth_error(400, "unsupported_grant_type", "unsupported grant type", "KOE003")
        code = form.get("code", "")
        issued = self.kakao.codes.get(code)
        if issued is None:
            return self._oauth_error(400, "invalid_grant", f"authorization code not found for code={code}", "KOE320")
        kakao_id, redirect_uri = issued
        if form.get("redirect_uri") != redirect_uri:
            return self._oauth_error(400, "invalid_grant", "Redirect URI mismatch.", "KOE303")
        del self.kakao.codes[code]  # single use
        access_token = self.kakao.issue_token(kakao_id)
        self._json(
            200,
            {
                "token_type": "bearer",
                "access_token": access_token,
                "expires_in": ACCESS_TOKEN_SECONDS,
                "refresh_token": secrets.token_urlsafe(40),
                "refresh_token_expires_in": REFRESH_TOKEN_SECONDS,
                "scope": "account_email profile_nickname",
            },
        )

    # kapi -------------------------------------------------------------------------------------------------
    def _user_me(self, query):
        token = self._bearer()
        if token is not None:
            self._json(200, self.kakao.users[token.user_id])

    def _token_info(self, query):
        token = self._bearer()
        if token is not None:
            self._json(200, {"id": token.user_id, "expires_in": token.expires_in, "app_id": token.app_id})

    def _bearer(self):
        if self.kakao.maintenance:
            self._json(503, {"msg": "system maintenance", "code": -9798})
            return None
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._json(401, {"msg": "no authentication key!", "code": -401})
            return None
        token = self.kakao.tokens.get(header.removeprefix("Bearer "))
        if token is None:
            self._json(
                401,
                {"msg": "this access token does not exist", "code": -401},
                {"WWW-Authenticate": 'Bearer realm="oauth", error="invalid_token"'},
            )
        return token

    # responses --------------------------------------------------------------------------------------------
    def _oauth_error(self, status, error, description, koe):
        self._json(status, {"error": error, "error_description": description, "error_code": koe})

    def _json(self, status, body, headers=None):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _html(self, status, text):
        payload = f"<!doctype html><title>Kakao</title><p>{text}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
