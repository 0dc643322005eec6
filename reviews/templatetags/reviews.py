"""``{% product_reviews product %}``: the product page's reviews (aggregate, sort, photo filter, one page)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("reviews/includes/product_reviews.html", takes_context=True)
def product_reviews(context, product):
    request = context["request"]
    sort = request.GET.get("review_sort", selectors.DEFAULT_REVIEW_SORT)
    sort = sort if sort in selectors.REVIEW_SORTS else selectors.DEFAULT_REVIEW_SORT
    photos_only = request.GET.get("photos") == "1"
    page = selectors.review_page(
        product=product, sort=sort, photos_only=photos_only, after=request.GET.get("review_after", "")
    )
    return {
        "product": product,
        "rating": selectors.product_rating(product=product),
        "page": page,
        "sort": sort,
        "sorts": selectors.review_sort_labels(),
        "photos_only": photos_only,
        "writable": selectors.reviewable_lines(user=request.user, product=product),
    }
