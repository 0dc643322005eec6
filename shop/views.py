"""Pages the whole store shares: the home page, the health checks and the metrics."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from catalog import selectors as catalog_selectors

from . import health
from . import metrics as store_metrics


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
