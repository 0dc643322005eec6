"""Celery signal handlers: every task's outcome and duration as metrics, and the request id that queued it.

Instrumentation only (no business flow hangs on a signal). A task queued during a web request carries that
request's id in a message header (``shop_request_id``); the worker puts it back in the log context while the
task runs, so the task's log lines share the id of the request that started it. A worker started with
``WORKER_METRICS_PORT`` serves its metrics (every pool process's, through ``PROMETHEUS_MULTIPROC_DIR``) there.
"""

import logging
import os

from celery import signals

from . import metrics
from .middleware import request_id_var

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "shop_request_id"


@signals.before_task_publish.connect
def carry_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect
def task_started(task_id=None, task=None, **kwargs):
    request_id_var.set(getattr(task.request, REQUEST_ID_HEADER, None) or f"task-{task_id}")
    metrics.celery_task_started(task_id)


@signals.task_postrun.connect
def task_finished(task_id=None, task=None, state=None, **kwargs):
    outcome = {"SUCCESS": "success", "RETRY": "retry", "FAILURE": "failure"}.get(state, (state or "unknown").lower())
    metrics.celery_task_finished(task.name, task_id, outcome)
    request_id_var.set("-")


@signals.worker_init.connect
def serve_worker_metrics(**kwargs):
    port = os.environ.get("WORKER_METRICS_PORT")
    if not port:
        return
    from prometheus_client import start_http_server

    start_http_server(int(port), registry=metrics.worker_registry())
    logger.info("worker metrics on port %s", port)


@signals.worker_process_shutdown.connect
def pool_process_gone(pid=None, **kwargs):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
