"""HTTPS, cookies and HSTS in production; the Content-Security-Policy of every page."""

from csp.constants import NONCE, NONE, SELF

from .auth import KAKAO_AUTH_URL, NAVER_AUTH_URL
from .base import DEBUG, env
from .storage import AWS_STORAGE_BUCKET_NAME, STORAGES

# --- HTTPS (production) -----------------------------------------------------------------------------------
if not DEBUG:
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's and orchestrator's probes speak plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- Content-Security-Policy (django-csp) -----------------------------------------------------------------
# The base policy allows what every page loads: our own scripts, styles, fonts and images (and product images
# from the S3/CloudFront host when set); no inline script or style, no plugins, no framing of our pages, forms
# post to ourselves. Frames fall back to default-src ('self').
# A page that needs more says so on its view, and only there:
#     from csp.decorators import csp_update
#     @csp_update({"script-src": ["https://js.tosspayments.com"], "frame-src": ["https://*.tosspayments.com"]})
#     def payment(request): ...
# An inline <script> that cannot be a file carries the per-request nonce: <script nonce="{{ CSP_NONCE }}">
# (the csp.context_processors.nonce context processor; script-src lists NONCE so the header has it).
# Product images on S3 come from CloudFront's domain, a custom endpoint, or the bucket's own host.
_MEDIA_HOSTS = []
if AWS_STORAGE_BUCKET_NAME:
    _s3 = STORAGES["default"]["OPTIONS"]
    if _s3["custom_domain"]:
        _MEDIA_HOSTS = [f"https://{_s3['custom_domain']}"]
    elif _s3["endpoint_url"]:
        _MEDIA_HOSTS = [_s3["endpoint_url"]]
    else:
        _bucket_host = f"{AWS_STORAGE_BUCKET_NAME}.s3"
        _MEDIA_HOSTS = [
            f"https://{_bucket_host}.amazonaws.com",
            f"https://{_bucket_host}.{_s3['region_name']}.amazonaws.com",
        ]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MEDIA_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The Kakao button posts to us and we redirect to Kakao's log-in page: browsers check that redirect too.
        "form-action": [SELF, KAKAO_AUTH_URL, NAVER_AUTH_URL],
    }
}
