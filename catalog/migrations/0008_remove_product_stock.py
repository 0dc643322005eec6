from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_product_stock_to_skus"),
        # Orders find their lines' SKUs by product before the column goes.
        ("orders", "0004_cart_and_order_lines_by_sku"),
    ]

    operations = [migrations.RemoveField(model_name="product", name="stock")]
