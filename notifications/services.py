"""Order emails: recorded in the transaction of the event they tell about, sent by a task once it commits.

Callers (``orders.services``, ``payments.services``) call ``order_email_record`` explicitly, inside their own
transaction: a rolled-back event sends nothing, a committed one always has its row. The row's unique event key
keeps a repeated event from recording a second email; the send takes the row's lock and skips a sent row, so
two runs of the task (a redelivery, the sweep) send it once. If the SMTP server accepts a message and the
database then fails before the row is marked sent, the retry sends it again: at least once, never twice for
a send that was recorded.

**The relay.** Publishing a task to the broker was a twentieth of an order's CPU in the web process
(bench/order_cost.py), paid by every order. After its commit, an email's row is handed to a relay task queued
``ORDER_EMAIL_RELAY_SECONDS`` later, which sends every email recorded and not yet tried. A process that queued
one and commits another email within the first half of that delay queues nothing: the relay it queued starts
after this commit (it runs no earlier than its countdown, and the half left over absorbs clock skew between the
web and the worker host), so it sees the row. In a burst a process publishes twice a second instead of once an
order. Beat also runs the relay every ``ORDER_EMAIL_RELAY_SWEEP_SECONDS``, so a relay lost with the broker, or one
that started early (a worker's clock more than half the delay ahead of the web's), leaves an email waiting that
long at most, not until the sweep of failed ones (``order_emails_send_pending``). With tasks run eagerly (the
tests) every commit queues its relay, which runs at once.
"""

import logging
import smtplib
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop import statements
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
            email = OrderEmail(
                order=order, kind=kind, event_key=f"{order.pk}:{kind}:{key}"[:120], to=to, context=context or {}
            )
            statements.insert([email], create=True)
    except IntegrityError:
        return None

    # robust: a broker that is down must not fail the order; the sweep sends what is still pending.
    transaction.on_commit(_relay_soon, robust=True)
    return email


class _Relay:
    """When the relay this process queued last will run (``time.monotonic()``), shared by its threads."""

    due = 0.0
    lock = threading.Lock()


def _relay_soon() -> None:
    """After an email's commit: queue the relay, unless the one this process queued will start late enough to see
    this row (see the module's docstring). A named function: Django logs a robust hook's failure by its name.
    The publish runs outside the lock (a slow broker holds up no other thread's commit), and a failed one gives
    its claim back, so the next commit tries again."""
    delay = settings.ORDER_EMAIL_RELAY_SECONDS
    with _Relay.lock:
        now = time.monotonic()
        if _relay_queued_covers(now) and not tasks.send_new_order_emails.app.conf.task_always_eager:
            return
        claimed, _Relay.due = _Relay.due, now + delay
    try:
        tasks.send_new_order_emails.apply_async(countdown=delay)
    except Exception:
        with _Relay.lock:
            if _Relay.due == now + delay:
                _Relay.due = claimed
        raise


def _relay_queued_covers(now: float) -> bool:
    """Whether the relay this process queued last starts late enough to see a row committed ``now``."""
    return now < _Relay.due - settings.ORDER_EMAIL_RELAY_SECONDS / 2


def order_emails_relay(*, batch: int = 200) -> int:
    """Send every email recorded and not tried yet, oldest first; returns how many went. A row another relay is
    sending is skipped (its lock), a sent one too; an SMTP failure hands that email to its own task, which
    retries it with backoff (``tasks.send_order_email``)."""
    sent, after = 0, 0
    while True:
        fresh = OrderEmail.objects.filter(status=OrderEmail.Status.PENDING, attempts=0, id__gt=after)
        ids = list(fresh.order_by("id").values_list("id", flat=True)[:batch])
        for email_id in ids:
            try:
                sent += order_email_send(email_id=email_id, skip_locked=True) == "sent"
            except EmailNotSent:
                # Counted on the row (FAILED, one attempt), so no later relay picks it again: its task retries it.
                tasks.send_order_email.apply_async((email_id,), countdown=settings.ORDER_EMAIL_RETRY_SECONDS)
        if len(ids) < batch:
            return sent
        after = ids[-1]


def order_email_send(*, email_id: int, skip_locked: bool = False) -> str:
    """Send one recorded email unless it was sent already. ``EmailNotSent`` when SMTP fails (counted on the row).
    ``skip_locked``: a row another run holds is left to it ("taken")."""
    with transaction.atomic():
        # The email's row alone is locked: joining its order and customer into the locking read would lock their
        # rows too (for the whole SMTP exchange), and with skip_locked a checkout holding the customer's row would
        # make the email look taken.
        status = (
            OrderEmail.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=email_id)
            .values_list("status", flat=True)
            .first()
        )
        if status is None and skip_locked and OrderEmail.objects.filter(pk=email_id).exists():
            return "taken"
        if status is None or status == OrderEmail.Status.SENT:
            return "sent already"
        email = OrderEmail.objects.select_related("order__user").get(pk=email_id)
        email.attempts += 1
        try:
            mail.order_email_message(email).send()
        except Exception as exc:
            # SMTP refusing is expected; anything else (a template, an address Django refuses) is a bug to see in
            # the log. Either way the attempt is counted on the row, which keeps it out of the relay's way and
            # lets the retries and the sweep give up after ORDER_EMAIL_MAX_ATTEMPTS.
            if not isinstance(exc, smtplib.SMTPException | OSError):
                logger.exception("order email %s could not be built or sent", email_id)
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
