from django.utils.translation import get_language

from catalog.selectors import request_category_tree

from .selectors import seller_info


def storefront(request):
    """What the base layout needs on every page: the top-level categories and the seller's legal details."""
    return {
        "nav_categories": request_category_tree(request).roots,
        "seller": seller_info(language=get_language() or "ko"),
    }
