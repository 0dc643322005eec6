"""Reviews in the JSON API: a product's reviews (public) and writing one (a customer). Thin."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Product
from shop.api.cursors import AFTER_PARAMETER, INVALID_CURSOR
from shop.api.serializers import ErrorSerializer
from shop.api.throttling import AnonThrottle

from .. import selectors, services
from .serializers import ReviewCreateSerializer, ReviewListQuerySerializer, ReviewPageSerializer, ReviewSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="code invalid or invalid_review (details.field)."),
    401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
    403: OpenApiResponse(ErrorSerializer, description="code review_not_allowed: not your line, or not delivered."),
    409: OpenApiResponse(ErrorSerializer, description="code already_reviewed: this line has a review."),
}


class ProductReviewsView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]

    @extend_schema(
        parameters=[ReviewListQuerySerializer, AFTER_PARAMETER],
        responses={
            200: ReviewPageSerializer,
            400: INVALID_CURSOR,
            404: OpenApiResponse(ErrorSerializer, description="code not_found: no such product on sale."),
        },
        summary="A product's rating and visible reviews, a keyset page at a time",
        operation_id="product_reviews_list",
    )
    def get(self, request, slug):
        query = ReviewListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        product = Product.objects.visible().filter(slug=slug).first()
        if product is None:
            raise Http404
        data = query.validated_data
        page = selectors.review_page(
            product=product, sort=data["sort"], photos_only=data["photos"], after=data["after"]
        )
        body = {"rating": selectors.product_rating(product=product), "results": page.reviews, "next": page.next_cursor}
        return Response(ReviewPageSerializer(body, context={"request": request}).data)


class ReviewsView(APIView):
    @extend_schema(
        request={"multipart/form-data": ReviewCreateSerializer, "application/json": ReviewCreateSerializer},
        responses={201: ReviewSerializer, **ERRORS},
        summary="Review a delivered order line (once)",
        operation_id="reviews_create",
    )
    def post(self, request):
        serializer = ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.review_create(
            user=request.user, order_line_id=data["order_line_id"], rating=data["rating"], body=data["body"],
            photos=data["photos"],
        )  # fmt: skip
        return Response(ReviewSerializer(review, context={"request": request}).data, status=status.HTTP_201_CREATED)
