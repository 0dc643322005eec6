"""sitemap.xml: an index of sections, products split into pages by id range.

Django's Sitemap pages with a ``Paginator``: a COUNT(*) of every visible product for the index, and OFFSET for
each page, which reads and throws away every earlier row (page 20 of a million products reads 950,000).
Here a products page is an id range, ``[(n - 1) * limit + 1, n * limit]``: the index needs only MAX(id) and each
page is one primary-key range scan. A page holds at most ``limit`` URLs (fewer where ids are missing or products
hidden), so a page may even be empty; that is valid XML and the next page is still listed.
"""

from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from catalog import selectors as catalog_selectors
from catalog.models import Product

# Google takes up to 50,000 URLs a file; rendering is what costs (~0.6 ms a URL on this 2-core machine under load,
# measured by bench/sitemap.py), so pages are small: 2,000 URLs, 500 pages at a million products.
PRODUCTS_PER_SITEMAP = 2_000


class _IdRangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """What ``Sitemap`` asks of a paginator (``num_pages``, ``page(n).object_list``), by primary-key ranges."""

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @property
    def num_pages(self):
        last_id = self.queryset.model.objects.aggregate(last=Max("id"))["last"] or 0
        return max(1, -(-last_id // self.per_page))

    @property
    def page_range(self):
        return range(1, self.num_pages + 1)

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page + 1
        rows = self.queryset.filter(id__gte=first, id__lt=first + self.per_page).order_by("id")
        return _IdRangePage(rows)


class ProductSitemap(Sitemap):
    changefreq = "daily"
    limit = PRODUCTS_PER_SITEMAP

    def items(self):
        return Product.objects.visible().only("id", "slug", "updated_at")

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, product):
        return product.updated_at

    def location(self, product):
        # reverse() for each of 10,000 rows was most of a page's time: the prefix is reversed once.
        return self._prefix + quote(product.slug, safe="") + "/"

    @cached_property
    def _prefix(self):
        return reverse("catalog:product", kwargs={"slug": "-"})[:-2]

    def get_latest_lastmod(self):
        # Per page it would need a scan of the page; the index does without (the tag is optional).
        return None


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [node.category for node in catalog_selectors.category_tree().by_slug.values()]


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "legal_terms", "legal_privacy"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PagesSitemap, "categories": CategorySitemap, "products": ProductSitemap}
