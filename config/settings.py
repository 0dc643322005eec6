"""Settings for the store, read from environment variables.

Development defaults need nothing: SQLite in the project folder, a local-memory cache and a Celery broker on
the file system. ``DJANGO_DEBUG=0`` is production mode: it refuses to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS``.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
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
    "allauth.headless",
    "shop",
    "catalog",
    "orders",
    "payments",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "shop.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.StoreLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# MySQL/MariaDB cannot enforce allauth's conditional unique constraints (models.W036); allauth checks the same
# rules in its forms and flows, which is where they matter.
SILENCED_SYSTEM_CHECKS = ["models.W036"]

# --- Cache ------------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shop",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shop"}}

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
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
# Brute force: allauth counts in the cache (Redis in production, so every web process shares the counters) and
# merges these with its defaults. Failed log-ins: 10 a minute per IP and 5 per 5 minutes per email address.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
}
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
    }
}
# A Kakao login whose email Kakao has verified logs in to the store account with that email (allauth wipes the
# password of such an account if its own address was never verified, against pre-registration hijacking).
# An unverified Kakao email never does: that customer gets the sign-up form and must choose another address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=5)

# --- Internationalisation ---------------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

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
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME", default="ap-northeast-2"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            # Images are served by CloudFront in front of the bucket; URLs use its domain.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "file_overwrite": False,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "max-age=31536000, public"},
        },
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
    "TAGS": [
        {"name": "catalog", "description": "Categories, products and search. Public: no token needed."},
        {"name": "accounts", "description": "The signed-in customer and their shipping addresses."},
        {"name": "orders", "description": "The cart and the customer's orders."},
        {"name": "payments", "description": "Toss payments, an order's payment state, cancel and refund."},
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
    # Search starts each query from its rarest token; the counts drift slowly, so once a night is plenty.
    "search-refresh-frequencies": {
        "task": "catalog.tasks.search_refresh_frequencies",
        "schedule": crontab(hour=4, minute=10),
    },
}

# --- Mail -------------------------------------------------------------------------------------------------
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@localhost")

# --- Logging ----------------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shop.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # python-redis-lock logs every acquire at INFO: one line per order and product.
        "redis_lock": {"level": "WARNING"},
    },
}

# --- Store ------------------------------------------------------------------------------------------------
CATALOG_PAGE_SIZE = env.int("CATALOG_PAGE_SIZE", default=24)

# --- Orders -----------------------------------------------------------------------------------------------
ORDER_PAYMENT_MINUTES = env.int("ORDER_PAYMENT_MINUTES", default=30)
ORDERS_PAGE_SIZE = env.int("ORDERS_PAGE_SIZE", default=20)
CART_LINE_MAX_QUANTITY = 99
# Per-product stock locks (orders.stock). Unset without Redis: the conditional UPDATE alone guards the stock.
STOCK_LOCK_REDIS_URL = env("STOCK_LOCK_REDIS_URL", default=REDIS_URL)
STOCK_LOCK_EXPIRE_SECONDS = env.int("STOCK_LOCK_EXPIRE_SECONDS", default=10)
STOCK_LOCK_WAIT_SECONDS = env.int("STOCK_LOCK_WAIT_SECONDS", default=5)
STOCK_LOCK_CONNECT_TIMEOUT = env.float("STOCK_LOCK_CONNECT_TIMEOUT", default=1.0)

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
