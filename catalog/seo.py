"""What search engines read of the catalog: schema.org Product, Offer and BreadcrumbList as JSON-LD."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Product
from .templatetags.product_images import zoom_url


def product_image_url(product: Product) -> str:
    """The product's largest picture (for link previews and search results), or "" without one."""
    image = product.primary_image
    return zoom_url(image) if image else ""


def product_json_ld(*, product: Product, absolute, rating=None) -> dict:
    """schema.org Product with one Offer in won (today's price: the sale price while a sale is on), and its
    AggregateRating when ``rating`` (``reviews.selectors.product_rating``) counts any review. ``absolute`` makes a
    path absolute (``build_absolute_uri``)."""
    image = product_image_url(product)
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": str(product.pk),
        "url": absolute(product.get_absolute_url()),
        "offers": {
            "@type": "Offer",
            "url": absolute(product.get_absolute_url()),
            "priceCurrency": "KRW",
            "price": product.current_price,
            "availability": "https://schema.org/InStock" if product.is_purchasable else "https://schema.org/OutOfStock",
            "itemCondition": "https://schema.org/NewCondition",
        },
    }
    if rating is not None and rating.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": rating.average_stars,
            "reviewCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    if product.description:
        data["description"] = product.description[:500]
    if image:
        data["image"] = [absolute(image)]
    return data


def breadcrumb_json_ld(*, categories, absolute, last=None) -> dict:
    """schema.org BreadcrumbList: home, the categories, then ``last`` (a product) when given."""
    items = [(_("Home"), absolute(reverse("home")))]
    items += [(category.name, absolute(category.get_absolute_url())) for category in categories]
    if last is not None:
        items.append((last.name, absolute(last.get_absolute_url())))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }
