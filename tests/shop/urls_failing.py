"""A URLconf with views that fail, to see what a customer and the app get from a 500 or a 405."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST


def failing_view(request):
    raise RuntimeError("secret-internal-detail: DB password is hunter2")


@require_POST
def post_only_view(request):
    return HttpResponse("posted")


urlpatterns = [
    path("fail/", failing_view),
    path("api/v1/fail/", failing_view),
    path("api/v1/post-only/", post_only_view),
    path("", include("config.urls")),
]
