"""Rendition tasks delivered twice, or racing a delete, on MariaDB with real threads."""

import posixpath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalog import images, services
from catalog.models import ProductImage
from tests.catalog import images as files
from tests.factories import ProductImageFactory
from tests.orders.concurrency import run_together

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def _folder_files(image_name):
    return set(default_storage.listdir(posixpath.dirname(image_name))[1])


def test_two_rendition_runs_at_once_leave_one_consistent_set_of_objects():
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1200, 900)), "p.jpg"))
    outcomes = run_together(
        [lambda: services.product_image_make_renditions(image_id=image.pk, force=True) for _ in range(3)]
    )
    assert [error for _result, error in outcomes] == [None, None, None]
    image.refresh_from_db()
    assert image.renditions_spec == images.RENDITION_SPEC
    referenced = {posixpath.basename(key) for key in image.storage_keys()}
    assert _folder_files(image.image.name) == referenced, "every object referenced, none left over"


def test_a_rendition_run_racing_a_delete_leaves_no_objects():
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1200, 900)), "p.jpg"))
    name = image.image.name
    outcomes = run_together(
        [
            lambda: services.product_image_make_renditions(image_id=image.pk, force=True),
            lambda: services.product_image_delete(image=ProductImage.objects.get(pk=image.pk)),
        ]
    )
    assert [error for _result, error in outcomes] == [None, None]
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert _folder_files(name) == set()
