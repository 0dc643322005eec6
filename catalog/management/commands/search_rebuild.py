from django.core.management.base import BaseCommand

from catalog.management.progress import write_progress
from catalog.search import index


class Command(BaseCommand):
    help = "Rebuild the whole product search index, a chunk of products per transaction, then its frequencies."

    def handle(self, *args, **options):
        written = index.rebuild(progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {written:,} postings."))

    def _progress(self, done, total):
        write_progress(self.stdout, done, total, f"up to product {done:,} of {total:,}")
