from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts import allauth_urls
from shop import media
from shop import views as shop_views

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include("catalog.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("payments.api.urls")),
    path("", include("pricing.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("wishlist.api.urls")),
]

urlpatterns = [
    path("", shop_views.home, name="home"),
    path("healthz", shop_views.healthz, name="healthz"),
    path("readyz", shop_views.readyz, name="readyz"),
    path("", include("shop.urls")),
    path("", include("catalog.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("orders.urls")),
    path("", include("payments.urls")),
    path("accounts/", include("pricing.urls")),
    path("", include("reviews.urls")),
    path("", include("wishlist.urls")),
    path("accounts/", include(allauth_urls.account_urlpatterns)),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include(allauth_urls.headless_urlpatterns)),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("metrics", shop_views.metrics, name="metrics"),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", media.media)]

# Raised errors: JSON under /api/ and /_allauth/, the store's pages elsewhere.
handler400 = "shop.errors.bad_request"
handler403 = "shop.errors.permission_denied"
handler404 = "shop.errors.page_not_found"
handler500 = "shop.errors.server_error"
