"""The Celery app. Tasks live in each app's ``tasks.py`` and are found by autodiscovery."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def broker_folders_create(**kwargs):
    """kombu's file-system transport (the embedded default) does not create its folders, and a worker dies
    without them; reading the settings creates nothing, so the worker does it as it starts."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
