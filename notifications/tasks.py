"""Celery tasks of the notifications app: thin, each calls one service."""

from celery import shared_task

from . import services
from .exceptions import EmailNotSent


@shared_task(
    name="notifications.send_order_email",
    acks_late=True,
    autoretry_for=(EmailNotSent,),
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
)
def send_order_email(email_id: int) -> str:
    """Send a recorded order email (a sent one is skipped); SMTP failures retry with backoff."""
    return services.order_email_send(email_id=email_id)


@shared_task(name="notifications.send_new_order_emails")
def send_new_order_emails() -> int:
    """The relay: send the order emails recorded and not tried yet (queued a moment after their commit)."""
    return services.order_emails_relay()


@shared_task(name="notifications.send_pending_order_emails")
def send_pending_order_emails() -> int:
    """Beat: queue again the order emails still unsent."""
    return services.order_emails_send_pending()
