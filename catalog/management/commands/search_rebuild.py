import sys

from django.core.management.base import BaseCommand

from catalog.search import index

BAR_WIDTH = 40


class Command(BaseCommand):
    help = "Rebuild the whole product search index, a chunk of products per transaction, then its frequencies."

    def handle(self, *args, **options):
        written = index.rebuild(progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {written:,} postings."))

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        percent = 100 * done // total if total else 100
        end = "\n" if done >= total or not sys.stdout.isatty() else "\r"
        self.stdout.write(f"  [{bar}] {percent:3d}%  up to product {done:,} of {total:,}", ending=end)
        self.stdout.flush()
