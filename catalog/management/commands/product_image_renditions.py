from django.core.management.base import BaseCommand

from catalog import selectors, services
from catalog.management.progress import write_progress


class Command(BaseCommand):
    help = (
        "Make the renditions of product images that lack current ones (after the sizes changed, or images whose "
        "task never ran); --all remakes every image's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake renditions even where they are current.")

    def handle(self, *args, all, **options):
        image_ids = list(selectors.product_images_needing_renditions(force=all))
        made = 0
        for done, image_id in enumerate(image_ids, start=1):
            made += services.product_image_make_renditions(image_id=image_id, force=all)
            write_progress(self.stdout, done, len(image_ids), f"{done:,} of {len(image_ids):,} images")
        self.stdout.write(self.style.SUCCESS(f"Renditions made for {made:,} images."))
