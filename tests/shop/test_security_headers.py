"""Doors on every page: Content-Security-Policy, the language cookie, and who may read /metrics."""

import subprocess
import sys

import pytest
from csp.context_processors import nonce as csp_nonce_context
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response):
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value.split() for name, value in directives}


def test_every_page_carries_a_strict_content_security_policy(client, product):
    for path in ("/", reverse("account_login"), product.get_absolute_url()):
        policy = _policy(client.get(path))
        assert policy["default-src"] == ["'self'"]
        # The nonce appears only on pages whose templates use it (the product page's JSON-LD).
        assert policy["script-src"][0] == "'self'"
        assert all(source.startswith("'nonce-") for source in policy["script-src"][1:])
        assert "'unsafe-inline'" not in sum(policy.values(), [])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]


def test_a_view_adds_third_party_origins_for_itself_only_and_templates_get_the_nonce():
    """The mechanism the payment page uses: django-csp's decorator on the view, the nonce in the template."""
    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">1</script>')
    assert "csp.context_processors.nonce" in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]

    @csp_update({"script-src": ["https://js.tosspayments.com"]})
    def payment(request):
        return HttpResponse(template.render(csp_nonce_context(request)))

    request = RequestFactory().get("/checkout/pay/")
    middleware = CSPMiddleware(payment)
    response = middleware(request)

    policy = _policy(response)
    assert "https://js.tosspayments.com" in policy["script-src"]
    nonce = policy["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    assert f'nonce="{nonce}"'.encode() in response.content


def test_the_language_cookie_is_httponly_and_samesite_lax(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    cookie = response.cookies["django_language"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_in_production():
    code = "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE)"
    env = {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "shop.example", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"


def test_metrics_are_404_from_outside_the_allowed_networks(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 404


def test_metrics_answer_the_allowed_networks(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert b"django_http_requests" in response.content


def test_metrics_answer_the_right_bearer_token_only(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_TOKEN = "scrape-secret"

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert ok.status_code == 200


def test_the_api_docs_page_has_no_inline_script_for_the_policy_to_block(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert "<script>" not in html
    script = client.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
