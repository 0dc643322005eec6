"""Settings for the store, read from environment variables.

Development defaults need nothing: SQLite in the project folder, a local-memory cache and a Celery broker on
the file system. ``DJANGO_DEBUG=0`` is production mode: it refuses to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS``.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    if not env("SECRET_KEY", default=""):
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=0.")
    if not env.list("ALLOWED_HOSTS", default=[]):
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
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

INSTALLED_APPS = [
    # Django's admin with the store's site: staff log in through allauth (its rate limits and second factor).
    "shop.apps.StoreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_prometheus",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Before allauth: our templates (account/, socialaccount/, allauth/) and our translations win over its own.
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "allauth.mfa",
    "allauth.headless",
    "shop",
    "catalog",
    "orders",
    "payments",
    "pricing",
    "notifications",
    "reviews",
    "wishlist",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "shop.middleware.RequestIdMiddleware",
    "shop.middleware.RetryAfterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "shop.api.middleware.ApiErrorsAsJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.StoreLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "shop.api.middleware.HeadlessJsonBodyMiddleware",
    "shop.errors.DomainErrorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.storefront",
                "orders.context_processors.cart",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
# DATABASE_URL unset: SQLite in the project folder. mysql://user:pass@host:port/name: MySQL 8 / MariaDB 10.11.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASE_VENDOR = "mysql" if "mysql" in DATABASES["default"]["ENGINE"] else "sqlite"
if DATABASE_VENDOR == "mysql":
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'",
        "isolation_level": "read committed",
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing with "locked";
    # WAL lets the Celery worker and the web server read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# DATABASE_REPLICA_URL (optional, same form): a read replica of the primary for catalog reads (shop/replicas.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], "connect_timeout": 1},
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["shop.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(1, "shop.replicas.ReplicaReadsMiddleware")
# A customer's requests read the primary this long after their own write (longer than the replica lag we accept);
# a replica that failed to answer is skipped this long.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=5)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# MySQL/MariaDB cannot enforce allauth's conditional unique constraints (models.W036); allauth checks the same
# rules in its forms and flows, which is where they matter.
SILENCED_SYSTEM_CHECKS = ["models.W036"]
# django-prometheus's subclass of the same backend: queries, their durations and errors in /metrics.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace("django.db.", "django_prometheus.db.")

# --- Cache ------------------------------------------------------------------------------------------------
# The cache is a cache: with Redis down, django-redis answers a miss (and drops writes) instead of raising, so
# cached_db sessions and the app's X-Session-Token fall back to the database and every page keeps serving, just
# slower; /readyz reports "degraded". One option of the backend we already use, instead of a session engine or
# cache wrapper of our own (tests/shop/test_redis_down.py stops a private Redis mid-run to prove it).
# Rate limits read their counters from the cache: allauth cannot take its counter lock without Redis, so log-in
# and sign-up answer 429 while it is down (closed, not open, to brute force); DRF's throttles let requests through.
# A log-out during the outage deletes the session in the database but not in Redis: run the cache Redis without
# persistence (a restarted Redis is empty), or such a session could come back from the cache until it expires.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis with django-prometheus's hit, miss and failure counters.
            "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shop",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django_prometheus.cache.backends.locmem.LocMemCache", "LOCATION": "shop"}}

# With Redis, sessions (and so the mobile app's X-Session-Token) are read from the cache and written through
# to the database: one query less on every authenticated request, and nothing lost if Redis restarts.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

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

# --- Internationalisation ---------------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# The language the customer picked: readable by the server only, sent over HTTPS only in production.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Serve uploaded files from Django itself: on in development; production uses S3/CloudFront or a proxy.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STATIC_STORAGE = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if not DEBUG
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_STORAGE", default=STATIC_STORAGE)},
}
# Media on S3 (the S3 tests use these too). Every key is new per upload and rendition keys carry the rendition
# spec, so objects never change: cached for a year, immutable. No ACL is sent (buckets with ACLs disabled).
S3_MEDIA_OPTIONS = {
    "file_overwrite": False,
    "querystring_auth": False,
    "default_acl": None,
    "object_parameters": {"CacheControl": "max-age=31536000, public, immutable"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_MEDIA_OPTIONS,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME", default="ap-northeast-2"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            # Images are served by CloudFront in front of the bucket; URLs use its domain.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
        },
    }

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

# --- Celery -----------------------------------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker is kombu's file-system transport: a real worker with beat runs with
# no server at all (make run). Set it to redis:// or amqp:// in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery" / "broker"
    # kombu's file-system transport does not create its folder, and the worker dies without it.
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu's default is ./control, in whatever folder the worker starts.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "orders-expire-unpaid": {
        "task": "orders.expire_unpaid_orders",
        "schedule": env.int("ORDER_EXPIRY_INTERVAL_SECONDS", default=60),
    },
    # Idempotency-Keys and checkout tokens live 24 hours (orders.idempotency); deleting them later is harmless.
    "orders-purge-idempotency-keys": {
        "task": "orders.purge_idempotency_keys",
        "schedule": crontab(hour=4, minute=40),
    },
    # Orders of closed accounts past ORDER_RECORD_RETENTION_DAYS are erased (accounts.personal_data).
    "accounts-erase-expired-records": {
        "task": "accounts.erase_expired_records",
        "schedule": crontab(hour=4, minute=25),
    },
    # Search starts each query from its rarest token; the counts drift slowly, so once a night is plenty.
    "search-refresh-frequencies": {
        "task": "catalog.tasks.search_refresh_frequencies",
        "schedule": crontab(hour=4, minute=10),
    },
}
# Workers log through LOGGING above (JSON in production, with the request id that queued each task).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Mail -------------------------------------------------------------------------------------------------
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@localhost")
# An SMTP server that hangs must not hold a send task (and its outbox row's lock) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Customers' emails (order news, restock alerts) are written in this language, with absolute links on this URL.
EMAIL_LANGUAGE = env("EMAIL_LANGUAGE", default="ko")
SHOP_BASE_URL = env("SHOP_BASE_URL", default="http://127.0.0.1:8000")
# An order email still unsent is queued again by beat until it has been tried this many times.
ORDER_EMAIL_MAX_ATTEMPTS = env.int("ORDER_EMAIL_MAX_ATTEMPTS", default=10)
CELERY_BEAT_SCHEDULE["notifications-send-pending"] = {
    "task": "notifications.send_pending_order_emails",
    "schedule": env.int("ORDER_EMAIL_SWEEP_INTERVAL_SECONDS", default=300),
}

# --- Logging ----------------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "json" (one object a line, with request id, user id and order number: shop.logs) or "plain" for a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "shop.logs.LogContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shop.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # python-redis-lock logs every acquire at INFO: one line per order and product.
        "redis_lock": {"level": "WARNING"},
    },
}

# --- Metrics ----------------------------------------------------------------------------------------------
# /metrics answers only a client whose address (REMOTE_ADDR, never a forwarded header) is in these networks, or
# that sends "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets a 404. Loopback by default in development
# only: behind a reverse proxy on the same host every visitor would come from 127.0.0.1.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"] if DEBUG else [])
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# --- Store ------------------------------------------------------------------------------------------------
CATALOG_PAGE_SIZE = env.int("CATALOG_PAGE_SIZE", default=24)

# The seller's details Korean e-commerce law (전자상거래법 제10조) requires on every page, in each language; the
# English values fall back to the Korean ones. Set them from the environment in production.
SELLER_INFO = {
    "ko": {
        "company": env("SELLER_COMPANY", default="주식회사 하늘마켓"),
        "representative": env("SELLER_REPRESENTATIVE", default="김하늘"),
        "business_number": env("SELLER_BUSINESS_NUMBER", default="123-45-67890"),
        "mail_order_number": env("SELLER_MAIL_ORDER_NUMBER", default="2026-서울강남-01234"),
        "address": env("SELLER_ADDRESS", default="서울특별시 강남구 테헤란로 123, 4층"),
        "phone": env("SELLER_PHONE", default="1588-0000"),
        "email": env("SELLER_EMAIL", default="help@hanul.example"),
        "hours": env("SELLER_HOURS", default="평일 10:00-18:00 (점심 12:00-13:00)"),
        "privacy_officer": env("SELLER_PRIVACY_OFFICER", default="이보안 (privacy@hanul.example)"),
    },
    "en": {
        "company": env("SELLER_COMPANY_EN", default="Hanul Market Co., Ltd."),
        "representative": env("SELLER_REPRESENTATIVE_EN", default="Haneul Kim"),
        "mail_order_number": env("SELLER_MAIL_ORDER_NUMBER_EN", default="2026-Seoul Gangnam-01234"),
        "address": env("SELLER_ADDRESS_EN", default="4F, 123 Teheran-ro, Gangnam-gu, Seoul"),
        "hours": env("SELLER_HOURS_EN", default="Weekdays 10:00-18:00 (lunch 12:00-13:00)"),
        "privacy_officer": env("SELLER_PRIVACY_OFFICER_EN", default="Boan Lee (privacy@hanul.example)"),
    },
}
# The Fair Trade Commission's public lookup of a mail-order business by its registration number (digits only).
SELLER_LOOKUP_URL = "https://www.ftc.go.kr/bizCommPop.do?wrkr_no={digits}"
# The product page's delivery estimate and 교환/반품 안내, in each language (the English falls back to Korean).
DELIVERY_INFO = {
    "ko": {
        "estimate": env("DELIVERY_ESTIMATE", default="오후 2시까지 결제하면 오늘 출발, 보통 1-2일 안에 도착합니다."),
        "fee": env("DELIVERY_FEE_TEXT", default="3,000원 (50,000원 이상 무료)"),
        "returns": env(
            "RETURNS_TEXT",
            default="상품을 받은 날부터 7일 안에 교환·반품을 신청할 수 있습니다. 단순 변심은 왕복 배송비 6,000원을 "
            "고객이 부담하며, 상품이 잘못 왔거나 불량이면 판매자가 부담합니다. 사용했거나 포장을 훼손해 가치가 "
            "떨어진 상품은 교환·반품할 수 없습니다.",
        ),
    },
    "en": {
        "estimate": env(
            "DELIVERY_ESTIMATE_EN", default="Paid by 2 p.m., shipped today; it usually arrives in 1-2 days."
        ),
        "fee": env("DELIVERY_FEE_TEXT_EN", default="3,000 won (free over 50,000 won)"),
        "returns": env(
            "RETURNS_TEXT_EN",
            default="You may ask for an exchange or a refund within 7 days of receiving the product. For a change "
            "of mind you pay the 6,000 won return shipping; for a wrong or faulty product we pay it. Products "
            "used or unwrapped so that their value fell cannot be returned.",
        ),
    },
}

# --- Orders -----------------------------------------------------------------------------------------------
ORDER_PAYMENT_MINUTES = env.int("ORDER_PAYMENT_MINUTES", default=30)
ORDERS_PAGE_SIZE = env.int("ORDERS_PAGE_SIZE", default=20)
CART_LINE_MAX_QUANTITY = 99
# Shipping (pricing.rules.shipping_fee): the base fee, waived from this amount of goods after discounts (0: never);
# 제주·도서산간 surcharges come from the staff-edited table (pricing.ShippingSurcharge).
SHIPPING_BASE_FEE = env.int("SHIPPING_BASE_FEE", default=3000)
SHIPPING_FREE_THRESHOLD = env.int("SHIPPING_FREE_THRESHOLD", default=50000)
# Per-SKU stock locks (catalog.stock). Unset without Redis: the conditional UPDATE alone guards the stock.
STOCK_LOCK_REDIS_URL = env("STOCK_LOCK_REDIS_URL", default=REDIS_URL)
STOCK_LOCK_EXPIRE_SECONDS = env.int("STOCK_LOCK_EXPIRE_SECONDS", default=10)
STOCK_LOCK_WAIT_SECONDS = env.int("STOCK_LOCK_WAIT_SECONDS", default=5)
STOCK_LOCK_CONNECT_TIMEOUT = env.float("STOCK_LOCK_CONNECT_TIMEOUT", default=1.0)
# How long a sold-out flag stands at most if the increment that should clear it could not reach Redis.
STOCK_SOLD_OUT_FLAG_SECONDS = env.int("STOCK_SOLD_OUT_FLAG_SECONDS", default=10)

# --- Payments (Toss) --------------------------------------------------------------------------------------
# Without keys the store uses Toss's public documentation test keys: a browser with internet shows the real
# widget and pays with Toss's test cards, and nothing is ever charged. `check --deploy` warns about test keys.
TOSS_CLIENT_KEY = env("TOSS_CLIENT_KEY", default="test_gck_docs_Ovk5rk1EwkEbP0W43n07xlzm")
TOSS_SECRET_KEY = env("TOSS_SECRET_KEY", default="test_gsk_docs_OaPz8L5KdmQXkzRz3y47BMw6")
# The core API's base URL; tests point it at a local fake. The widget script always comes from Toss itself.
TOSS_API_BASE = env("TOSS_API_BASE", default="https://api.tosspayments.com")
TOSS_WIDGET_URL = "https://js.tosspayments.com/v2/standard"
# What the widget loads, added to the CSP of the pages that embed it (django-csp's csp_update). The script comes
# from js.tosspayments.com; the payment methods and agreement render in frames, and the SDK calls Toss's APIs,
# from *.tosspayments.com; card-company logos come from static.toss.im. No source lists these exhaustively:
# widen them here if the browser console reports a blocked Toss origin.
TOSS_WIDGET_CSP = {
    "script-src": ["https://js.tosspayments.com"],
    "frame-src": ["https://*.tosspayments.com"],
    "connect-src": ["https://*.tosspayments.com"],
    "img-src": ["https://static.toss.im", "https://*.tosspayments.com"],
    "form-action": ["https://*.tosspayments.com"],
}
TOSS_CONNECT_TIMEOUT = env.float("TOSS_CONNECT_TIMEOUT", default=3.0)
# Toss answers confirm within a few seconds; past this the outcome is unknown and a task resolves it.
TOSS_READ_TIMEOUT = env.float("TOSS_READ_TIMEOUT", default=15.0)
# An order whose payment is being confirmed is kept from expiring this long (Toss's confirm window is 10 min).
PAYMENT_HOLD_MINUTES = env.int("PAYMENT_HOLD_MINUTES", default=15)
# The beat task reads from Toss every payment still unresolved this long after its confirm was sent.
PAYMENT_RECONCILE_AFTER_SECONDS = env.int("PAYMENT_RECONCILE_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {
    "task": "payments.reconcile",
    "schedule": env.int("PAYMENT_RECONCILE_INTERVAL_SECONDS", default=60),
}
