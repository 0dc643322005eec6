from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("addresses", views.AddressViewSet, basename="address")

urlpatterns = [path("me/", views.me, name="me"), *router.urls]
