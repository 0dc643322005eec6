"""Mail: the backend from EMAIL_URL (the console without it), sender, language and links of customers' emails."""

from .base import env

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
# How long after an order's commit its email's relay runs (notifications.services): one task a process sends
# then carries the emails of every order that process placed in the first half of that time.
ORDER_EMAIL_RELAY_SECONDS = env.float("ORDER_EMAIL_RELAY_SECONDS", default=1.0)
# A relay's failed send goes to its own task, first retried this long after (then with the task's backoff).
ORDER_EMAIL_RETRY_SECONDS = env.int("ORDER_EMAIL_RETRY_SECONDS", default=30)
