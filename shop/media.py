"""Serving uploaded files from Django, for development and tests (production serves them from S3/CloudFront)."""

from django.conf import settings
from django.views.static import serve


def media(request, path):
    # MEDIA_ROOT is read per request (not bound at import), so a test's private media folder is served too.
    return serve(request, path, document_root=settings.MEDIA_ROOT)
