"""찜 and restock alerts in the JSON API (a logged-in customer). Thin."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.serializers import ProductSummarySerializer
from shop.api.serializers import ErrorSerializer

from .. import selectors, services
from .serializers import RestockCreateSerializer, RestockSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
    404: OpenApiResponse(ErrorSerializer, description="code not_found: no such product on sale."),
}


class WishListView(APIView):
    @extend_schema(
        responses={200: ProductSummarySerializer(many=True), **ERRORS},
        summary="The customer's 찜 list, most recently added first",
        operation_id="wishlist_list",
    )
    def get(self, request):
        products = selectors.wish_list(user=request.user)
        return Response(ProductSummarySerializer(products, many=True, context={"request": request}).data)


class WishItemView(APIView):
    @extend_schema(
        request=None,
        responses={204: None, **ERRORS},
        summary="Add a product to the 찜 list",
        operation_id="wishlist_add",
    )
    def put(self, request, product_id):
        services.wish_add(user=request.user, product_id=product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={204: None, **ERRORS}, summary="Take a product off the 찜 list", operation_id="wishlist_remove"
    )
    def delete(self, request, product_id):
        services.wish_remove(user=request.user, product_id=product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RestockAlertsView(APIView):
    @extend_schema(
        request=RestockCreateSerializer,
        responses={
            201: RestockSerializer,
            409: OpenApiResponse(ErrorSerializer, description="code not_sold_out: it can be bought now."),
            **ERRORS,
        },
        summary="Be emailed once when a sold-out product (or one option) is back",
        operation_id="restock_alerts_create",
    )
    def post(self, request):
        serializer = RestockCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = services.restock_subscribe(user=request.user, **serializer.validated_data)
        return Response(RestockSerializer(subscription).data, status=status.HTTP_201_CREATED)
