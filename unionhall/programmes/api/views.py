"""The programmes endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`); changing a programme or its parties also needs
`programme.change` on its recording unit, so a programme the actor only takes part in is absent
(404) for those actions. Rules and audit are in `unionhall.programmes.services`.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.api import ScopedViewSet
from unionhall.core.errors import NotFound
from unionhall.programmes import selectors, services
from unionhall.programmes.models import Programme, ProgrammeOfficer
from unionhall.programmes.services import CHANGE, VIEW

from .serializers import (
    OfficerCreateSerializer,
    OfficerFilterSerializer,
    OfficerSerializer,
    PartyInputSerializer,
    PartyUnitSerializer,
    ProgrammeCreateSerializer,
    ProgrammeDetailSerializer,
    ProgrammeFilterSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateSerializer,
    programme_details,
)

CODE_RE = r"[a-zA-Z0-9_-]{1,60}"
ID_RE = r"[0-9]{1,18}"
CODE_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("The programme's code."))
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The record's id."),
)


def parse(view: ScopedViewSet, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Joint programmes you see"),
        parameters=[ProgrammeFilterSerializer],
        responses=ProgrammeSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One programme, with its totals for the period"),
        parameters=[CODE_PARAMETER],
        responses=ProgrammeDetailSerializer,
    ),
    create=extend_schema(
        summary=_("Record a joint programme"),
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a programme's title, document number, period or goals"),
        request=ProgrammeUpdateSerializer,
        responses=ProgrammeDetailSerializer,
        parameters=[CODE_PARAMETER],
    ),
)
class ProgrammeViewSet(ScopedViewSet):
    """Joint programmes, by code: seen by the parties, the units above them and the units under them."""

    model = Programme
    serializer_class = ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_RE
    pagination_ordering = ("-start_date", "-id")
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
        "add_party": CHANGE,
        "remove_party": CHANGE,
        "lead": CHANGE,
    }
    owner_actions = frozenset({"partial_update", "add_party", "remove_party", "lead"})

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action in self.owner_actions:
            queryset = queryset.changeable_by(self.request.user)  # type: ignore[attr-defined]
        return queryset.select_related("owner").prefetch_related("party_rows__unit")

    def get_object(self) -> Programme:
        code = self.kwargs["code"].lower()
        programme = self.get_queryset().filter(code=code).first()
        if programme is None:
            raise NotFound(_("Programme %(code)s was not found.") % {"code": code})
        return programme

    def _detail(self, programme: Programme, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        programme = Programme.objects.select_related("owner").prefetch_related("party_rows__unit").get(pk=programme.pk)
        context = {**self.get_serializer_context(), "totals": selectors.programme_totals([programme])[programme.pk]}
        return Response(ProgrammeDetailSerializer(programme, context=context).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, ProgrammeFilterSerializer, request.query_params)
        filters = selectors.ProgrammeFilters(unit=data.get("unit"), year=data.get("year"))
        programmes = selectors.programme_queryset(actor=request.user, filters=filters)
        page = self.paginate_queryset(programmes.select_related("owner").prefetch_related("party_rows__unit"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, ProgrammeCreateSerializer, request.data)
        parties = [PartyInputSerializer().to_details(p) for p in data["parties"]]
        programme = services.programme_create(
            actor=request.user,
            code=data["code"],
            owner=data["owner"],
            details=programme_details(data),
            parties=parties,
        )
        location = self.reverse_action("detail", kwargs={"code": programme.code})
        return self._detail(programme, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, code: str) -> Response:
        programme = self.get_object()
        data = parse(self, ProgrammeUpdateSerializer, request.data)
        programme = services.programme_update(
            actor=request.user,
            programme=programme,
            details=programme_details(data, programme),
            version=data["version"],
        )
        return self._detail(programme)

    @extend_schema(
        summary=_("Add a party (added as the lead, it takes the lead over)"),
        request=PartyInputSerializer,
        responses=ProgrammeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="parties")
    def add_party(self, request: Request, code: str) -> Response:
        programme = self.get_object()
        data = parse(self, PartyInputSerializer, request.data)
        services.party_add(actor=request.user, programme=programme, party=PartyInputSerializer().to_details(data))
        return self._detail(programme)

    @extend_schema(
        summary=_("Make a party the lead (the former lead becomes a partner)"),
        request=PartyUnitSerializer,
        responses=ProgrammeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def lead(self, request: Request, code: str) -> Response:
        programme = self.get_object()
        data = parse(self, PartyUnitSerializer, request.data)
        services.party_lead(actor=request.user, programme=programme, unit=data["unit"])
        return self._detail(programme)

    @extend_schema(
        summary=_("Remove a party (not the lead nor the recording unit; at least two stay)"),
        request=PartyUnitSerializer,
        responses=ProgrammeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="remove-party")
    def remove_party(self, request: Request, code: str) -> Response:
        programme = self.get_object()
        data = parse(self, PartyUnitSerializer, request.data)
        services.party_remove(actor=request.user, programme=programme, unit=data["unit"])
        return self._detail(programme)


@extend_schema_view(
    list=extend_schema(
        summary=_("Officers mobilised for the programmes you see"), parameters=[OfficerFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One mobilised officer"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Mobilise an officer for a programme"),
        request=OfficerCreateSerializer,
        responses={201: OfficerSerializer},
    ),
    destroy=extend_schema(summary=_("Remove a mobilised officer"), parameters=[ID_PARAMETER]),
)
class OfficerViewSet(ScopedViewSet):
    """Mobilised officers, seen with their programme; added and removed by the recording unit or their party."""

    model = ProgrammeOfficer
    serializer_class = OfficerSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "destroy": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("programme", "unit", "person")

    def list(self, request: Request) -> Response:
        data = parse(self, OfficerFilterSerializer, request.query_params)
        officers = self.get_queryset()
        if data.get("programme") is not None:
            officers = officers.filter(programme=data["programme"])
        page = self.paginate_queryset(officers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, OfficerCreateSerializer, request.data)
        officer = services.officer_add(
            actor=request.user,
            programme=data["programme"],
            unit=data["unit"],
            person=data.get("member_code"),
            name=data.get("name", ""),
            role_title=data.get("role_title", ""),
        )
        location = self.reverse_action("detail", kwargs={"pk": officer.pk})
        body = self.get_serializer(self.refine_queryset(ProgrammeOfficer.objects.all()).get(pk=officer.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def destroy(self, request: Request, pk: str) -> Response:
        services.officer_remove(actor=request.user, officer=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
