"""The units endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`), rules and audit from the services, the error
shape from `unionhall.api.errors`; nothing here decides who may do what.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.api import ScopedViewSet
from unionhall.core.scoping import scope_for
from unionhall.orgunits import selectors, services
from unionhall.orgunits.models import LANGUAGES, Unit
from unionhall.orgunits.selectors import VIEW
from unionhall.orgunits.services import CHANGE, LIFECYCLE, SplitPart

from .serializers import (
    AsOfSerializer,
    DecisionSerializer,
    DetailsSerializer,
    DissolveSerializer,
    EstablishSerializer,
    LifecycleResultSerializer,
    MergeSerializer,
    RenameSerializer,
    SplitSerializer,
    TransferSerializer,
    UnitFilterSerializer,
    UnitSerializer,
    unit_details,
)

# The shape of a unit code (services.CODE_RE), so /units/merge/ and the like never read as a code.
UNIT_CODE_RE = r"[A-Z0-9][A-Z0-9._-]{0,39}"
# The schema carries the route's pattern, so it describes only URLs that reach the unit endpoints.
CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description=_("The unit's code."), pattern=f"^{UNIT_CODE_RE}$"
)
LIFECYCLE_RESPONSES = {200: LifecycleResultSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("List units"), parameters=[UnitFilterSerializer]),
    retrieve=extend_schema(summary=_("One unit"), parameters=[CODE_PARAMETER]),
    partial_update=extend_schema(
        summary=_("Change a unit's address, areas or employer"),
        request=DetailsSerializer,
        parameters=[CODE_PARAMETER],
    ),
    create=extend_schema(
        summary=_("Establish a unit"),
        request=EstablishSerializer,
        responses={201: LifecycleResultSerializer, 200: LifecycleResultSerializer},
    ),
)
class UnitViewSet(ScopedViewSet):
    """Units, looked up by code among those the actor may act on."""

    model = Unit
    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_value_regex = UNIT_CODE_RE
    pagination_ordering = "path"  # tree order: a unit before its sub-units
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "ancestors": VIEW,
        "children": VIEW,
        "partial_update": CHANGE,
        "rename": CHANGE,
        "create": LIFECYCLE,
        "transfer": LIFECYCLE,
        "merge": LIFECYCLE,
        "split": LIFECYCLE,
        "dissolve": LIFECYCLE,
    }

    @property
    def domain_error_fields(self) -> dict[str, str]:
        """Service field names as this endpoint's request names them."""
        fields = {f"name_{lang}": f"names.{lang}" for lang in LANGUAGES}
        if self.action == "merge":
            fields["units"] = "sources"
        elif self.action == "split":
            fields["code"] = "parts"
        return fields

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(
            "type", "parent", "province__scheme", "commune__scheme", "employer", "merged_into"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        scope = scope_for(self.request.user, VIEW) if self.request else None
        return {**super().get_serializer_context(), "view_scope": scope}

    # ------------------------------------------------------------ reads

    def _parse(self, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _page(self, queryset: QuerySet, as_of: dt.date | None) -> Response:
        if as_of is not None:
            # A past tree in its own order (units_placed_on), each unit after its parent of that day.
            self.pagination_ordering = "path_on_day"
        page = self.paginate_queryset(queryset)
        units = list(page) if page is not None else list(queryset)
        context = self.get_serializer_context()
        if as_of is not None:
            context["placements"] = selectors.unit_placements_on(unit_ids=[u.pk for u in units], day=as_of)
        data = UnitSerializer(units, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def list(self, request: Request) -> Response:
        filters = self._parse(UnitFilterSerializer, request.query_params)
        units = self.get_queryset()
        as_of = filters.get("as_of")
        if as_of is not None:
            units = selectors.units_placed_on(units, day=as_of, under=filters.get("subtree"))
        elif "subtree" in filters:
            units = units & selectors.unit_subtree(unit=filters["subtree"])
        if "type" in filters:
            units = units.filter(type=filters["type"])
        if "status" in filters:
            units = units.filter(status=filters["status"])
        if filters.get("q", "").strip():
            units = units & selectors.unit_search(actor=request.user, query=filters["q"], limit=None)
        return self._page(units, as_of)

    def retrieve(self, request: Request, code: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("A unit's ancestors, root first"),
        parameters=[CODE_PARAMETER, AsOfSerializer],
        responses=UnitSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def ancestors(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        as_of = self._parse(AsOfSerializer, request.query_params).get("as_of")
        ancestors = self.get_queryset() & selectors.unit_ancestors(unit=unit, as_of=as_of)
        return self._page(ancestors if as_of is None else selectors.units_placed_on(ancestors, day=as_of), as_of)

    @extend_schema(
        summary=_("A unit's direct sub-units"),
        parameters=[CODE_PARAMETER, AsOfSerializer],
        responses=UnitSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def children(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        as_of = self._parse(AsOfSerializer, request.query_params).get("as_of")
        if as_of is None:
            return self._page(self.get_queryset() & selectors.unit_children(unit=unit), None)
        return self._page(selectors.units_placed_on(self.get_queryset(), day=as_of, parent=unit), as_of)

    # ------------------------------------------------------------ writes

    def _preview(self, plan: services.Plan) -> Response:
        return Response(LifecycleResultSerializer({"dry_run": True, "plan": plan, "units": []}).data)

    def _done(self, units: Iterable[Unit], *, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        ids = [unit.pk for unit in units]
        fresh = {unit.pk: unit for unit in self.get_queryset().filter(pk__in=ids)}
        result = {"dry_run": False, "plan": None, "units": [fresh[i] for i in ids if i in fresh]}
        data = LifecycleResultSerializer(result, context=self.get_serializer_context()).data
        return Response(data, status=status_code, **kwargs)

    def create(self, request: Request) -> Response:
        data = self._parse(EstablishSerializer, request.data)
        args = {
            "actor": request.user,
            "parent": data["parent"],
            "unit_type": data["type"],
            "code": data["code"],
            "names": data["names"],
            "decision": DecisionSerializer.decision(data),
            "details": unit_details(data),
        }
        if data["dry_run"]:
            return self._preview(services.plan_establish(**args))
        unit = services.unit_establish(**args)
        location = self.reverse_action("detail", kwargs={"code": unit.code})
        return self._done([unit], status_code=status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        data = self._parse(DetailsSerializer, request.data)
        unit = services.unit_update_details(
            actor=request.user, unit=unit, version=data["version"], details=unit_details(data, unit)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=unit.pk)).data)

    @extend_schema(
        summary=_("Rename a unit"),
        request=RenameSerializer,
        responses=LIFECYCLE_RESPONSES,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        data = self._parse(RenameSerializer, request.data)
        args = {
            "actor": request.user,
            "unit": unit,
            "names": data["names"],
            "decision": DecisionSerializer.decision(data),
        }
        if data["dry_run"]:
            return self._preview(services.plan_rename(**args))
        return self._done([services.unit_rename(**args)])

    @extend_schema(
        summary=_("Move units, each with its sub-units, under a new parent"),
        request=TransferSerializer,
        responses=LIFECYCLE_RESPONSES,
    )
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        data = self._parse(TransferSerializer, request.data)
        args = {
            "actor": request.user,
            "units": data["units"],
            "new_parent": data["new_parent"],
            "decision": DecisionSerializer.decision(data),
        }
        if data["dry_run"]:
            return self._preview(services.plan_transfer(**args))
        plan = services.unit_transfer(**args)
        return self._done(plan.units)

    @extend_schema(
        summary=_("Merge units into another; their sub-units move to it"),
        request=MergeSerializer,
        responses=LIFECYCLE_RESPONSES,
    )
    @action(detail=False, methods=["post"])
    def merge(self, request: Request) -> Response:
        data = self._parse(MergeSerializer, request.data)
        args = {
            "actor": request.user,
            "sources": data["sources"],
            "target": data["target"],
            "decision": DecisionSerializer.decision(data),
        }
        if data["dry_run"]:
            return self._preview(services.plan_merge(**args))
        plan = services.unit_merge(**args)
        return self._done([*plan.units, data["target"]])

    @extend_schema(
        summary=_("Split a unit into new units that share out its sub-units"),
        request=SplitSerializer,
        responses={201: LifecycleResultSerializer, 200: LifecycleResultSerializer},
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def split(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        data = self._parse(SplitSerializer, request.data)
        parts = [
            SplitPart(code=part["code"], names=part["names"], unit_type=part["type"], children=part["children"])
            for part in data["parts"]
        ]
        args = {"actor": request.user, "unit": unit, "parts": parts, "decision": DecisionSerializer.decision(data)}
        if data["dry_run"]:
            return self._preview(services.plan_split(**args))
        created = services.unit_split(**args)
        return self._done([*created, unit], status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Dissolve units (with their sub-units, if asked)"),
        request=DissolveSerializer,
        responses=LIFECYCLE_RESPONSES,
    )
    @action(detail=False, methods=["post"])
    def dissolve(self, request: Request) -> Response:
        data = self._parse(DissolveSerializer, request.data)
        args = {
            "actor": request.user,
            "units": data["units"],
            "decision": DecisionSerializer.decision(data),
            "with_subtree": data["with_subtree"],
        }
        if data["dry_run"]:
            return self._preview(services.plan_dissolve(**args))
        plan = services.unit_dissolve(**args)
        return self._done(plan.units)
