"""A URLconf with views that fail, to see what a customer and the app get from a 500 or a 405."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from catalog.exceptions import StockBusy


def failing_view(request):
    raise RuntimeError("secret-internal-detail: DB password is hunter2")


@require_POST
def post_only_view(request):
    return HttpResponse("posted")


def stock_busy_page(request):
    raise StockBusy()


@api_view(["GET"])
@permission_classes([AllowAny])
def stock_busy_api(request):
    raise StockBusy()


urlpatterns = [
    path("busy/", stock_busy_page),
    path("api/v1/busy/", stock_busy_api),
    path("api/v1/busy-plain/", stock_busy_page),
    path("fail/", failing_view),
    path("api/v1/fail/", failing_view),
    path("api/v1/post-only/", post_only_view),
    path("", include("config.urls")),
]
