"""Serving uploaded files from Django, for development and tests (production serves them from S3/CloudFront)."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def media(request, path):
    # MEDIA_ROOT is read per request (not bound at import), so a test's private media folder is served too.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name longer than the file system allows (ENAMETOOLONG) is not a file we have
        raise Http404("No such file.") from None
