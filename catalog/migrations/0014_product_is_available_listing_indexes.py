"""Listings (issue 22): ``Product.is_available`` stored, filled from status and SKUs, and indexes that serve each
sort within a category with in-stock products first (see ``Product.Meta.indexes``)."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def fill_is_available(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Sku = apps.get_model("catalog", "Sku")
    in_stock = Sku.objects.filter(product=OuterRef("pk"), is_active=True, stock__gt=0)
    Product.objects.filter(status="on_sale").filter(Exists(in_stock)).update(is_available=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_category_info_notice_template_product_info_notice"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_available",
            field=models.BooleanField(default=False, editable=False, verbose_name="available"),
        ),
        # Filled before the indexes exist, so the UPDATE maintains none of them.
        migrations.RunPython(fill_is_available, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="product", name="product_cat_price"),
        migrations.RemoveIndex(model_name="product", name="product_cat_name"),
        migrations.RemoveIndex(model_name="product", name="product_cat_status"),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "is_available"], name="product_cat_avail"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "is_available", "price"], name="product_cat_avail_price"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "is_available", "name"], name="product_cat_avail_name"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "is_available", "status"], name="product_cat_avail_status"),
        ),
    ]
