"""``{% product_cards products eager=6 as cards %}``: what each card of a product grid shows, worked out in
Python once per card for ``includes/product_card.html``.

A listing renders 24 cards. Read by the template, each card summed its SKUs four times, reversed two URLs and
resolved some forty lookups through six includes: half of a category page's time at 5,000 products.
"""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from catalog.models import Product, ProductImage, StockState
from wishlist.templatetags.wishlist import Heart, hearts

register = template.Library()


@dataclass(frozen=True)
class ProductCard:
    url: str
    name: str
    initial: str  # in place of a missing picture
    image: ProductImage | None
    eager: bool  # above the fold: its picture loads at once
    price: int
    regular: int
    stock: StockState
    rating: object  # reviews' ProductRating with at least one review, else None
    heart: Heart


@register.simple_tag(takes_context=True)
def product_cards(context, products: list[Product], eager: int = 0) -> list[ProductCard]:
    """The cards of ``products`` in order; the first ``eager`` of them above the fold."""
    products, now = list(products), timezone.now()
    urls = [product.get_absolute_url() for product in products]
    cards = []
    for position, (product, url, heart) in enumerate(
        zip(products, urls, hearts(context.get("request"), products, urls), strict=True)
    ):
        cards.append(
            ProductCard(
                url=url,
                name=product.name,
                initial=product.name[:1],
                image=product.primary_image,
                eager=position < (eager or 0),
                price=product.price_at(now),
                regular=product.price,
                stock=product.stock_state,
                rating=_rating(product),
                heart=heart,
            )
        )
    return cards


def _rating(product):
    rating = getattr(product, "rating", None)  # select_related: None when the product has no rating row
    return rating if rating is not None and rating.count else None
