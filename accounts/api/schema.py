"""drf-spectacular's description of our token authentication (its extensions match classes exactly)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.SessionTokenAuthentication"
    name = "SessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": (
                "The session token allauth headless returns in meta.session_token from /_allauth/app/v1/auth/login, "
                "/auth/signup and /auth/provider/token (Kakao: provider kakao, token.access_token from the Kakao "
                "SDK). Those endpoints are described in /_allauth/openapi.json; their errors have allauth's shape "
                '{"status": 400, "errors": [{"code", "message", "param"}]}.'
            ),
        }
