"""The mobile app's account endpoints: who am I, and my shipping addresses. Thin: services do the writing."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from accounts import personal_data, selectors, services
from shop.api.serializers import ErrorSerializer

from .serializers import AccountCloseSerializer, AddressSerializer, MeSerializer

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


@extend_schema(
    responses={
        200: OpenApiResponse(
            description="Everything the store holds about you (account, consents, addresses, orders)."
        ),
        401: UNAUTHENTICATED,
    }
)
@api_view(["GET"])
def my_data(request):
    """What the store holds about the signed-in customer (personal data export)."""
    response = Response(personal_data.account_data_export(user=request.user))
    response["Cache-Control"] = "no-store"
    return response


@extend_schema(
    request=AccountCloseSerializer,
    responses={
        204: None,
        400: INVALID,
        401: OpenApiResponse(
            ErrorSerializer,
            description="No token, or code reauthentication_required: wrong password, or (an account without one) "
            "no log-in in the last 5 minutes: log in again (provider/token) and retry with the new token.",
        ),
        409: OpenApiResponse(ErrorSerializer, description="Code open_orders (details.orders) or account_closed."),
        429: OpenApiResponse(ErrorSerializer, description="Code too_many_attempts: 10 tries a minute."),
    },
)
@api_view(["POST"])
def close_account(request):
    """Closes the signed-in customer's account (회원 탈퇴); the session token stops working."""
    serializer = AccountCloseSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    personal_data.reauthentication_attempt_count(request._request)
    personal_data.account_close(
        user=request.user,
        password=serializer.validated_data.get("password"),
        recently_authenticated=personal_data.recently_logged_in(session=_session(request), user=request.user),
    )  # an AccountError is answered by the API's one handler
    return Response(status=status.HTTP_204_NO_CONTENT)


def _session(request):
    # The app's session token authenticates with its session as request.auth; the browser has its own.
    return request.auth if hasattr(request.auth, "get") else request.session


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
