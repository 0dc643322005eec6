from django.core.management.base import BaseCommand

from catalog.management.progress import write_progress
from catalog.search import index


class Command(BaseCommand):
    help = "Rebuild the whole product search index, a chunk of products per transaction, then its frequencies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--categories",
            action="store_true",
            help="Only write every product's category tokens afresh (set-based: minutes at a million products), "
            "e.g. once after deploying category tokens onto an index built without them.",
        )

    def handle(self, *args, categories, **options):
        if categories:
            written = index.index_categories(progress=self._category_progress)
            self.stdout.write(self.style.SUCCESS(f"Category tokens rebuilt: {written:,} postings."))
            return
        written = index.rebuild(progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {written:,} postings."))

    def _progress(self, done, total):
        write_progress(self.stdout, done, total, f"up to product {done:,} of {total:,}")

    def _category_progress(self, done, total):
        write_progress(self.stdout, done, total, f"category {done:,} of {total:,}")
