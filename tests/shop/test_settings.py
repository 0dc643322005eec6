"""Production mode refuses to start without its secrets (run in a fresh interpreter: settings load once)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _check(*flags, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    unwanted = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(env)
    command = [sys.executable, "manage.py", "check", *flags]
    return subprocess.run(command, cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"ALLOWED_HOSTS": "shop.example.com"}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS")],
)
def test_production_mode_refuses_to_start_without_its_secrets(env, missing):
    result = _check(DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_mode_starts_with_its_secrets():
    result = _check(DJANGO_DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="shop.example.com")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist():
    secret = "a-long-random-production-secret-" + "k3y" * 12
    result = _check(
        "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="shop.example.com",
        TOSS_CLIENT_KEY="live_gck_example", TOSS_SECRET_KEY="live_gsk_example",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_deployment_checklist_warns_about_toss_test_keys():
    secret = "a-long-random-production-secret-" + "k3y" * 12
    result = _check(
        "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="shop.example.com"
    )
    assert result.returncode != 0
    assert "payments.W001" in result.stderr
