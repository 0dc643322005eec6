"""Celery tasks of the payments app: thin, each calls one service.

Every task that moves money is ``acks_late`` (a worker that dies mid-task leaves the message to be redelivered;
the services are idempotent, so a second run does nothing new), has a hard time limit above Toss's timeouts,
and retries with exponential backoff a bounded number of times; the beat reconciliation picks up whatever is
still open after that.
"""

from celery import shared_task

from . import services, toss
from .models import Payment, Refund, WebhookEvent

MONEY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": 60,
    "soft_time_limit": 45,
    "max_retries": 8,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "autoretry_for": (toss.TossUnavailable, toss.TossOutcomeUnknown),
}


@shared_task(name="payments.resolve", **MONEY)
def resolve_payment(payment_id: int) -> str:
    """A confirm whose outcome is unknown: ask Toss (by order number) and apply what it says."""
    payment = Payment.objects.filter(pk=payment_id, status=Payment.Status.IN_PROGRESS).first()
    if payment is None:
        return "resolved already"
    return services.payment_resolve(payment=payment).state


@shared_task(name="payments.refund", **MONEY)
def execute_refund(refund_id: int) -> str:
    """Send a recorded refund to Toss (again: the same idempotency key never refunds twice)."""
    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is None:
        return "no such refund"
    return services.refund_execute(refund=refund).status


@shared_task(name="payments.void", **MONEY)
def void_virtual_account(payment_id: int) -> str:
    """Cancel at Toss a virtual account whose order was canceled before any deposit."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return "no such payment"
    return services.payment_void(payment=payment).status


@shared_task(name="payments.webhook", **MONEY)
def process_webhook(event_id: int) -> str:
    """A stored webhook: re-read the payment it names from Toss and apply that."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None:
        return "no such event"
    return services.webhook_process(event=event)


@shared_task(name="payments.reconcile", acks_late=True, time_limit=600, soft_time_limit=540)
def reconcile() -> int:
    """Beat, every minute: every confirm, refund or virtual account left open is looked up at Toss."""
    return services.payments_reconcile()
