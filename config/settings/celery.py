"""Celery: the broker (kombu's file system without CELERY_BROKER_URL), task behaviour and the beat schedule."""

from celery.schedules import crontab

from .base import TIME_ZONE, VAR_DIR, env

# --- Celery -----------------------------------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker is kombu's file-system transport: a real worker with beat runs with
# no server at all (make run). Set it to redis:// or amqp:// in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # kombu's file-system transport does not create its folders: config.celery does when a worker starts,
    # and `make run` before it (nothing is created when settings are read).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "broker"),
        "data_folder_out": str(VAR_DIR / "celery" / "broker"),
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
    # The order emails' relay (notifications) also on a clock: whatever a lost or early relay left is sent within
    # this time, not only by the sweep below.
    "notifications-relay": {
        "task": "notifications.send_new_order_emails",
        "schedule": env.int("ORDER_EMAIL_RELAY_SWEEP_SECONDS", default=30),
    },
    # Order emails still unsent (notifications): queued again until they go or run out of attempts.
    "notifications-send-pending": {
        "task": "notifications.send_pending_order_emails",
        "schedule": env.int("ORDER_EMAIL_SWEEP_INTERVAL_SECONDS", default=300),
    },
    # Payments whose confirm outcome is still unknown are read back from Toss (payments.services).
    "payments-reconcile": {
        "task": "payments.reconcile",
        "schedule": env.int("PAYMENT_RECONCILE_INTERVAL_SECONDS", default=60),
    },
}
# Workers log through LOGGING (settings.logging) (JSON in production, with the request id that queued each task).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
