"""The storefront's own pages besides home: legal documents, robots.txt, the sitemap and the favicon."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .models import LegalDocument
from .sitemaps import SITEMAPS

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
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
