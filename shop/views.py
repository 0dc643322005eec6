"""Pages the whole store shares: the home page, the health checks and the metrics."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from catalog import selectors as catalog_selectors

from . import health, selectors
from . import metrics as store_metrics
from .models import LegalDocument

# Pages with nothing for a search engine (personal, or POST-only), kept out of robots' crawl.
ROBOTS_DISALLOW = (
    "/cart/",
    "/checkout/",
    "/orders/",
    "/payments/",
    "/accounts/",
    "/admin/",
    "/api/",
    "/_allauth/",
    "/i18n/",
)


def home(request):
    return render(request, "shop/home.html", {"new_arrivals": catalog_selectors.product_new_arrivals()})


@never_cache
def healthz(request):
    """The process is up and answering. Says nothing about the database: that is readyz."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready to serve: 503 without the database. Without Redis the store still serves (sessions and tokens from
    the database, see the cache settings), so a dead cache is 200 "degraded": taking every web process out of the
    load balancer for it would turn a slower store into no store."""
    checks = {"database": health.database_is_reachable(), "cache": health.cache_is_reachable()}
    if not checks["database"]:
        status, code = "unavailable", 503
    elif not checks["cache"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body = {"status": status, "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=code)


@never_cache
def metrics(request):
    """Prometheus metrics, for the allowed networks or the bearer token only; 404 to anyone else."""
    if not health.metrics_allowed(request):
        raise Http404
    return HttpResponse(generate_latest(store_metrics.registry()), content_type=CONTENT_TYPE_LATEST)


def legal_document(request, kind):
    """이용약관 or 개인정보처리방침: the version in force, or an earlier one by ``?version=``."""
    versions = selectors.legal_document_versions(kind)
    wanted = request.GET.get("version")
    document = next((d for d in versions if d.version == wanted), None) if wanted else None
    if wanted and document is None:
        raise Http404("No such version.")
    document = document or (versions[0] if versions else None)
    return render(
        request,
        "shop/legal_document.html",
        {
            "kind_label": LegalDocument.Kind(kind).label,
            "document": document,
            "body": document.body(get_language() or "ko") if document else "",
            "versions": versions,
        },
    )


def robots_txt(request):
    """Crawl everything a customer can see; keep out of the cart, checkout, accounts, admin and the APIs."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
