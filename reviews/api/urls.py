from django.urls import path

from . import views

urlpatterns = [
    path("products/<str:slug>/reviews/", views.ProductReviewsView.as_view(), name="product-reviews"),
    path("reviews/", views.ReviewsView.as_view(), name="reviews"),
]
