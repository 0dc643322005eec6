"""The monitoring files are checked, not just shipped: every store metric an alert rule or a dashboard panel uses
exists in /metrics after an order is placed and paid, and the dashboard is well formed with valid PromQL.

(``make test`` also runs ``promtool check config``, ``check rules`` and ``test rules``, ``amtool check-config``
and the compose schema check: see the Makefile's ``monitoring`` target.)
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from prometheus_client.parser import text_string_to_metric_families

from orders import services as order_services
from payments import services as payment_services
from tests.factories import ProductFactory, UserFactory
from tests.payments.conftest import HOME

DEPLOY = Path(django_settings.BASE_DIR) / "deploy"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"

# Metrics that come from the exporters Prometheus also scrapes, not from the store.
EXPORTERS = ("node_", "rabbitmq_")
BUILTIN = {"up"}
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"}
HISTOGRAM_PARTS = ("_bucket", "_count", "_sum")


def alert_expressions():
    rules = yaml.safe_load(ALERTS.read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def panels(dashboard):
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def panel_expressions():
    return [
        target["expr"]
        for path in DASHBOARDS
        for panel in panels(json.loads(path.read_text()))
        for target in panel.get("targets", [])
    ]


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, strings, grouping and durations removed)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", expr):
        rest = expr[match.end() :].lstrip()
        if rest.startswith("(") or match.group() in PROMQL_WORDS:
            continue  # a function or an aggregation, or a keyword
        names.add(match.group())
    return names


def test_the_metric_name_reader_sees_through_promql():
    expr = 'sum by (le) (rate(a_bucket{view!~"x|y"}[5m])) / on(job) b_total > 0.2 and up == 0'
    assert metric_names(expr) == {"a_bucket", "b_total", "up"}


@pytest.fixture
def paid_order_metrics(client, toss, settings, django_capture_on_commit_callbacks):
    """/metrics, scraped with the bearer token, after a customer placed and paid an order and a task ran."""
    settings.METRICS_TOKEN = "scrape-token"
    user = UserFactory()
    sku = ProductFactory(price=15000, stock=5).skus.get()
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_place(user=user, address=HOME, lines=[(sku.id, 1)])
        key = toss.authenticate(order_id=order.number, amount=order.total)
        payment_services.payment_confirm(user=user, order_number=order.number, payment_key=key, amount=order.total)
    client.get("/")
    from orders.tasks import expire_unpaid_orders

    expire_unpaid_orders.delay()
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert response.status_code == 200
    return response.content.decode()


def exposed_names(exposition: str) -> tuple[set[str], set[str]]:
    """(names with samples, names of every declared family as PromQL sees them: counters end in _total)."""
    sampled, declared = set(), set()
    for family in text_string_to_metric_families(exposition):
        sampled.update(sample.name for sample in family.samples)
        declared.add(family.name + "_total" if family.type == "counter" else family.name)
        declared.update(family.name + part for part in HISTOGRAM_PARTS if family.type == "histogram")
    return sampled, declared


@pytest.mark.django_db
def test_every_store_metric_an_alert_or_panel_uses_is_exposed_after_an_order_is_paid(paid_order_metrics):
    sampled, declared = exposed_names(paid_order_metrics)
    used = set().union(*map(metric_names, alert_expressions() + panel_expressions()))

    store = {name for name in used if not name.startswith(EXPORTERS) and name not in BUILTIN}
    # The store's own series exist from the first scrape (shop.metrics starts them at 0); django-prometheus
    # declares its labelled counters and adds a series at the first event (a cache failure, say).
    missing = sorted(
        name for name in store if name not in sampled and (name.startswith("shop_") or name not in declared)
    )

    assert store, "the rules and panels use store metrics"
    assert {n for n in used if n.startswith(("shop_", "django_"))} == store, "only exporters' metrics are not ours"
    assert missing == []


@pytest.mark.django_db
def test_a_paid_order_shows_in_the_business_metrics(paid_order_metrics):
    samples = {
        sample.name: sample.value
        for family in text_string_to_metric_families(paid_order_metrics)
        for sample in family.samples
        if not sample.labels
    }
    assert samples["shop_orders_placed_total"] >= 1
    assert samples["shop_orders_paid_won_total"] >= 15000
    assert "shop_orders_awaiting_payment" in samples and "shop_payments_in_doubt" in samples


def test_every_dashboard_is_well_formed_and_reads_the_provisioned_datasource():
    datasource_uids = {source["uid"] for source in yaml.safe_load(DATASOURCES.read_text())["datasources"]}
    assert DASHBOARDS
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        assert dashboard["uid"] and dashboard["title"]
        ids = [panel["id"] for panel in panels(dashboard)]
        assert len(ids) == len(set(ids)), f"{path.name}: panel ids repeat"
        for panel in panels(dashboard):
            assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
            assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
            if panel["type"] == "row":
                continue
            assert panel["datasource"]["uid"] in datasource_uids, f"{path.name}: {panel['title']}"
            assert panel["targets"], f"{path.name}: {panel['title']} has no query"
            ref_ids = [target["refId"] for target in panel["targets"]]
            assert len(ref_ids) == len(set(ref_ids))


def test_every_panel_query_is_valid_promql(tmp_path):
    """promtool parses each panel's query as a recording rule: a typo in a dashboard fails here, not in Grafana."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (apt-get install prometheus); make test requires it")
    rules = {
        "groups": [
            {
                "name": "panels",
                "rules": [{"record": f"panel:query_{i}", "expr": expr} for i, expr in enumerate(panel_expressions())],
            }
        ]
    }
    path = tmp_path / "panels.yml"
    path.write_text(yaml.safe_dump(rules))

    checked = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
