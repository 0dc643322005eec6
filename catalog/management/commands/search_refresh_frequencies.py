from django.core.management.base import BaseCommand

from catalog.search import index


class Command(BaseCommand):
    help = "Recount how many products hold each search token (the search starts from the rarest one)."

    def handle(self, *args, **options):
        index.refresh_frequencies()
        self.stdout.write(self.style.SUCCESS("Search token frequencies refreshed."))
