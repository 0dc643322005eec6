"""Order emails: recorded in the transaction of the event they tell about, sent by a task once it commits.

Callers (``orders.services``, ``payments.services``) call ``order_email_record`` explicitly, inside their own
transaction: a rolled-back event sends nothing, a committed one always has its row. The row's unique event key
keeps a repeated event from recording a second email; the send takes the row's lock and skips a sent row, so
two runs of the task (a redelivery, the sweep) send it once. If the SMTP server accepts a message and the
database then fails before the row is marked sent, the retry sends it again: at least once, never twice for
a send that was recorded.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.transactions import single_insert

from . import mail, tasks
from .exceptions import EmailNotSent
from .models import OrderEmail

logger = logging.getLogger(__name__)

Kind = OrderEmail.Kind


def order_email_record(*, order, kind: str, key: str = "", context: dict | None = None) -> OrderEmail | None:
    """Record the email about ``kind`` (``OrderEmail.Kind``) for ``order`` inside the caller's transaction and
    queue its send for after the commit. ``key`` tells apart events of one kind (each refund); a repeat of an
    event already recorded records nothing and returns None, as does a customer without an email address."""
    to = order.user.email
    if not to:
        return None
    try:
        with single_insert():
            email = OrderEmail.objects.create(
                order=order, kind=kind, event_key=f"{order.pk}:{kind}:{key}"[:120], to=to, context=context or {}
            )
    except IntegrityError:
        return None

    # robust: a broker that is down must not fail the order; the sweep sends what is still pending.
    def queue_send():  # a named function: Django logs a robust hook's failure by its __qualname__
        tasks.send_order_email.delay(email.pk)

    transaction.on_commit(queue_send, robust=True)
    return email


def order_email_send(*, email_id: int) -> str:
    """Send one recorded email unless it was sent already. ``EmailNotSent`` when SMTP fails (counted on the row)."""
    with transaction.atomic():
        email = OrderEmail.objects.select_for_update().select_related("order__user").filter(pk=email_id).first()
        if email is None or email.status == OrderEmail.Status.SENT:
            return "sent already"
        message = mail.order_email_message(email)
        email.attempts += 1
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            failure = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:300]
            email.status = OrderEmail.Status.FAILED
        else:
            email.status, email.sent_at, email.last_error = OrderEmail.Status.SENT, timezone.now(), ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            return "sent"
        email.save(update_fields=["status", "attempts", "last_error"])
    raise EmailNotSent(email_id) from failure


def order_emails_send_pending(*, older_than: timedelta = timedelta(minutes=10), limit: int = 200) -> int:
    """Queue again the emails not sent some time after they were recorded (a broker that was down, a task that
    ran out of retries); returns how many. Beat runs it; each send still checks the row, so none goes twice."""
    before = timezone.now() - older_than
    stuck = OrderEmail.objects.filter(
        status__in=(OrderEmail.Status.PENDING, OrderEmail.Status.FAILED),
        created_at__lt=before,
        attempts__lt=settings.ORDER_EMAIL_MAX_ATTEMPTS,
    )
    ids = list(stuck.order_by("id").values_list("id", flat=True)[:limit])
    for email_id in ids:
        tasks.send_order_email.delay(email_id)
    return len(ids)
