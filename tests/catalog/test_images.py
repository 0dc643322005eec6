"""The image service: validation by content, normalisation, renditions, deletion."""

import io
import posixpath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError
from PIL import Image

from catalog import images, services, tasks
from catalog.models import ProductImage
from tests.catalog import images as files
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def _save(data, name="photo.jpg", product=None):
    image = ProductImage(product=product or ProductFactory(), alt="사진")
    return services.product_image_save(image=image, file=ContentFile(data, name=name))


@pytest.mark.parametrize(
    ("data", "extension"),
    [(files.encoded("JPEG"), "jpg"), (files.png_with_transparency(), "png"), (files.encoded("WEBP"), "webp")],
)
def test_jpeg_png_and_webp_are_accepted_and_stored_as_what_they_are(data, extension):
    image = _save(data, name="upload.bin")
    assert image.image.name.endswith(f"/original.{extension}")
    assert default_storage.exists(image.image.name)


@pytest.mark.parametrize(
    "data",
    [files.pdf(), files.truncated_jpeg(), files.png_bomb(), b"", files.encoded("GIF")],
    ids=["pdf-named-jpg", "truncated", "20000x20000", "empty", "gif"],
)
def test_files_that_are_not_acceptable_images_are_refused(data):
    with pytest.raises(images.InvalidImage):
        _save(data, name="photo.jpg")
    assert not ProductImage.objects.exists()


def test_a_large_but_honest_image_over_the_pixel_limit_is_refused():
    with pytest.raises(images.InvalidImage, match="12001 x 10"):
        images.clean_image(ContentFile(files.encoded("PNG", size=(12_001, 10), mode="1", color=0)))


def test_exif_orientation_is_applied_and_metadata_is_stripped():
    image = _save(files.jpeg_from_a_phone())
    stored = Image.open(default_storage.open(image.image.name))
    assert stored.size == (30, 60) == (image.width, image.height)
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_keys_are_unguessable_and_never_the_uploaded_name():
    first, second = _save(files.encoded("JPEG"), name="내 사진.jpg"), _save(files.encoded("JPEG"), name="내 사진.jpg")
    assert "내 사진" not in first.image.name
    prefix = first.image.name.split("/")[1]
    assert first.image.name.startswith("products/") and len(prefix) == 32
    assert first.image.name != second.image.name


def test_renditions_are_scheduled_when_the_image_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = _save(files.noisy_jpeg((2000, 1500)))
    image.refresh_from_db()
    assert image.renditions_spec == images.RENDITION_SPEC
    sizes = {name: (r["width"], r["height"]) for name, r in image.renditions.items()}
    assert sizes == {"zoom": (1600, 1200), "product": (800, 600), "card": (360, 270), "thumb": (128, 96)}
    for rendition in image.renditions.values():
        assert Image.open(default_storage.open(rendition["webp"])).format == "WEBP"
        assert Image.open(default_storage.open(rendition["jpeg"])).format == "JPEG"


def test_a_transparent_png_keeps_its_alpha_in_webp_and_gets_white_in_jpeg():
    image = ProductImageFactory(image=ContentFile(files.png_with_transparency(), "logo.png"))
    card = image.rendition("card")
    assert Image.open(default_storage.open(card["webp"])).mode == "RGBA"
    jpeg = Image.open(default_storage.open(card["jpeg"])).convert("RGB")
    assert jpeg.getpixel((0, 0)) == (255, 255, 255)


def test_small_images_are_never_upscaled_and_sizes_they_cannot_fill_share_files():
    image = ProductImageFactory(image=ContentFile(files.encoded("JPEG", size=(300, 200)), "small.jpg"))
    assert image.rendition("zoom")["width"] == image.rendition("card")["width"] == 300
    assert image.rendition("zoom")["webp"] == image.rendition("card")["webp"]
    assert image.rendition("thumb")["width"] == 128
    assert len(image.storage_keys()) == 5


def test_making_renditions_twice_writes_once():
    image = ProductImageFactory()
    assert services.product_image_make_renditions(image_id=image.pk) is False


def test_forced_regeneration_replaces_the_objects_and_leaves_no_duplicates(django_capture_on_commit_callbacks):
    image = ProductImageFactory()
    folder = posixpath.dirname(image.image.name)
    before = default_storage.listdir(folder)[1]
    with django_capture_on_commit_callbacks(execute=True):  # the replaced set is deleted after the commit
        assert services.product_image_make_renditions(image_id=image.pk, force=True) is True
    image.refresh_from_db()
    after = default_storage.listdir(folder)[1]
    assert len(after) == len(before)
    assert set(after) == {posixpath.basename(key) for key in image.storage_keys()}


def test_an_image_deleted_before_its_task_runs_is_skipped():
    image = ProductImageFactory(with_renditions=False)
    ProductImage.objects.filter(pk=image.pk).delete()
    assert services.product_image_make_renditions(image_id=image.pk) is False


def test_deleting_an_image_deletes_its_original_and_renditions(django_capture_on_commit_callbacks):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((2000, 1500)), "p.jpg"))
    keys = image.storage_keys()
    assert len(keys) == 9
    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_delete(image=image)
    assert not any(default_storage.exists(key) for key in keys)


def test_deleting_a_product_deletes_its_images_objects(django_capture_on_commit_callbacks):
    image = ProductImageFactory()
    keys = image.storage_keys()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_delete(product_ids=[image.product_id])
    assert not any(default_storage.exists(key) for key in keys)


