"""Requests that take effect once: the API's ``Idempotency-Key`` header and the checkout page's one-time token.

``idempotent_run`` inserts the key's record first in the transaction that does the work and completes it with
the outcome before the COMMIT: both exist or neither does. A refused request (out of stock, bad address) or a
crash leaves no record, so repeating it tries again; only what succeeded is remembered, and answered again.

A concurrent duplicate's INSERT waits on the unique (user, key) inside the database until the first request
commits (it then finds the record and answers the same) or rolls back (it then does the work itself). Keys are
per customer and live ``KEY_LIFETIME``; an expired key is free again, and ``idempotency_keys_purge`` (Celery beat,
daily) deletes old records.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from .exceptions import IdempotencyKeyBusy, IdempotencyKeyReused, InvalidIdempotencyKey
from .models import IdempotencyKey, Order

KEY_LIFETIME = timedelta(hours=24)
KEY_MAX_LENGTH = 255
# Each retry follows another request's COMMIT or ROLLBACK of the same key, so this bounds the duplicates in flight.
ATTEMPTS = 8
# InnoDB: when the first of several waiting duplicates rolls back, the others' INSERTs can deadlock (the
# documented duplicate-key case). The victim's transaction held nothing else (the INSERT is its first statement),
# so it looks again. A wait past innodb_lock_wait_timeout (the first request hangs) answers "still processing".
_MYSQL_DEADLOCK = 1213
_MYSQL_LOCK_WAIT_TIMEOUT = 1205


@dataclass(frozen=True)
class Outcome:
    """What a request did: its order, and for the API the answer to repeat (status and JSON body)."""

    order: Order | None
    status: int | None = None
    body: dict | None = None


def idempotency_key_parse(value: str | None) -> str | None:
    """The key of an ``Idempotency-Key`` header (``None`` without one); plain or a quoted structured-field string.

    Raises ``InvalidIdempotencyKey`` unless it is 1 to ``KEY_MAX_LENGTH`` visible ASCII characters.
    """
    if value is None:
        return None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= KEY_MAX_LENGTH or not all("!" <= char <= "~" for char in value):
        raise InvalidIdempotencyKey(KEY_MAX_LENGTH)
    return value


def request_fingerprint(*, scope: str, data=None) -> str:
    """A digest of what a request asks (its endpoint and validated body); key order in the body does not count."""
    canonical = json.dumps([scope, data], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_run(*, user, key: str, fingerprint: str, action: Callable[[], Outcome]) -> tuple[IdempotencyKey, bool]:
    """Run ``action`` once for the customer's ``key``; returns the key's record and whether this was a repeat.

    ``action`` runs inside the record's transaction (its own ``transaction.atomic`` nests); an exception from it
    rolls both back and goes to the caller. A repeat of a different request (another ``fingerprint``) raises
    ``IdempotencyKeyReused``; one that kept losing to other requests of the same key, ``IdempotencyKeyBusy``.
    """
    for _attempt in range(ATTEMPTS):
        record = _live_record(user=user, key=key)
        if record is not None:
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return record, True
        try:
            return _run(user=user, key=key, fingerprint=fingerprint, action=action), False
        except _KeyTaken:
            IdempotencyKey.objects.filter(user=user, key=key, expires_at__lte=timezone.now()).delete()
    raise IdempotencyKeyBusy()


def idempotency_keys_purge(*, now=None, batch: int = 1000) -> int:
    """Delete expired keys, ``batch`` rows per statement; returns how many went."""
    cutoff = now or timezone.now()
    deleted = 0
    while True:
        ids = list(IdempotencyKey.objects.filter(expires_at__lte=cutoff).values_list("id", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += IdempotencyKey.objects.filter(id__in=ids).delete()[0]


class _KeyTaken(Exception):
    """Another request holds or held the key: look again."""


def _live_record(*, user, key):
    return IdempotencyKey.objects.filter(user=user, key=key, expires_at__gt=timezone.now()).first()


def _run(*, user, key, fingerprint, action) -> IdempotencyKey:
    with transaction.atomic():
        record = _claim(user=user, key=key, fingerprint=fingerprint)
        outcome = action()
        record.order, record.response_status, record.response_body = outcome.order, outcome.status, outcome.body
        record.save(update_fields=["order", "response_status", "response_body"])
    return record


def _claim(*, user, key, fingerprint) -> IdempotencyKey:
    try:
        return IdempotencyKey.objects.create(
            user=user, key=key, fingerprint=fingerprint, expires_at=timezone.now() + KEY_LIFETIME
        )
    except IntegrityError:
        raise _KeyTaken() from None
    except OperationalError as exc:
        code = exc.args[0] if exc.args else None
        if code == _MYSQL_DEADLOCK:
            raise _KeyTaken() from None
        if code == _MYSQL_LOCK_WAIT_TIMEOUT:
            raise IdempotencyKeyBusy() from None
        raise
