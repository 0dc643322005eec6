"""The public catalog in the JSON API. Thin: validate the query, call one selector, shape the answer."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.cursors import INVALID_CURSOR
from shop.api.serializers import ErrorSerializer
from shop.api.throttling import AnonThrottle

from .. import selectors
from ..models import Product
from ..search.autocomplete import search_suggestions
from ..search.query import SearchFilters, product_search
from .serializers import (
    CategoryNodeSerializer,
    ProductDetailSerializer,
    ProductListQuerySerializer,
    ProductPageSerializer,
    SearchPageSerializer,
    SearchQuerySerializer,
    SuggestionsSerializer,
    SuggestQuerySerializer,
)

NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="code not_found: no such category, or no such product on sale (drafts and hidden ones too).",
    examples=[OpenApiExample("not_found", {"code": "not_found", "message": "Not found.", "details": None})],
)
BAD_REQUEST = OpenApiResponse(
    ErrorSerializer,
    description="code invalid: q is longer than 100 characters.",
    examples=[OpenApiExample("invalid", {"code": "invalid", "message": "Invalid input.", "details": {"q": ["..."]}})],
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="code throttled: too many requests from this address; retry after Retry-After seconds.",
    examples=[
        OpenApiExample(
            "throttled",
            {
                "code": "throttled",
                "message": "Request was throttled. Expected available in 12 seconds.",
                "details": None,
            },
        )
    ],
)
TAGS = ["catalog"]


class CatalogView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _page_response(request, products, total, total_capped, next_cursor):
    page = {"results": products, "total": total, "total_capped": total_capped, "next": next_cursor}
    return Response(ProductPageSerializer(page, context={"request": request}).data)


class CategoryTreeView(CatalogView):
    @extend_schema(
        responses={200: CategoryNodeSerializer(many=True), 429: THROTTLED},
        summary="The category tree (active categories, in display order)",
        operation_id="catalog_categories_list",
        tags=TAGS,
    )
    def get(self, request):
        return Response(CategoryNodeSerializer(selectors.category_tree().roots, many=True).data)


class ProductListView(CatalogView):
    @extend_schema(
        parameters=[ProductListQuerySerializer],
        responses={200: ProductPageSerializer, 400: INVALID_CURSOR, 429: THROTTLED},
        summary="Products, newest first or sorted, with the storefront's filters",
        description="Without a category: every product on sale or sold out. Pages go by cursor (`next`).",
        operation_id="catalog_products_list",
        tags=TAGS,
    )
    def get(self, request, slug=None):
        query = _query(ProductListQuerySerializer, request)
        category_ids = None
        if slug is not None:
            node = selectors.category_tree().by_slug.get(slug)
            if node is None:
                raise Http404("No such category.")
            category_ids = node.descendant_ids()
        page = selectors.product_page(
            category_ids=category_ids,
            sort=query["sort"],
            filters=selectors.ListingFilters(
                min_price=query.get("min_price"), max_price=query.get("max_price"), in_stock=query["in_stock"]
            ),
            after=query["after"],
            limit=settings.CATALOG_PAGE_SIZE,
        )
        return _page_response(request, page.products, page.total, page.total_capped, page.next_cursor)


class CategoryProductListView(ProductListView):
    @extend_schema(
        parameters=[ProductListQuerySerializer],
        responses={200: ProductPageSerializer, 400: INVALID_CURSOR, 404: NOT_FOUND, 429: THROTTLED},
        summary="A category's products (its subcategories' too)",
        operation_id="catalog_category_products_list",
        tags=TAGS,
    )
    def get(self, request, slug):
        return super().get(request, slug)


class SearchView(CatalogView):
    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchPageSerializer, 400: INVALID_CURSOR, 429: THROTTLED},
        summary="Search products (Korean words inside compounds too)",
        description=(
            "The storefront's search: every word must match; 가방 finds 여행가방 and 가방은. Sorted by relevance "
            "(name matches first) unless sort says otherwise. An empty q finds nothing. total is exact while "
            "counting it is cheap (the rarest word in at most a few thousand products) and an estimate rounded to "
            "two significant digits beyond (total_estimated)."
        ),
        operation_id="catalog_search",
        tags=TAGS,
    )
    def get(self, request):
        query = _query(SearchQuerySerializer, request)
        category_ids = None
        if query["category"]:
            node = selectors.category_tree().by_slug.get(query["category"])
            if node is None:
                raise serializers.ValidationError({"category": "No such category."})
            category_ids = tuple(node.descendant_ids())
        filters = SearchFilters(
            category_ids=category_ids,
            min_price=query.get("min_price"),
            max_price=query.get("max_price"),
            in_stock=query["in_stock"],
        )
        result = product_search(
            query=query["q"], filters=filters, sort=query["sort"], cursor=query["after"], categories=True
        )
        page = {
            "results": result.products,
            "total": result.total,
            "total_estimated": result.total_estimated,
            "total_capped": result.total_capped,
            "next": result.next_cursor,
            "including": list(result.including),
            "did_you_mean": result.suggestion,
        }
        return Response(SearchPageSerializer(page, context={"request": request}).data)


class SuggestThrottle(AnonThrottle):
    """Autocomplete asks on every pause in typing: a higher rate than the catalogue's other endpoints."""

    scope = "search_suggest"
    rate = "600/min"


class SearchSuggestView(CatalogView):
    throttle_classes = [SuggestThrottle]

    @extend_schema(
        parameters=[SuggestQuerySerializer],
        responses={200: SuggestionsSerializer, 400: BAD_REQUEST, 429: THROTTLED},
        summary="Search box suggestions: words and categories by prefix, or popular searches",
        description=(
            "Completes the last word typed from product-name words and category names, commonest first. The "
            "prefix may be 초성 (ㄴㅌㅂ -> 노트북) or end in a half-typed syllable (노트ㅂ, 노틉 -> 노트북). With an "
            "empty q, popular holds the most searched queries of the last day."
        ),
        operation_id="catalog_search_suggest",
        tags=TAGS,
    )
    def get(self, request):
        query = _query(SuggestQuerySerializer, request)
        return Response(SuggestionsSerializer(search_suggestions(text=query["q"])).data)


class ProductDetailView(CatalogView):
    @extend_schema(
        responses={200: ProductDetailSerializer, 404: NOT_FOUND, 429: THROTTLED},
        summary="A product: description, images, stock state, breadcrumb and related products",
        operation_id="catalog_products_retrieve",
        tags=TAGS,
    )
    def get(self, request, slug):
        try:
            product = selectors.product_get_visible(slug=slug)
        except Product.DoesNotExist:
            raise Http404("No such product.") from None
        node = selectors.category_tree().by_slug.get(product.category.slug)
        detail = {
            "product": product,
            "breadcrumb": [*node.ancestors, node.category] if node else [],
            "related": selectors.product_related(product=product),
        }
        return Response(ProductDetailSerializer(detail, context={"request": request}).data)
