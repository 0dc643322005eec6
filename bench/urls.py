"""The store's URLs plus /bench/noop/: the same authentication and permission as the order API, no work."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as store_urlpatterns


class Noop(APIView):
    def post(self, request):
        return Response({"ok": True, "user": request.user.pk})


urlpatterns = [path("bench/noop/", Noop.as_view()), *store_urlpatterns]
