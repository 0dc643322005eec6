"""What every log line carries, and the JSON shape production writes.

``LogContextFilter`` puts the request id on every record (the web request's, or in a Celery task the id of the
request that queued it: ``shop.task_signals``), and the user id and order number where the request has them.
``JsonFormatter`` writes one JSON object a line (``LOG_FORMAT=json``, the production default), for a log
collector to index without parsing text.
"""

import json
import logging
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

from .middleware import request_id_var, request_var

# Names of the URL arguments that hold an order number (orders:detail, payments:order-cancel...).
ORDER_NUMBER_ARGUMENTS = ("number", "order_number")


class SkipConflicts(logging.Filter):
    """Keeps Django's "Conflict: /api/v1/orders/" warnings out of the log: a 409 is a customer told the stock is
    gone (or that their identical request is still running), an outcome the store expects by the thousand in a
    선착순 drop and counts by code in its metrics (``shop_order_refusals_total``), not a fault to read about.
    Other 4xx (a bad request, a missing page) are still logged."""

    def filter(self, record):
        return getattr(record, "status_code", None) != 409


class LogContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``order_number`` to the record (``None`` when there is none).

    Reads only what the request already holds: it never loads the user (a log line must not query the database,
    whose own queries are logged too).
    """

    def filter(self, record):
        record.request_id = request_id_var.get()
        request = request_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id(request)
        if not hasattr(record, "order_number"):
            record.order_number = _order_number(request)
        return True


def _user_id(request):
    if request is None:
        return None
    # Django's AuthenticationMiddleware caches the user it loaded; DRF sets request.user to the user it found.
    user = request.__dict__.get("_cached_user") or request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user.pk if getattr(user, "is_authenticated", False) else None


def _order_number(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    for name in ORDER_NUMBER_ARGUMENTS:
        if match.kwargs.get(name):
            return str(match.kwargs[name])
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, user_id, order_number and the
    exception's traceback when there is one."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in ("user_id", "order_number"):
            if getattr(record, key, None) is not None:
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
