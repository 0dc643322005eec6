from catalog.selectors import category_tree


def storefront(request):
    """What the base layout needs on every page: the top-level categories for the navigation."""
    return {"nav_categories": category_tree().roots}
