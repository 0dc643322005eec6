from django.urls import path

from . import views

app_name = "wishlist"

urlpatterns = [
    path("wishlist/", views.wish_list, name="list"),
    path("wishlist/<id:product_id>/toggle/", views.wish_toggle, name="toggle"),
    path("restock/<id:product_id>/", views.restock_subscribe, name="restock"),
]
