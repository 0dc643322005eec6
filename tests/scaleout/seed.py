"""Run as ``python -m tests.scaleout.seed`` with DATABASE_URL set: a product with one unit left and a customer
with a session token, made through the store's own factories, printed as JSON (the read-replica tests' data
on their private primary)."""

import json

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402

from catalog.search.index import index_products  # noqa: E402
from tests.factories import ProductFactory, UserFactory  # noqa: E402

product = ProductFactory(name="원래 이름", price=12_900, stock=1)
index_products(product_ids=[product.id])
user = UserFactory()
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()})  # fmt: skip
session.create()
print(json.dumps({"product_id": product.id, "slug": product.slug, "token": session.session_key}))
