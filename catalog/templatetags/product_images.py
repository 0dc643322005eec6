"""``{% product_picture image "card" %}``: a product image as the pages show it, from its renditions.

A ``<picture>`` with a WebP ``srcset`` and a JPEG fallback, ``sizes``, width and height (no layout shift) and
lazy loading below the fold. Until the renditions exist, a product page shows the original and a card shows
the placeholder: a page of 24 cards never pulls 24 originals.
"""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class PictureRole:
    """Where a picture appears: the renditions offered to the browser (smallest first) and how wide it is."""

    renditions: tuple[str, ...]
    sizes: str
    original_fallback: bool


# Widths follow static/css/shop.css: cards are grid columns of about 190px in a 1180px page (two a row on a
# phone), the product page's gallery is half the page (the whole width under 720px).
PICTURE_ROLES = {
    "card": PictureRole(("card", "product"), "(max-width: 720px) 50vw, 200px", original_fallback=False),
    "product": PictureRole(("product", "zoom"), "(max-width: 720px) 100vw, 570px", original_fallback=True),
    "thumb": PictureRole(("thumb", "card"), "140px", original_fallback=True),
}


def image_url(image, rendition_name, *, original_fallback) -> str:
    """One rendition's URL (WebP); while it is not made yet, the original's or "". For the admin's thumbnails."""
    rendition = image.rendition(rendition_name)
    if rendition:
        return image.image.storage.url(rendition["webp"])
    return image.image.storage.url(image.image.name) if original_fallback else ""


def picture_context(image, role_name, *, alt="", lazy=True, css_class="") -> dict:
    """What ``catalog/includes/picture.html`` needs; ``{"placeholder": True}`` when there is nothing to show."""
    role = PICTURE_ROLES[role_name]
    storage = image.image.storage
    context = {"alt": alt or image.alt, "lazy": lazy, "css_class": css_class}
    offered, widths = [], set()
    for name in role.renditions:
        rendition = image.rendition(name)
        if rendition and rendition["width"] not in widths:
            widths.add(rendition["width"])
            offered.append(rendition)
    if offered:
        first = offered[0]
        return context | {
            "webp_srcset": ", ".join(f"{storage.url(r['webp'])} {r['width']}w" for r in offered),
            "jpeg_srcset": ", ".join(f"{storage.url(r['jpeg'])} {r['width']}w" for r in offered),
            "sizes": role.sizes,
            "src": storage.url(first["jpeg"]),
            "width": first["width"],
            "height": first["height"],
        }
    if role.original_fallback and image.image.name:
        url = storage.url(image.image.name)
        return context | {"src": url, "width": image.width or None, "height": image.height or None}
    return context | {"placeholder": True}


@register.inclusion_tag("catalog/includes/picture.html")
def product_picture(image, role, alt="", eager=False, css_class="", placeholder_text=""):
    """Lazy unless ``eager`` (the pictures above the fold: the product photo, a listing's first row)."""
    return picture_context(image, role, alt=alt, lazy=not eager, css_class=css_class) | {
        "placeholder_text": placeholder_text
    }


@register.simple_tag
def zoom_url(image) -> str:
    """The largest rendition (JPEG, which every browser opens), else the original: the product page's zoom."""
    rendition = image.rendition("zoom")
    return image.image.storage.url(rendition["jpeg"] if rendition else image.image.name)
