"""Every product gets its one SKU (code P<id>), holding the product's stock, recorded as an import movement so
the SKU's movements sum to its stock from the start. Nothing is lost: the reverse writes the sums back."""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Sku = apps.get_model("catalog", "Sku")
    StockMovement = apps.get_model("catalog", "StockMovement")
    last_id = 0
    while True:
        batch = list(Product.objects.filter(id__gt=last_id).order_by("id").values_list("id", "stock")[:BATCH])
        if not batch:
            return
        last_id = batch[-1][0]
        skus = Sku.objects.bulk_create(Sku(product_id=pid, code=f"P{pid}", stock=stock) for pid, stock in batch)
        if not all(sku.pk for sku in skus):  # backends without RETURNING ids: read them back
            skus = list(Sku.objects.filter(product_id__in=[pid for pid, _ in batch]))
        StockMovement.objects.bulk_create(
            StockMovement(sku_id=sku.pk, delta=sku.stock, reason="import", note="Product stock before SKUs")
            for sku in skus
            if sku.stock
        )


def backwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Sku = apps.get_model("catalog", "Sku")
    for product_id, stock in Sku.objects.filter(is_active=True).values_list("product_id", "stock"):
        Product.objects.filter(id=product_id).update(stock=stock)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_skus_and_stock_movements")]

    operations = [migrations.RunPython(forwards, backwards)]
