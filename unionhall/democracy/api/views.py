"""The democracy endpoints: parse, one selector or service call, render.

Dialogues and employee conferences are seen with their activity (activity.view) and recorded with
activity.change on the recording unit; `workplace-compliance` is the dashboard's rows for a subtree
(activity.view on its unit). A composition that breaks the band answers 400 with code `composition`
and the issues in the message, until it is sent again with `confirm_composition: true`.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.api import ScopedViewSet
from unionhall.core.errors import NotFound
from unionhall.democracy import selectors, services
from unionhall.democracy.models import Dialogue, EmployeeConference
from unionhall.democracy.services import CHANGE, VIEW

from .serializers import (
    ComplianceFilterSerializer,
    CompliancePageSerializer,
    ConferenceCreateSerializer,
    ConferenceSerializer,
    DialogueCreateSerializer,
    DialogueSerializer,
    RecordFilterSerializer,
)

ID_RE = r"[0-9]{1,18}"
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The activity's id."),
)


def parse[Parsed: serializers.Serializer](view: ScopedViewSet, serializer_class: type[Parsed], data: Any) -> Parsed:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer


class RecordViewSet(ScopedViewSet):
    """Workplace records by their activity's id, newest first."""

    lookup_value_regex = ID_RE
    pagination_ordering = ("-held_on", "-activity_id")
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("activity", "activity__unit", "employer")

    def list(self, request: Request) -> Response:
        data = parse(self, RecordFilterSerializer, request.query_params).validated_data
        records = self.get_queryset()
        if data.get("employer"):
            records = records.filter(employer__code=data["employer"].strip().upper())
        page = self.paginate_queryset(records)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def _created(self, record: Any) -> Response:
        found = self.refine_queryset(type(record).objects.filter(pk=record.pk)).get()
        location = self.reverse_action("detail", kwargs={"pk": record.pk})
        return Response(self.get_serializer(found).data, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(
    list=extend_schema(summary=_("Workplace dialogues you see"), parameters=[RecordFilterSerializer]),
    retrieve=extend_schema(summary=_("One workplace dialogue"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record a workplace dialogue with its activity"),
        request=DialogueCreateSerializer,
        responses={201: DialogueSerializer},
    ),
)
class DialogueViewSet(RecordViewSet):
    model = Dialogue
    serializer_class = DialogueSerializer

    def create(self, request: Request) -> Response:
        sent = parse(self, DialogueCreateSerializer, request.data)
        dialogue = services.dialogue_record(
            actor=request.user,
            unit=sent.validated_data["unit"],
            activity=sent.activity(),
            dialogue=sent.dialogue(),
            confirm_composition=sent.validated_data["confirm_composition"],
        )
        return self._created(dialogue)


@extend_schema_view(
    list=extend_schema(summary=_("Employee conferences you see"), parameters=[RecordFilterSerializer]),
    retrieve=extend_schema(summary=_("One employee conference"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record an employee conference with its activity"),
        request=ConferenceCreateSerializer,
        responses={201: ConferenceSerializer},
    ),
)
class ConferenceViewSet(RecordViewSet):
    model = EmployeeConference
    serializer_class = ConferenceSerializer

    def create(self, request: Request) -> Response:
        sent = parse(self, ConferenceCreateSerializer, request.data)
        conference = services.conference_record(
            actor=request.user,
            unit=sent.validated_data["unit"],
            activity=sent.activity(),
            conference=sent.conference(),
        )
        return self._created(conference)


@extend_schema_view(
    list=extend_schema(
        summary=_("Employers of a subtree and their workplace-democracy obligations, overdue first"),
        parameters=[ComplianceFilterSerializer],
        responses=CompliancePageSerializer,
    ),
)
class ComplianceViewSet(ScopedViewSet):
    """Read-only: computed for today, never stored; one page with the counts per state."""

    model = Dialogue
    serializer_class = CompliancePageSerializer
    scope_actions = {"list": VIEW}

    def list(self, request: Request) -> Response:
        data = parse(self, ComplianceFilterSerializer, request.query_params).validated_data
        unit = data.get("unit") or selectors.top_unit(actor=request.user)
        if unit is None:
            raise NotFound(_("Unit not found."))
        page = selectors.compliance_page(
            actor=request.user,
            unit=unit,
            state=data["state"],
            cursor=data.get("cursor"),
            limit=data["page_size"],
        )
        body = {
            "unit": unit.code,
            "today": page.today,
            "counts": page.counts,
            "next": page.next_cursor,
            "results": page.rows,
        }
        return Response(CompliancePageSerializer(body).data)
