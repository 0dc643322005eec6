"""A local stand-in for Naver Login (nid.naver.com's OAuth 2.0 and openapi.naver.com's profile API) that speaks
the documented protocol over HTTP, so allauth's real client code talks to it.

- ``GET /oauth2.0/authorize?response_type=code&client_id&redirect_uri&state``: redirects back with ``code`` and
  ``state``, or ``error=access_denied&error_description=Canceled+By+User`` when the member cancels.
- ``GET|POST /oauth2.0/token`` (``grant_type=authorization_code``, ``client_id``, ``client_secret``, ``code``,
  ``state``): ``{"access_token", "refresh_token", "token_type": "bearer", "expires_in": "3600"}`` (Naver sends
  ``expires_in`` as a string); a failure is ``{"error", "error_description"}``, with HTTP 200 as Naver does.
- ``GET /v1/nid/me`` with ``Authorization: Bearer``: ``{"resultcode": "00", "message": "success", "response":
  {"id", "email", "name", "nickname", "mobile", ...}}``; a bad token is 401 with resultcode "024", no header
  401 "028". ``id`` is unique per application (Naver's profile API documentation).
"""

import json
import secrets
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.loopback import LoopbackServer


@dataclass
class FakeNaver:
    client_id: str
    client_secret: str
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    # The Naver member signed in at nid's page: authorize approves for them (None: the member cancels).
    signed_in: str | None = None
    # openapi answers 500 while set.
    outage: bool = False
    requests: list = field(default_factory=list)

    def add_user(self, naver_id, *, email=None, name="네이버고객", mobile="010-5555-1234"):
        """A Naver member; ``email=None`` means they did not agree to share it."""
        profile = {"id": naver_id, "nickname": name, "name": name, "mobile": mobile, "age": "30-39"}
        if email is not None:
            profile["email"] = email
        self.users[naver_id] = profile
        return profile

    def issue_token(self, naver_id):
        """An access token as the Naver SDK in the mobile app would get it."""
        token = secrets.token_urlsafe(30)
        self.tokens[token] = naver_id
        return token

    def start(self):
        fake = self

        class Handler(NaverHandler):
            naver = fake

        self._http = LoopbackServer(Handler).start()
        return self

    def stop(self):
        if getattr(self, "_http", None) is not None:
            self._http.stop()
            self._http = None

    @property
    def url(self) -> str:
        return self._http.url


class NaverHandler(BaseHTTPRequestHandler):
    naver: FakeNaver

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def _route(self, method):
        parts = urlsplit(self.path)
        self.naver.requests.append((method, parts.path))
        params = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update({key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()})
        routes = {
            ("GET", "/oauth2.0/authorize"): self._authorize,
            ("GET", "/oauth2.0/token"): self._token,
            ("POST", "/oauth2.0/token"): self._token,
            ("GET", "/v1/nid/me"): self._me,
            ("POST", "/v1/nid/me"): self._me,
        }
        handler = routes.get((method, parts.path))
        if handler is None:
            self._json(404, {"resultcode": "404", "message": "Not Found"})
        else:
            handler(params)

    def _authorize(self, params):
        if params.get("client_id") != self.naver.client_id or params.get("response_type") != "code":
            return self._html(400, "invalid_request")
        if not params.get("redirect_uri") or not params.get("state"):
            return self._html(400, "invalid_request")
        if self.naver.signed_in is None:
            answer = {"state": params["state"], "error": "access_denied", "error_description": "Canceled By User"}
        else:
            code = secrets.token_urlsafe(18)
            self.naver.codes[code] = self.naver.signed_in
            answer = {"code": code, "state": params["state"]}
        self.send_response(302)
        self.send_header("Location", f"{params['redirect_uri']}?{urlencode(answer)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, params):
        if params.get("client_id") != self.naver.client_id or params.get("client_secret") != self.naver.client_secret:
            return self._json(200, {"error": "invalid_client", "error_description": "client authentication failed"})
        if params.get("grant_type") != "authorization_code":
            return self._json(200, {"error": "unsupported_grant_type", "error_description": "unsupported grant type"})
        naver_id = self.naver.codes.pop(params.get("code", ""), None)
        if naver_id is None:
            return self._json(200, {"error": "invalid_request", "error_description": "no valid data in session"})
        self._json(
            200,
            {
                "access_token": self.naver.issue_token(naver_id),
                "refresh_token": secrets.token_urlsafe(30),
                "token_type": "bearer",
                "expires_in": "3600",
            },
        )

    def _me(self, params):
        if self.naver.outage:
            return self._json(500, {"resultcode": "500", "message": "Internal Server Error"})
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return self._json(401, {"resultcode": "028", "message": "Authentication header not exists"})
        naver_id = self.naver.tokens.get(header.removeprefix("Bearer "))
        if naver_id is None:
            return self._json(401, {"resultcode": "024", "message": "Authentication failed / 인증에 실패했습니다."})
        self._json(200, {"resultcode": "00", "message": "success", "response": self.naver.users[naver_id]})

    def _json(self, status, body):
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _html(self, status, text):
        payload = f"<!doctype html><title>NAVER</title><p>{text}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
