"""The catalog in the JSON API: the category tree, product cards and pages, and the query parameters of lists."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..images import RENDITION_SIZES
from ..models import MAX_PRICE_WON
from ..search.query import DEFAULT_SEARCH_SORT, SEARCH_SORTS
from ..selectors import DEFAULT_SORT, PRODUCT_SORTS

STOCK_STATES = ("in_stock", "low_stock", "sold_out")


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class CategoryNodeSerializer(serializers.Serializer):
    """A node of ``catalog.selectors.CategoryTree``: a category and its active children, in display order."""

    id = serializers.IntegerField(source="category.id")
    slug = serializers.CharField(source="category.slug")
    name = serializers.CharField(source="category.name")


# Declared after the class: a node's children are nodes (a recursive component in the schema).
CategoryNodeSerializer._declared_fields["children"] = CategoryNodeSerializer(many=True)


class RenditionSerializer(serializers.Serializer):
    """One size of an image, as the media work makes it (``catalog.images.RENDITION_SIZES``)."""

    name = serializers.ChoiceField(choices=[size.name for size in RENDITION_SIZES])
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    webp = serializers.URLField()
    jpeg = serializers.URLField()


class ProductImageSerializer(serializers.Serializer):
    alt = serializers.SerializerMethodField()
    width = serializers.IntegerField(help_text="The original's width in pixels (0: not known).")
    height = serializers.IntegerField(help_text="The original's height in pixels (0: not known).")
    urls = serializers.SerializerMethodField(
        help_text=(
            'Absolute URLs by size name: "original" always, then each size made so far (WebP): '
            + ", ".join(f'"{size.name}" ({size.edge} px on the longer side)' for size in RENDITION_SIZES)
            + ". A size not made yet is missing: use a larger one or the original."
        )
    )
    renditions = serializers.SerializerMethodField(
        help_text="The sizes made so far, largest first, with their pixel size and WebP and JPEG URLs."
    )

    def get_alt(self, image) -> str:
        return image.alt or image.product.name

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_urls(self, image):
        """Every URL of an image, absolute (a CDN's URL is already absolute and stays as it is)."""
        urls = {"original": self._absolute(image.image.url)}
        for rendition in self._renditions(image):
            urls[rendition["name"]] = rendition["webp"]
        return urls

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        return self._renditions(image)

    def _renditions(self, image):
        storage = image.image.storage
        made = []
        for size in RENDITION_SIZES:
            rendition = image.rendition(size.name)
            if rendition:
                made.append(
                    {
                        "name": size.name,
                        "width": rendition["width"],
                        "height": rendition["height"],
                        "webp": self._absolute(storage.url(rendition["webp"])),
                        "jpeg": self._absolute(storage.url(rendition["jpeg"])),
                    }
                )
        return made

    def _absolute(self, url):
        return self.context["request"].build_absolute_uri(url)


class ProductSummarySerializer(serializers.Serializer):
    """A product card: what a listing, search results and related products show."""

    id = serializers.IntegerField(help_text="Put this in the cart (POST /api/v1/cart/items/).")
    slug = serializers.CharField()
    name = serializers.CharField()
    price = serializers.IntegerField(help_text="Won.")
    category = CategoryRefSerializer()
    stock_state = serializers.SerializerMethodField()
    stock_left = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    rating_average = serializers.SerializerMethodField()
    review_count = serializers.SerializerMethodField()

    @extend_schema_field(serializers.FloatField(allow_null=True, help_text="Stars, 1.0-5.0; null before a review."))
    def get_rating_average(self, product):
        rating = getattr(product, "rating", None)  # the reviews app's aggregate; none before the first review
        return rating.average_stars if rating is not None and rating.count else None

    @extend_schema_field(serializers.IntegerField(help_text="Visible reviews."))
    def get_review_count(self, product):
        rating = getattr(product, "rating", None)
        return rating.count if rating is not None else 0

    @extend_schema_field(serializers.ChoiceField(choices=STOCK_STATES))
    def get_stock_state(self, product):
        """As the storefront's badge says it: sold out (or not on sale), only a few left, or in stock."""
        if not product.is_purchasable:
            return "sold_out"
        return "low_stock" if product.is_low_stock else "in_stock"

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="How many are left, when low_stock."))
    def get_stock_left(self, product):
        return product.available_quantity if product.is_low_stock else None

    @extend_schema_field(ProductImageSerializer(allow_null=True))
    def get_image(self, product):
        image = product.primary_image
        return ProductImageSerializer(image, context=self.context).data if image else None


class OptionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="e.g. 색상, 사이즈")
    values = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), help_text="e.g. 블랙, 화이트"))
    def get_values(self, option):
        return [value.name for value in option.values.all()]


class SkuSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Put this in the cart as sku_id (POST /api/v1/cart/items/).")
    code = serializers.CharField()
    options = serializers.CharField(source="option_label", help_text='The option values, e.g. "블랙 / 260".')
    price = serializers.IntegerField(help_text="Won, with the option's price difference.")
    available = serializers.IntegerField(help_text="How many can be bought now (0: 품절).")


class ProductFullSerializer(ProductSummarySerializer):
    description = serializers.CharField()
    images = ProductImageSerializer(many=True, source="images.all", help_text="The primary image first.")
    options = OptionSerializer(many=True, source="options.all", help_text="Empty for a product without options.")
    skus = SkuSerializer(
        many=True, source="active_skus", help_text="One per combination of option values; exactly one without options."
    )


class ProductDetailSerializer(serializers.Serializer):
    """A product's page: the product, where it sits in the tree, and other products of its category."""

    product = ProductFullSerializer()
    breadcrumb = CategoryRefSerializer(many=True, help_text="From the root category down to the product's own.")
    related = ProductSummarySerializer(many=True, help_text="Other products of the same category, newest first.")


class ProductPageSerializer(serializers.Serializer):
    results = ProductSummarySerializer(many=True)
    total = serializers.IntegerField(help_text="Exact unless total_capped; then there are more than this.")
    total_capped = serializers.BooleanField()
    next = serializers.CharField(allow_null=True, help_text="Pass as ?after= for the next page; null at the end.")


class SearchPageSerializer(ProductPageSerializer):
    total = serializers.IntegerField(
        help_text="Exact unless total_estimated; then an estimate rounded to two significant digits (8100)."
    )
    total_estimated = serializers.BooleanField(help_text="The total is an estimate (the page shows 약 8,100개).")
    total_capped = serializers.BooleanField(help_text="The same as total_estimated (the listings' name for it).")
    including = serializers.ListField(
        child=serializers.CharField(), help_text="Staff's synonyms of the query's words that found products too."
    )
    did_you_mean = serializers.CharField(
        help_text="When little or nothing was found: the query with unknown words replaced by the nearest known "
        'ones ("" when there is none).'
    )


class SuggestQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        trim_whitespace=False,
        help_text="What is typed so far: 노트, 노트ㅂ or 초성 ㄴㅌㅂ. Empty for the popular searches.",
    )


class SuggestCategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField(help_text="The category page on the storefront.")


class SuggestionsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The text as understood (trimmed, lower-cased).")
    words = serializers.ListField(child=serializers.CharField(), help_text="Queries completing the last word.")
    categories = SuggestCategorySerializer(many=True)
    popular = serializers.ListField(
        child=serializers.CharField(), help_text="With an empty q: the most searched queries of the last day."
    )


class _ListQuerySerializer(serializers.Serializer):
    min_price = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PRICE_WON, help_text="Won.")
    max_price = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PRICE_WON, help_text="Won.")
    in_stock = serializers.BooleanField(required=False, default=False, help_text="Only what can be bought now.")
    after = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="The opaque cursor from the previous page's next."
    )

    def validate(self, attrs):
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"max_price": "Must not be below min_price."})
        return attrs


class ProductListQuerySerializer(_ListQuerySerializer):
    sort = serializers.ChoiceField(choices=list(PRODUCT_SORTS), default=DEFAULT_SORT)


class SearchQuerySerializer(_ListQuerySerializer):
    q = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=200, help_text="Every word must match."
    )
    category = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="A category's slug: it and its subcategories."
    )
    sort = serializers.ChoiceField(choices=list(SEARCH_SORTS), default=DEFAULT_SEARCH_SORT)
