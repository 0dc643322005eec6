"""Every account gets its own random Toss customerKey (existing accounts one each, not one shared default)."""

from django.db import migrations, models

import accounts.models


def fill_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(payment_customer_key__isnull=True).only("id").iterator():
        User.objects.filter(pk=user.pk).update(payment_customer_key=accounts.models.new_payment_customer_key())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_address_one_default")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="payment_customer_key",
            field=models.CharField(editable=False, max_length=50, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="payment_customer_key",
            field=models.CharField(
                default=accounts.models.new_payment_customer_key, editable=False, max_length=50, unique=True
            ),
        ),
    ]
