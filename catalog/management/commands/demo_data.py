from django.core.management.base import BaseCommand

from catalog import demo
from catalog.models import Product

IMAGES_UP_TO = 2000


class Command(BaseCommand):
    help = "Create a Korean demo catalog: a 3-level category tree and products (up to 1,000,000 for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=400, help="How many products to create (default 400).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when products already exist.")
        parser.add_argument(
            "--no-images", action="store_true", help=f"Skip placeholder images (always skipped above {IMAGES_UP_TO})."
        )
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, products, if_empty, no_images, seed, **options):
        if if_empty and Product.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        with_images = not no_images and products <= IMAGES_UP_TO
        created = demo.create_products(count=products, with_images=with_images, seed=seed, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Created {created} products."))

    def _progress(self, done, total):
        self.stdout.write(f"  {done:,} / {total:,} products", ending="\r" if done < total else "\n")
        self.stdout.flush()
