"""System checks of the payments app."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def toss_live_keys(app_configs, **kwargs):
    """Production with Toss's test keys takes no real money: say so in ``check --deploy``."""
    if settings.TOSS_SECRET_KEY.startswith("test_") or settings.TOSS_CLIENT_KEY.startswith("test_"):
        return [
            Warning(
                "Toss Payments test keys are configured: no real payment can be taken.",
                hint="Set TOSS_CLIENT_KEY and TOSS_SECRET_KEY to the store's live keys.",
                id="payments.W001",
            )
        ]
    return []
