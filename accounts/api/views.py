"""The mobile app's account endpoints: who am I, and my shipping addresses. Thin: services do the writing."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from accounts import selectors, services
from shop.api.serializers import ErrorSerializer

from .serializers import AddressSerializer, MeSerializer

UNAUTHENTICATED = OpenApiResponse(
    ErrorSerializer, description="No or invalid X-Session-Token (code not_authenticated)."
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such address among yours (code not_found).")
INVALID = OpenApiResponse(ErrorSerializer, description="Invalid fields (code invalid; details per field).")


@extend_schema(responses={200: MeSerializer, 401: UNAUTHENTICATED})
@api_view(["GET"])
def me(request):
    """The signed-in customer and their shipping addresses (the default first)."""
    user = request.user
    prefetch_related_objects([user], Prefetch("addresses", queryset=selectors.address_list(user=user)))
    return Response(MeSerializer(user).data)


@extend_schema_view(
    list=extend_schema(responses={200: AddressSerializer(many=True), 401: UNAUTHENTICATED}),
    retrieve=extend_schema(responses={200: AddressSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}),
    create=extend_schema(responses={201: AddressSerializer, 400: INVALID, 401: UNAUTHENTICATED}),
    update=extend_schema(responses={200: AddressSerializer, 400: INVALID, 401: UNAUTHENTICATED, 404: NOT_FOUND}),
    partial_update=extend_schema(
        responses={200: AddressSerializer, 400: INVALID, 401: UNAUTHENTICATED, 404: NOT_FOUND}
    ),
    destroy=extend_schema(responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND}),
    set_default=extend_schema(request=None, responses={200: AddressSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}),
)
class AddressViewSet(viewsets.ViewSet):
    """The customer's shipping addresses. The first one is the default; deleting the default promotes the newest."""

    serializer_class = AddressSerializer
    lookup_value_converter = "id"

    def list(self, request):
        return Response(AddressSerializer(selectors.address_list(user=request.user), many=True).data)

    def retrieve(self, request, pk):
        return Response(AddressSerializer(self._get(request, pk)).data)

    def create(self, request):
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.address_create(user=request.user, **serializer.validated_data)
        return Response(AddressSerializer(created).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk, partial=False):
        serializer = AddressSerializer(self._get(request, pk), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        updated = services.address_update(user=request.user, address_id=pk, **serializer.validated_data)
        return Response(AddressSerializer(updated).data)

    def partial_update(self, request, pk):
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk):
        services.address_delete(user=request.user, address_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="set-default")
    def set_default(self, request, pk):
        """Makes this address the default one."""
        return Response(AddressSerializer(services.address_set_default(user=request.user, address_id=pk)).data)

    def _get(self, request, pk):
        return selectors.address_get(user=request.user, address_id=pk)
