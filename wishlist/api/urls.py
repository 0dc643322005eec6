from django.urls import path

from . import views

urlpatterns = [
    path("wishlist/", views.WishListView.as_view(), name="wishlist"),
    path("wishlist/<id:product_id>/", views.WishItemView.as_view(), name="wishlist-item"),
    path("restock-alerts/", views.RestockAlertsView.as_view(), name="restock-alerts"),
]
