import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User

STAFF_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Create the demo staff account once and print its credentials (kept in var/demo-staff.txt)."

    def handle(self, *args, **options):
        credentials = settings.VAR_DIR / "demo-staff.txt"
        user = User.objects.filter(email=STAFF_EMAIL).first()
        if user is None or not credentials.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(email=STAFF_EMAIL, name="관리자", is_staff=True, is_superuser=True)
            user.set_password(password)
            user.save()
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password)
        # Staff log in through the store's log-in page, which wants a confirmed address (also for a staff
        # account made before sign-up required one).
        EmailAddress.objects.update_or_create(
            user=user, email=STAFF_EMAIL, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff log-in for http://127.0.0.1:8000/admin/ : {STAFF_EMAIL} / {credentials.read_text().strip()}"
            )
        )
