"""What the mobile app's session token costs on every API call: GET /api/v1/me/ with X-Session-Token.

Baseline, measured in the same run: the same request authenticated by the browser's session cookie (the same
session row, found through the cookie instead of the header). Also measured: the token with Django's
``cached_db`` session engine (Redis in front of the session table), when REDIS_URL is set.

Users and their session tokens are made on the server (a SessionStore holding Django's auth keys), not by
logging each one in. Requests go through Django's full stack in process (no network), so the figures are
server time. Run: DATABASE_URL=mysql://... REDIS_URL=redis://... .venv/bin/python bench/accounts_me.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Address, User  # noqa: E402

PREFIX = "bench-accounts-"
BACKEND = "django.contrib.auth.backends.ModelBackend"
ROUNDS = 5


def make_users(count):
    User.objects.filter(email__startswith=PREFIX).delete()
    users = User.objects.bulk_create(
        [User(email=f"{PREFIX}{n}@example.com", name=f"벤치{n}", password="!unusable") for n in range(count)]
    )
    users = list(User.objects.filter(email__startswith=PREFIX))
    Address.objects.bulk_create(
        Address(
            user=user,
            recipient=user.name,
            phone="010-1234-5678",
            postal_code="06236",
            address="서울특별시 강남구 테헤란로 123",
            is_default=(n == 0),
        )
        for user in users
        for n in range(2)
    )
    return users


def session_keys(users):
    """One logged-in session per user, as allauth headless would hold it: the key is the app's token."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def measure(keys, requests, *, by, engine):
    """Server time of ``requests`` calls for random users, after a warm-up."""
    with override_settings(SESSION_ENGINE=engine):
        client = Client()
        order = [random.choice(keys) for _ in range(requests)]
        for key in order[:20]:  # warm-up: connections, URL resolver
            _get(client, key, by)
        timings = []
        for key in order:
            started = time.perf_counter()
            response = _get(client, key, by)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        with CaptureQueriesContext(connection) as queries:
            _get(client, order[0], by)
    return timings, len(queries)


def summary(label, timings, queries):
    timings = sorted(timings)
    row = {
        "label": label,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "mean": statistics.fmean(timings),
        "queries": queries,
    }
    print(
        f"{label:<44} p50 {row['p50']:6.2f} ms  p95 {row['p95']:6.2f} ms  mean {row['mean']:6.2f} ms  "
        f"{1000 / row['mean']:5.0f} req/s  {queries} queries"
    )
    return row


def _get(client, key, by):
    if by == "token":
        return client.get("/api/v1/me/", headers={"X-Session-Token": key})
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client.get("/api/v1/me/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    random.seed(4)
    call_command("migrate", verbosity=0)
    print(
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    print(f"{args.users} users with 2 addresses each, {args.requests} requests per row, random users\n")
    users = make_users(args.users)
    keys = session_keys(users)
    db_engine = "django.contrib.sessions.backends.db"
    configs = [
        ("cookie session (baseline)", "cookie", db_engine),
        ("X-Session-Token, db sessions", "token", db_engine),
    ]
    if settings.REDIS_URL:
        configs.append(
            ("X-Session-Token, cached_db sessions (Redis)", "token", "django.contrib.sessions.backends.cached_db")
        )
    # Rounds alternate between the configurations, so a busy neighbour on the shared machine hits them alike.
    results = {label: ([], 0) for label, _, _ in configs}
    for _ in range(ROUNDS):
        for label, by, engine in configs:
            timings, queries = measure(keys, args.requests // ROUNDS, by=by, engine=engine)
            results[label] = (results[label][0] + timings, queries)
    rows = [summary(label, *results[label]) for label, _, _ in configs]
    baseline, rows = rows[0], rows[1:]
    print()
    for row in rows:
        print(f"{row['label']}: p50 {row['p50'] / baseline['p50']:.2f}x the cookie baseline")
    User.objects.filter(email__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
