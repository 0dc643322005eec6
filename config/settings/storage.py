"""Static files and media (the file system, or S3 behind CloudFront)."""

from .base import BASE_DIR, DEBUG, env

# --- Static and media -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Serve uploaded files from Django itself: on in development; production uses S3/CloudFront or a proxy.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STATIC_STORAGE = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if not DEBUG
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_STORAGE", default=STATIC_STORAGE)},
}
# Media on S3 (the S3 tests use these too). Every key is new per upload and rendition keys carry the rendition
# spec, so objects never change: cached for a year, immutable. No ACL is sent (buckets with ACLs disabled).
S3_MEDIA_OPTIONS = {
    "file_overwrite": False,
    "querystring_auth": False,
    "default_acl": None,
    "object_parameters": {"CacheControl": "max-age=31536000, public, immutable"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_MEDIA_OPTIONS,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME", default="ap-northeast-2"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            # Images are served by CloudFront in front of the bucket; URLs use its domain.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
        },
    }
