"""Accounts and log-in: allauth, rate limits, the second factor, Kakao and Naver."""

from .base import DEBUG, env

# --- Auth -------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# A failed CSRF check under /api/ and /_allauth/ answers JSON like every other error there.
CSRF_FAILURE_VIEW = "shop.errors.csrf_failure"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Sign-up must not tell whether an address is registered. allauth can only keep that secret when the address
# has to be confirmed anyway: a sign-up with a registered address then looks the same as any other ("check your
# mail") and the owner gets an "account already exists" mail. With "optional" it must answer "email taken".
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
# Following the link (or the app sending its key) in the session that signed up completes that log-in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
# Name, mobile number and the consents (terms, privacy, 14+, optional marketing) on every sign-up form: the page,
# the Kakao/Naver sign-up page and the app's headless sign-up (accounts.signup).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.signup.SignupDetailsForm"
# The versions of the legal documents a consent records (the staff-edited documents replace these when they land).
LEGAL_DOCUMENT_VERSIONS = {
    "terms": env("LEGAL_TERMS_VERSION", default="2026-12-01"),
    "privacy": env("LEGAL_PRIVACY_VERSION", default="2026-12-01"),
}
# 우편번호 찾기: Daum (Kakao) postcode service's official script, loaded only on pages with an address form, which
# add POSTCODE_CSP to their policy (@csp_update). It opens Daum's search in a pop-up (or a frame when embedded).
POSTCODE_SCRIPT_URL = "https://t1.daumcdn.net/mapjsapi/bundle/postcode/prod/postcode.v2.js"
POSTCODE_CSP = {
    "script-src": ["https://t1.daumcdn.net", "https://*.daumcdn.net"],
    "frame-src": ["https://postcode.map.daum.net", "https://postcode.map.kakao.com"],
}
# Orders of a closed account are kept, personal fields masked, this long after they were placed (the e-commerce
# act: records of contracts and payments 5 years, complaints 3), then a beat task erases them.
ORDER_RECORD_RETENTION_DAYS = env.int("ORDER_RECORD_RETENTION_DAYS", default=5 * 365 + 2)
# Brute force: allauth counts in the cache (Redis in production, so every web process shares the counters).
# Failed log-ins (accounts.login_limits): 10 a minute per IP, 5 per 5 minutes per account *and IP* (the "key"),
# so a stranger's failures never lock the owner out, and 100 an hour per account from anywhere, against a slow
# attack spread over many IPs (one IP can fail at most 60 times an hour on one account, so no single stranger
# reaches it). A refusal is 429 with Retry-After. allauth's second-factor step counts its wrong
# codes under "login_failed" per account.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "login_failed_account": env("RATE_LIMIT_LOGIN_FAILED_ACCOUNT", default="100/h/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
}
# A 429 without a more exact wait (allauth's per-minute limits) says "try again in a minute".
RETRY_AFTER_SECONDS = 60
# Second factor (TOTP with recovery codes) for anyone who turns it on; staff need it for the admin when
# STAFF_REQUIRE_MFA is on (the default in production).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Shop")
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEBUG)
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_TOKEN_STRATEGY = "accounts.tokens.SessionTokenStrategy"  # noqa: S105 (a class path, not a secret)
HEADLESS_ONLY = False
# allauth's own OpenAPI description of /_allauth/ (its error shape is {status, errors: [...]}, not ours), as
# /_allauth/openapi.json and .yaml; no HTML page, which would load Redoc from a CDN.
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None

# --- Kakao login ------------------------------------------------------------------------------------------
# The button shows only when the REST API key and secret are set. KAKAO_APP_ID is the app's numeric id: Kakao's
# token info reports it, and the mobile app's token login refuses tokens issued to any other app.
KAKAO_CLIENT_ID = env("KAKAO_CLIENT_ID", default="")
KAKAO_CLIENT_SECRET = env("KAKAO_CLIENT_SECRET", default="")
KAKAO_APP_ID = env("KAKAO_APP_ID", default="")
# Kakao's hosts; tests point them at a local fake server.
KAKAO_AUTH_URL = env("KAKAO_AUTH_URL", default="https://kauth.kakao.com")
KAKAO_API_URL = env("KAKAO_API_URL", default="https://kapi.kakao.com")
# --- Naver login ------------------------------------------------------------------------------------------
# Like Kakao: the button shows only with the client id and secret; hosts from settings so tests use a fake.
NAVER_CLIENT_ID = env("NAVER_CLIENT_ID", default="")
NAVER_CLIENT_SECRET = env("NAVER_CLIENT_SECRET", default="")
NAVER_AUTH_URL = env("NAVER_AUTH_URL", default="https://nid.naver.com")
NAVER_API_URL = env("NAVER_API_URL", default="https://openapi.naver.com")
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "kakao": {
        # Our subclass: Kakao's URLs from the settings above, and token login for the mobile app.
        "provider_class": "accounts.kakao.provider.KakaoProvider",
        "SCOPE": ["profile_nickname", "account_email"],
        "APPS": (
            [{"client_id": KAKAO_CLIENT_ID, "secret": KAKAO_CLIENT_SECRET}]
            if KAKAO_CLIENT_ID and KAKAO_CLIENT_SECRET
            else []
        ),
    },
    "naver": {
        "provider_class": "accounts.naver.provider.NaverProvider",
        "APPS": (
            [{"client_id": NAVER_CLIENT_ID, "secret": NAVER_CLIENT_SECRET}]
            if NAVER_CLIENT_ID and NAVER_CLIENT_SECRET
            else []
        ),
    },
}
# A Kakao login whose email Kakao has verified logs in to the store account with that email (allauth wipes the
# password of such an account if its own address was never verified, against pre-registration hijacking).
# An unverified Kakao email never does: that customer gets the sign-up form and must choose another address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
# A new Kakao or Naver customer goes through the sign-up form too: it collects the consents (accounts.signup).
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=5)
