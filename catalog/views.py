"""Storefront pages of the catalog: a category's listing and a product's page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reviews import selectors as review_selectors
from shop import selectors as shop_selectors

from . import selectors, seo
from .forms import SORT_LABELS, ListingForm, SearchForm
from .models import Product
from .search import popular
from .search.query import product_search, search_option_facets


def category_detail(request, slug):
    tree = selectors.request_category_tree(request)
    node = tree.by_slug.get(slug)
    if node is None:
        raise Http404("No such category.")
    category_ids = node.descendant_ids()
    facets = selectors.listing_option_facets(category_ids=category_ids)
    form = ListingForm(request.GET, sorts=_sort_labels(), facets=facets)
    arguments = form.listing_arguments(default_sort=selectors.DEFAULT_SORT)
    results = selectors.product_listing_page(category_ids=category_ids, limit=settings.CATALOG_PAGE_SIZE, **arguments)
    return render(
        request,
        "catalog/category_detail.html",
        {
            "structured_data": [
                seo.breadcrumb_json_ld(categories=node.ancestors + [node.category], absolute=request.build_absolute_uri)
            ],
            "node": node,
            "category": node.category,
            "results": results,
            "form": form,
            "facets": facets,
            "chosen_options": set(form.value("option", [])),
            "chips": form.chips(request.GET),
            "sort": arguments["sort"],
            "sorts": _sort_labels(),
        },
    )


def product_detail(request, slug):
    try:
        product = selectors.product_get_visible(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None
    node = selectors.request_category_tree(request).by_slug.get(product.category.slug)
    breadcrumb = (node.ancestors + [node.category]) if node else []
    absolute = request.build_absolute_uri
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "breadcrumb": breadcrumb,
            "related": selectors.product_related(product=product),
            "info_notice": selectors.product_info_notice(product=product, node=node),
            "delivery": shop_selectors.delivery_info(language=get_language() or "ko"),
            "image_url": seo.product_image_url(product),
            "structured_data": [
                seo.product_json_ld(
                    product=product, absolute=absolute, rating=review_selectors.product_rating(product=product)
                ),
                seo.breadcrumb_json_ld(categories=breadcrumb, absolute=absolute, last=product),
            ],
        },
    )


def search(request):
    """The results page: /search/?q=... with filters, sorting and pages (numbered first, then "next")."""
    form = SearchForm(request.GET, tree=selectors.request_category_tree(request))
    arguments = form.search_arguments()
    # The option values on offer are read from the results under the other filters; then the chosen ones count.
    facets = search_option_facets(query=arguments["query"], filters=arguments["filters"])
    form.offer_options(facets)
    arguments = form.search_arguments()
    results = product_search(**arguments)
    if results.total and arguments.get("page", 1) == 1 and not arguments.get("cursor"):
        # A counter in the cache, not the database: the empty search box lists the last day's searches.
        popular.record(" ".join(results.plan.words))
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "results": results,
            "facets": facets,
            "chosen_options": set(form.value("option", [])),
            "chips": form.chips(request.GET),
            "search_query": arguments["query"],
            "sort": arguments["sort"],
            "sorts": SORT_LABELS.items(),
        },
    )


def _sort_labels():
    return [
        ("new", _("Newest")),
        ("price_asc", _("Price: low to high")),
        ("price_desc", _("Price: high to low")),
        ("name", _("Name")),
        ("rating", _("Top rated")),
    ]
