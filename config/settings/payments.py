"""Toss Payments: keys, the API and widget, timeouts, and how long a payment in progress holds its order."""

from .base import env

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
