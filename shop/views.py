"""Pages the whole store shares: the home page and the health checks."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from catalog import selectors as catalog_selectors

from . import health


def home(request):
    return render(request, "shop/home.html", {"new_arrivals": catalog_selectors.product_new_arrivals()})


@never_cache
def healthz(request):
    """The process is up and answering. Says nothing about the database: that is readyz."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready to serve: the database and (when configured) Redis answer. 503 otherwise."""
    checks = {"database": health.database_is_reachable(), "cache": health.cache_is_reachable()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if ready else 503)
