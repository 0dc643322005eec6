from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = _("Pricing")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ShippingSurcharge
        from .selectors import surcharge_table_forget

        def forget(sender, **kwargs):
            surcharge_table_forget()

        post_save.connect(forget, sender=ShippingSurcharge, weak=False, dispatch_uid="pricing.surcharge_saved")
        post_delete.connect(forget, sender=ShippingSurcharge, weak=False, dispatch_uid="pricing.surcharge_deleted")
