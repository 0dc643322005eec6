"""Cart lines and order lines by SKU: each existing line gets its product's one SKU (made by catalog 0007)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Sku = apps.get_model("catalog", "Sku")
    first_sku = Subquery(Sku.objects.filter(product_id=OuterRef("product_id")).order_by("id").values("id")[:1])
    apps.get_model("orders", "CartItem").objects.update(sku_id=first_sku)
    apps.get_model("orders", "OrderLine").objects.update(sku_id=first_sku)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_product_stock_to_skus"),
        ("orders", "0003_idempotency_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="cartitem",
            name="sku",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.sku"
            ),
        ),
        migrations.AddField(
            model_name="orderline",
            name="option_label",
            field=models.CharField(blank=True, max_length=200, verbose_name="options"),
        ),
        migrations.AddField(
            model_name="orderline",
            name="sku",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="order_lines",
                to="catalog.sku",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="cartitem", name="cartitem_user_product"),
        migrations.RemoveField(model_name="cartitem", name="product"),
        migrations.AlterField(
            model_name="cartitem",
            name="sku",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.sku"),
        ),
        migrations.AlterField(
            model_name="orderline",
            name="sku",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="order_lines",
                to="catalog.sku",
            ),
        ),
        migrations.AddConstraint(
            model_name="cartitem",
            constraint=models.UniqueConstraint(fields=("user", "sku"), name="cartitem_user_sku"),
        ),
    ]
