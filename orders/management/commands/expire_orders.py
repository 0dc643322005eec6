from django.core.management.base import BaseCommand

from orders import services


class Command(BaseCommand):
    help = "Expire orders left unpaid longer than ORDER_PAYMENT_MINUTES and give their stock back."

    def handle(self, *args, **options):
        expired = services.orders_expire_unpaid()
        self.stdout.write(f"{expired} order(s) expired.")