def test_replacing_the_original_deletes_the_old_objects(django_capture_on_commit_callbacks):
    image = ProductImageFactory()
    old_keys = image.storage_keys()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_save(image=image, file=ContentFile(files.encoded("WEBP"), "new.webp"))
    assert image.image.name.endswith(".webp") and image.renditions == {}
    assert not any(default_storage.exists(key) for key in old_keys)


def test_the_rendition_task_retries_then_fails_when_the_original_cannot_be_read():
    image = ProductImageFactory(with_renditions=False)
    default_storage.delete(image.image.name)
    result = tasks.product_image_renditions.apply(args=[image.pk])
    assert result.failed() and isinstance(result.result, FileNotFoundError)
    image.refresh_from_db()
    assert image.renditions == {} and image.renditions_spec == ""


def test_a_rendition_is_a_real_image_of_its_recorded_size():
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((900, 600)), "wide.jpg"))
    product = image.rendition("product")
    assert Image.open(io.BytesIO(default_storage.open(product["webp"]).read())).size == (800, 533)
    assert (product["width"], product["height"]) == (800, 533)


def test_the_regeneration_command_makes_missing_renditions_with_a_progress_bar():
    waiting = ProductImageFactory(with_renditions=False)
    ready = ProductImageFactory()
    out = io.StringIO()
    call_command("product_image_renditions", stdout=out)
    waiting.refresh_from_db()
    assert waiting.renditions_spec == images.RENDITION_SPEC
    assert "[########################################] 100%  1 of 1 images" in out.getvalue()
    assert "Renditions made for 1 images." in out.getvalue()
    assert ready.renditions_spec == images.RENDITION_SPEC


def test_the_regeneration_command_remakes_renditions_made_for_other_sizes():
    image = ProductImageFactory()
    ProductImage.objects.filter(pk=image.pk).update(renditions_spec="v0:old")
    call_command("product_image_renditions", stdout=io.StringIO())
    image.refresh_from_db()
    assert image.renditions_spec == images.RENDITION_SPEC


def test_the_import_command_adds_photos_by_slug_and_skips_what_is_not_an_image(tmp_path):
    product = ProductFactory(slug="hanul-bag")
    (tmp_path / "hanul-bag.jpg").write_bytes(files.encoded("JPEG"))
    (tmp_path / "hanul-bag--2.png").write_bytes(files.png_with_transparency())
    (tmp_path / "hanul-bag--3.jpg").write_bytes(files.pdf())
    (tmp_path / "nobody.jpg").write_bytes(files.encoded("JPEG"))
    out, err = io.StringIO(), io.StringIO()
    call_command("product_image_import", str(tmp_path), stdout=out, stderr=err)
    assert [(i.position, i.is_primary) for i in product.images.order_by("position")] == [(0, True), (1, False)]
    assert "hanul-bag--3.jpg" in err.getvalue() and "nobody.jpg" in err.getvalue()
    assert "2 images added, 2 files skipped." in out.getvalue()


def test_a_cmyk_jpeg_is_stored_as_rgb_without_its_cmyk_profile():
    image = _save(files.encoded("JPEG", mode="CMYK", color=(0, 80, 80, 0), icc_profile=b"not-an-rgb-profile"))
    stored = Image.open(default_storage.open(image.image.name))
    assert stored.mode == "RGB" and "icc_profile" not in stored.info


def test_an_rgb_colour_profile_is_kept_in_the_original_and_the_renditions():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = ProductImageFactory(image=ContentFile(files.encoded("JPEG", icc_profile=profile), "p.jpg"))
    assert Image.open(default_storage.open(image.image.name)).info["icc_profile"] == profile
    assert Image.open(default_storage.open(image.rendition("card")["webp"])).info["icc_profile"] == profile


def test_the_api_gets_absolute_urls_per_rendition_size(rf):
    from catalog.selectors import product_image_urls

    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1000, 500)), "p.jpg"))
    urls = product_image_urls(image=image, absolute=rf.get("/").build_absolute_uri)
    assert urls["original"] == {"url": f"http://testserver/media/{image.image.name}", "width": 1000, "height": 500}
    assert set(urls["renditions"]) == {"zoom", "product", "card", "thumb"}
    card = urls["renditions"]["card"]
    assert (card["width"], card["height"]) == (360, 180)
    assert card["webp"] == f"http://testserver/media/{image.rendition('card')['webp']}"


def test_an_upload_whose_row_cannot_be_saved_leaves_no_object():
    image = ProductImage(product=ProductFactory(), position=-1)  # refused by the database, not by Python
    with pytest.raises(DatabaseError):
        services.product_image_save(image=image, file=ContentFile(files.encoded("JPEG"), "p.jpg"))
    folders, _files = default_storage.listdir("products")
    assert [default_storage.listdir(f"products/{folder}")[1] for folder in folders] == [[]]


def test_regeneration_fills_in_the_size_of_images_saved_before_sizes_were_recorded():
    image = ProductImageFactory(image=ContentFile(files.encoded("JPEG", size=(300, 200)), "p.jpg"))
    ProductImage.objects.filter(pk=image.pk).update(width=0, height=0, renditions_spec="")
    call_command("product_image_renditions", stdout=io.StringIO())
    image.refresh_from_db()
    assert (image.width, image.height) == (300, 200)
