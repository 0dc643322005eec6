"""A URLconf with one view that fails, to see what a customer gets from a 500."""

from django.urls import include, path


def failing_view(request):
    raise RuntimeError("secret-internal-detail: DB password is hunter2")


urlpatterns = [path("fail/", failing_view), path("", include("config.urls"))]
