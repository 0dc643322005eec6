"""Each search posting carries its product's price (``SearchToken.price``), filled from the products here."""

from django.db import migrations, models

# Postings a statement fills: ~12 s each on MariaDB at 1,000,000 products (92 M postings, ~18 min in all).
CHUNK = 1_000_000


def fill(apps, schema_editor):
    """Copy every product's price onto its postings, a range of tokens per statement and transaction: the
    postings are read in their key's order (by product id, each product's ~90 postings lie all over the
    table: 4x slower), and no statement holds the locks of the whole index."""
    Product = apps.get_model("catalog", "Product")
    SearchToken = apps.get_model("catalog", "SearchToken")
    connection = schema_editor.connection
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    products = connection.ops.quote_name(Product._meta.db_table)
    if connection.vendor == "mysql":
        update = f"UPDATE {tokens} t JOIN {products} p ON p.id = t.product_id SET t.price = p.price"  # noqa: S608
        token = "t.token"
    else:
        price = f"(SELECT p.price FROM {products} p WHERE p.id = {tokens}.product_id)"  # noqa: S608
        update, token = f"UPDATE {tokens} SET price = {price}", "token"
    boundary = f"SELECT token FROM {tokens} WHERE token > %s ORDER BY token LIMIT 1 OFFSET {CHUNK}"  # noqa: S608
    with connection.cursor() as cursor:
        low = ""
        while True:
            cursor.execute(boundary, [low])
            row = cursor.fetchone()
            if row is None:  # the last range: every token from ``low`` on
                cursor.execute(f"{update} WHERE {token} >= %s", [low])
                return
            cursor.execute(f"{update} WHERE {token} >= %s AND {token} < %s", [low, row[0]])
            low = row[0]


class Migration(migrations.Migration):
    # Each chunk commits on its own on MariaDB (whose DDL is not transactional anyway).
    atomic = False

    dependencies = [("catalog", "0017_product_name_index_with_price")]

    operations = [
        # A database default as well: a worker of the release before this one may still write postings.
        migrations.AddField(
            model_name="searchtoken", name="price", field=models.IntegerField(default=0, db_default=0)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
