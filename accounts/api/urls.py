from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("addresses", views.AddressViewSet, basename="address")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/data/", views.my_data, name="me-data"),
    path("me/close/", views.close_account, name="me-close"),
    *router.urls,
]
