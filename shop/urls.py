"""The storefront's own pages besides home: legal documents, robots.txt, the sitemap and the favicon."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from . import views
from .models import LegalDocument
from .sitemaps import SITEMAPS

SITEMAP_CACHE_SECONDS = 60 * 60

urlpatterns = [
    path("terms/", views.legal_document, {"kind": LegalDocument.Kind.TERMS}, name="legal_terms"),
    path("privacy/", views.legal_document, {"kind": LegalDocument.Kind.PRIVACY}, name="legal_privacy"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    # Crawlers fetch each page rarely and all at once: an hour's cache spares the database and the rendering.
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
