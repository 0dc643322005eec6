"""The container and compose files say what production needs (the compose schema itself is checked by
check-jsonschema in ``make lint``): health checks, volumes, migrations as their own step, secrets from the
environment, and /metrics closed by default in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_the_compose_file_runs_the_store_its_services_and_its_monitoring():
    assert set(SERVICES) >= {
        "web", "worker", "beat", "migrate", "db", "redis", "rabbitmq",
        "prometheus", "alertmanager", "grafana", "node-exporter",
    }  # fmt: skip


def test_every_long_running_service_has_a_health_check():
    for name, service in SERVICES.items():
        if name == "migrate":
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_migrations_run_once_before_the_web_and_workers_start():
    assert "migrate" in " ".join(SERVICES["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    dockerfile = (PROJECT / "Dockerfile").read_text()
    (command,) = re.findall(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert "migrate" not in command and "gunicorn" in command


def test_the_image_routes_traffic_by_readiness():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert re.search(r"HEALTHCHECK[^\n]*\\\n[^\n]*/readyz", dockerfile)


def test_data_lives_in_named_volumes_and_mounted_files_exist():
    for name in ("db", "rabbitmq", "prometheus", "grafana", "alertmanager"):
        mounts = SERVICES[name].get("volumes", [])
        assert any(":" in mount and not mount.startswith((".", "/")) for mount in mounts), f"{name} keeps no data"
    for service in SERVICES.values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), source


def test_secrets_come_from_the_environment_not_from_files_in_the_repository():
    assert COMPOSE["secrets"]["metrics_token"] == {"environment": "METRICS_TOKEN"}
    assert COMPOSE["secrets"]["slack_webhook_url"] == {"environment": "SLACK_WEBHOOK_URL"}
    alertmanager = (DEPLOY / "alertmanager" / "alertmanager.yml").read_text()
    assert (
        "hooks.slack.com" not in alertmanager and "slack_api_url_file: /run/secrets/slack_webhook_url" in alertmanager
    )


def test_metrics_are_closed_to_every_network_by_default_in_production():
    environment = {k: v for k, v in os.environ.items() if k not in ("METRICS_ALLOWED_NETWORKS", "METRICS_TOKEN")}
    environment.update(DJANGO_DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="shop.example.com")
    code = "from django.conf import settings; print(settings.METRICS_ALLOWED_NETWORKS, repr(settings.METRICS_TOKEN))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=PROJECT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[] ''", result.stderr


def test_the_wsgi_entry_point_leaves_the_loaded_store_out_of_garbage_collections():
    """gunicorn's workers load config.wsgi: what it loaded is frozen, so a full collection (a ~100 ms pause on
    one request) no longer walks it."""
    probe = "import gc, config.wsgi; print(gc.get_freeze_count() > 50_000, len(gc.get_objects()) < 10_000)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=PROJECT, check=True
    )
    assert result.stdout.split() == ["True", "True"]
