"""The grants endpoints: list, grant, revoke; scope from the base viewset, rules from the services."""

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.access import services
from unionhall.access.models import RoleGrant, RoleGrantQuerySet
from unionhall.access.services import GRANT
from unionhall.core.api import ScopedViewSet
from unionhall.core.scoping import subtree_q

from .serializers import GrantCreateSerializer, GrantFilterSerializer, GrantSerializer

ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The grant's id."))


@extend_schema_view(
    list=extend_schema(
        summary=_("Current grants on units where you may grant roles"), parameters=[GrantFilterSerializer]
    ),
    create=extend_schema(summary=_("Grant a role"), request=GrantCreateSerializer, responses={201: GrantSerializer}),
    destroy=extend_schema(summary=_("Revoke a role"), parameters=[ID_PARAMETER]),
)
class GrantViewSet(ScopedViewSet):
    """Role grants on the units where the actor holds `role.grant`."""

    model = RoleGrant
    serializer_class = GrantSerializer
    lookup_value_regex = r"[0-9]{1,18}"  # a bigint; longer ids never reach the database
    scope_actions = {"list": GRANT, "create": GRANT, "destroy": GRANT}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return cast(RoleGrantQuerySet, queryset).current().select_related("user", "role", "unit", "granted_by")

    def list(self, request: Request) -> Response:
        filters = GrantFilterSerializer(data=request.query_params, context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        grants = self.get_queryset()
        if "unit" in filters.validated_data:
            grants = grants.filter(subtree_q("unit__path", filters.validated_data["unit"].path))
        if "user" in filters.validated_data:
            grants = grants.filter(user__username=filters.validated_data["user"])
        page = self.paginate_queryset(grants)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        serializer = GrantCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        grant = services.role_grant(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(grant).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.role_revoke(actor=request.user, grant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
