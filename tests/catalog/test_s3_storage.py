"""Product images on S3 through the real boto3 and django-storages, against moto's S3 server on a loopback port.

The storage options are config/settings/storage.py's S3_MEDIA_OPTIONS, as when AWS_STORAGE_BUCKET_NAME is set.
"""

import re
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from catalog import services
from catalog.models import ProductImage
from tests.catalog import images as files
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

CDN = "d111111abcdef8.cloudfront.net"
REGION = "ap-northeast-2"


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket as the default storage, its URLs on the CloudFront domain; returns a boto3 client."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = f"shop-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    options = {
        **settings.S3_MEDIA_OPTIONS,
        "bucket_name": bucket,
        "region_name": REGION,
        "endpoint_url": s3_endpoint,
        "custom_domain": CDN,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    client.bucket = bucket
    return client


def _keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=client.bucket).get("Contents", [])}


def test_an_image_and_its_renditions_are_uploaded_to_s3_with_long_caching(s3_bucket):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1000, 800)), "p.jpg"))
    assert _keys(s3_bucket) == set(image.storage_keys())
    head = s3_bucket.head_object(Bucket=s3_bucket.bucket, Key=image.rendition("card")["webp"])
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == "max-age=31536000, public, immutable"
    grants = s3_bucket.get_object_acl(Bucket=s3_bucket.bucket, Key=image.image.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"], "no ACL sent: private to the owner"


def test_renditions_are_made_from_the_original_read_back_from_s3(s3_bucket):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1000, 800)), "p.jpg"), with_renditions=False)
    assert _keys(s3_bucket) == {image.image.name}
    assert services.product_image_make_renditions(image_id=image.pk) is True
    image.refresh_from_db()
    assert len(_keys(s3_bucket)) == 9


def test_deleting_an_image_deletes_its_objects_from_s3(s3_bucket, django_capture_on_commit_callbacks):
    keep = ProductImageFactory()
    image = ProductImageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_delete(image=image)
    assert _keys(s3_bucket) == set(keep.storage_keys())


def test_a_refused_upload_writes_nothing_to_s3(s3_bucket):
    with pytest.raises(services.images.InvalidImage):
        services.product_image_save(
            image=ProductImage(product=ProductFactory()), file=ContentFile(files.pdf(), "x.jpg")
        )
    assert _keys(s3_bucket) == set()


def test_page_image_urls_use_the_cloudfront_domain(s3_bucket, client):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1000, 800)), "p.jpg"))
    ProductImageFactory(product=ProductFactory(category=image.product.category), with_renditions=False)
    product_page = client.get(image.product.get_absolute_url()).content.decode()
    listing = client.get(image.product.category.get_absolute_url()).content.decode()
    assert f"https://{CDN}/{image.rendition('product')['webp']}" in product_page
    urls = [url for page in (product_page, listing) for url in _image_urls(page)]
    assert urls and all(url.startswith(f"https://{CDN}/products/") for url in urls)
    assert image.image.name not in listing


def _image_urls(page):
    found = re.findall(r'(?:src|href)="([^"]+\.(?:webp|jpg|png))"', page)
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        found += [entry.split()[0] for entry in srcset.split(",")]
    return [url for url in found if not url.startswith("/static/")]  # the favicons are the site's, not media


def test_api_urls_are_on_the_cloudfront_domain(s3_bucket, rf):
    from catalog.selectors import product_image_urls

    image = ProductImageFactory()
    urls = product_image_urls(image=image, absolute=rf.get("/").build_absolute_uri)
    assert urls["original"]["url"] == f"https://{CDN}/{image.image.name}"
    assert all(r["webp"].startswith(f"https://{CDN}/products/") for r in urls["renditions"].values())
