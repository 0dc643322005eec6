"""The store's settings plus the benchmark's no-op endpoint (bench/urls.py); nothing else differs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
