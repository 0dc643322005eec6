"""Product images: bytes a browser downloads per page before and after renditions, and rendition throughput.

Builds a throwaway SQLite catalog in a temporary folder (nothing else is touched): --products products, each with
one synthetic 12-megapixel phone-like JPEG original saved through the image service, renditions made in this
one process (so the time is one core's). Then renders the home page and a category page with Django's test
client and adds up the image bytes a browser would fetch:

- before: what the card template referenced until issue 15, each card's original;
- after: the candidate a browser picks from each card's WebP srcset for ``sizes`` 200px at device pixel ratio 1
  and 2 (every card counted, as if lazy loading fetched them all: the worst case).

    .venv/bin/python bench/images.py --products 30
"""

import argparse
import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
WORK = Path(tempfile.mkdtemp(prefix="bench-images-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.pop("REDIS_URL", None)
# The save schedules the rendition task; here renditions are made in process (timed), so the task goes nowhere.
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from catalog import images, services  # noqa: E402
from catalog.models import Category, Product, ProductImage  # noqa: E402

CARD_CSS_WIDTH = 200


def phone_photo(seed, size=(4000, 3000)) -> bytes:
    """A JPEG (quality 92) with detail at every scale, like a real photo: coloured noise at 1/128 to full size,
    enlarged smoothly and blended, so that downscaled renditions are not flat (as a blurred shape would be)."""
    image = Image.new("RGB", size, (150 + seed % 100, 120, 90))
    for divisor, weight in ((128, 0.6), (32, 0.35), (8, 0.25), (1, 0.08)):
        small = (max(1, size[0] // divisor), max(1, size[1] // divisor))
        channels = [Image.effect_noise(small, 60 + seed % 20) for _ in range(3)]
        layer = Image.merge("RGB", channels).resize(size, Image.Resampling.BICUBIC)
        image = Image.blend(image, layer, weight)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def build(count):
    call_command("migrate", verbosity=0)
    category = Category.objects.create(name="벤치", slug="bench")
    uploads, seconds, created = 0, 0.0, []
    for number in range(count):
        product = Product.objects.create(
            category=category,
            name=f"벤치 상품 {number}",
            slug=f"bench-{number}",
            price=10000,
            stock=5,
            status="on_sale",
        )
        photo = phone_photo(number)
        uploads += len(photo)
        image = services.product_image_save(
            image=ProductImage(product=product, is_primary=True), file=ContentFile(photo, "photo.jpg")
        )
        created.append(image.pk)
    for image_id in created:
        start = time.perf_counter()
        services.product_image_make_renditions(image_id=image_id)
        seconds += time.perf_counter() - start
    return category, uploads / count, seconds


def picked(srcset, css_width, ratio):
    """The srcset candidate a browser takes: the smallest at least css_width x ratio wide, else the largest."""
    candidates = sorted((int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", srcset))
    need = css_width * ratio
    return next((url for width, url in candidates if width >= need), candidates[-1][1])


def page_bytes(client, url):
    page = client.get(url).content.decode()
    cards = re.findall(r'<article class="card">.*?</article>', page, flags=re.S)
    originals = ProductImage.objects.filter(product__slug__in=re.findall(r'href="/products/([^/"]+)/"', page))
    before = sum(default_storage.size(image.image.name) for image in originals)
    after = {}
    for ratio in (1, 2):
        total = 0
        for card in cards:
            srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', card)
            if srcset:
                media_url = picked(srcset.group(1), CARD_CSS_WIDTH, ratio)
                total += default_storage.size(media_url.removeprefix("/media/"))
        after[ratio] = total
    return len(cards), before, after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=30)
    args = parser.parse_args()
    category, original_size, seconds = build(args.products)
    per_image = seconds / args.products
    renditions = len(images.RENDITION_SIZES) * len(images.RENDITION_FORMATS)
    print(f"{args.products} originals of 4000x3000, {original_size / 1e6:.2f} MB each on average (after re-encoding)")
    print(
        f"renditions: {per_image * 1000:.0f} ms per image ({renditions} files), {1 / per_image:.2f} images/s "
        f"= {renditions / per_image:.1f} renditions/s on one core; load average {os.getloadavg()}"
    )
    client = Client()
    for label, url in (("home", "/"), ("category", category.get_absolute_url())):
        cards, before, after = page_bytes(client, url)
        print(
            f"{label}: {cards} cards, before {before / 1e6:.2f} MB, after {after[1] / 1e3:.0f} KB (DPR 1) / "
            f"{after[2] / 1e3:.0f} KB (DPR 2): {before / after[1]:.0f}x / {before / after[2]:.0f}x fewer bytes"
        )


if __name__ == "__main__":
    main()
