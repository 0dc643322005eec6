from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from catalog import images, services
from catalog.management.progress import write_progress
from catalog.models import Product, ProductImage


class Command(BaseCommand):
    help = (
        "Add product photos from a folder: <product slug>.<ext> (the primary photo) and <slug>--2.<ext>, "
        "<slug>--3.<ext> ... (more, in that order). Each file goes through the image service; files that are not "
        "acceptable images, or name no product, are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        paths = sorted(path for path in folder.iterdir() if path.is_file())
        products = Product.objects.in_bulk([self._slug(path)[0] for path in paths], field_name="slug")
        added, problems = 0, []
        for done, path in enumerate(paths, start=1):
            problem = self._add(path, products)
            if problem:
                problems.append(f"{path.name}: {problem}")
            else:
                added += 1
            write_progress(self.stdout, done, len(paths), f"{done:,} of {len(paths):,} files")
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(self.style.SUCCESS(f"{added:,} images added, {len(problems):,} files skipped."))

    def _add(self, path, products):
        """Add one file; returns why it was skipped, or None."""
        slug, position = self._slug(path)
        product = products.get(slug)
        if product is None:
            return f"no product with the slug {slug!r}"
        image = ProductImage(product=product, alt=product.name, position=position, is_primary=position == 0)
        try:
            with path.open("rb") as file:
                services.product_image_save(image=image, file=File(file, name=path.name))
        except images.InvalidImage as error:
            return error.message
        return None

    @staticmethod
    def _slug(path):
        slug, _, number = path.stem.partition("--")
        return slug, int(number) - 1 if number.isdigit() and int(number) > 0 else 0
