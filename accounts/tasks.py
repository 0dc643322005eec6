"""Celery tasks of the accounts app (thin: the work is in accounts.personal_data)."""

from celery import shared_task

from . import personal_data


@shared_task(name="accounts.erase_expired_records")
def erase_expired_records() -> int:
    """Beat runs this nightly: orders of closed accounts past ORDER_RECORD_RETENTION_DAYS are erased."""
    return personal_data.closed_accounts_erase_expired()
