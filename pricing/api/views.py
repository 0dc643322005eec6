"""The customer's 쿠폰함 in the JSON API."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from shop.api.serializers import ErrorSerializer

from ..selectors import coupon_box
from .serializers import CouponSerializer


@extend_schema(
    responses={200: CouponSerializer(many=True), 401: OpenApiResponse(ErrorSerializer, description="Not logged in.")},
    summary="The customer's coupon box: coupons issued to them that they can use now",
)
@api_view(["GET"])
def coupons(request):
    return Response(CouponSerializer(coupon_box(user=request.user), many=True).data)
