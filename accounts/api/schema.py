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
                "The session token allauth headless returns at /_allauth/app/v1/auth/login, /auth/signup and "
                "/auth/provider/token (meta.session_token)."
            ),
        }
