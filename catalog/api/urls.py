from django.urls import path

from . import views

urlpatterns = [
    path("categories/", views.CategoryTreeView.as_view(), name="categories"),
    path("categories/<str:slug>/products/", views.CategoryProductListView.as_view(), name="category-products"),
    path("products/", views.ProductListView.as_view(), name="products"),
    path("products/<str:slug>/", views.ProductDetailView.as_view(), name="product"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest/", views.SearchSuggestView.as_view(), name="search-suggest"),
]
