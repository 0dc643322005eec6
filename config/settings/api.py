"""The JSON API: DRF, its schema and documentation, CORS."""

from .base import env

# --- API --------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "shop.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shop.api.exceptions.api_exception_handler",
    # Bounded in size and depth; forms and uploads as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "shop.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        "order_place": env("THROTTLE_ORDER_PLACE", default="30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": "JSON API of the store for the mobile app. Errors are {code, message, details}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:...> in URLs (shop.inputs.IdConverter): a row id.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    "TAGS": [
        {"name": "catalog", "description": "Categories, products and search. Public: no token needed."},
        {"name": "accounts", "description": "The signed-in customer and their shipping addresses."},
        {"name": "orders", "description": "The cart and the customer's orders."},
        {"name": "payments", "description": "Toss payments, an order's payment state, cancel and refund."},
        {"name": "pricing", "description": "The customer's coupon box (coupons issued to them)."},
        {"name": "reviews", "description": "Product reviews: the rating and reviews (public), writing one."},
        {"name": "wishlist", "description": "The customer's 찜 list and restock alerts."},
    ],
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|_allauth)/.*$"
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
    "x-session-token",
    "idempotency-key",
]
