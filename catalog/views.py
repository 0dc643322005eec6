"""Storefront pages of the catalog: a category's listing and a product's page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from shop.pagination import CappedPaginator

from . import selectors
from .forms import SORT_LABELS, SearchForm
from .models import Product
from .search import popular
from .search.query import product_search


def category_detail(request, slug):
    tree = selectors.category_tree()
    node = tree.by_slug.get(slug)
    if node is None:
        raise Http404("No such category.")
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.PRODUCT_SORTS:
        sort = selectors.DEFAULT_SORT
    products = selectors.product_list(category_ids=node.descendant_ids(), sort=sort)
    page = CappedPaginator(products, settings.CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/category_detail.html",
        {"node": node, "category": node.category, "page": page, "sort": sort, "sorts": _sort_labels()},
    )


def product_detail(request, slug):
    try:
        product = selectors.product_get_visible(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None
    node = selectors.category_tree().by_slug.get(product.category.slug)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "breadcrumb": (node.ancestors + [node.category]) if node else [],
            "related": selectors.product_related(product=product),
        },
    )


def search(request):
    """The results page: /search/?q=... with filters, sorting and pages (numbered first, then "next")."""
    form = SearchForm(request.GET, tree=selectors.category_tree())
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
