"""The activities endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to` with the action each endpoint needs: activity.view
to read, activity.change to record, change or delete an activity and set its counts, activity.checkin
to check people in and out); rules and audit from `unionhall.activities.services`, the error shape
from `unionhall.api.errors`.

A check-in of a member who is already on the roster answers 409 (`already_checked_in`); of a code
that names nobody the organisers may check in, 400 (`unknown_member`, on `member_code`). Both carry
the service's message and write nothing; a door app shows the message and goes on.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.activities import selectors, services
from unionhall.activities.choices import CheckInMethod, CheckInOutcome
from unionhall.activities.models import Activity, ActivityKind, ActivityOrganiser, Attendee, Speaker
from unionhall.activities.services import CHANGE, CHECKIN, VIEW
from unionhall.core.api import ScopedViewSet
from unionhall.core.errors import Conflict, DomainError
from unionhall.core.scoping import scope_for

from .serializers import (
    ActivityCreateSerializer,
    ActivityDetailSerializer,
    ActivityFilterSerializer,
    ActivityKindSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
    AttendeeFilterSerializer,
    AttendeeSerializer,
    CheckInSerializer,
    HeadcountsSerializer,
    activity_details,
)

ID_RE = r"[0-9]{1,18}"
CODE_RE = r"[-a-zA-Z0-9_]{1,40}"
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The record's id."),
)
CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description=_("The kind's code."), pattern=r"^[-a-zA-Z0-9_]+$"
)


def parse(view: ScopedViewSet, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ---------------------------------------------------------------- kinds


@extend_schema_view(
    list=extend_schema(summary=_("The kinds of activity, in use or retired")),
    retrieve=extend_schema(summary=_("One kind of activity"), parameters=[CODE_PARAMETER]),
)
class ActivityKindViewSet(ScopedViewSet):
    """Reference data, the same for everyone who may see activities somewhere; nothing for others."""

    model = ActivityKind
    serializer_class = ActivityKindSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_RE
    scope_actions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self) -> QuerySet:
        if scope_for(self.request.user, self.scope_action).empty:
            return ActivityKind.objects.none()
        return ActivityKind.objects.order_by("rank", "code")

    def list(self, request: Request) -> Response:
        body = self.get_serializer(self.get_queryset(), many=True).data
        return Response({"next": None, "previous": None, "results": body})

    def retrieve(self, request: Request, code: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


# ---------------------------------------------------------------- activities


@extend_schema_view(
    list=extend_schema(
        summary=_("Activities you see, latest first"),
        parameters=[ActivityFilterSerializer],
        responses=ActivitySerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One activity with its organisers, speakers, counts and files"), parameters=[ID_PARAMETER]
    ),
    create=extend_schema(
        summary=_("Record an activity"), request=ActivityCreateSerializer, responses={201: ActivityDetailSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Change an activity (the recording unit's officers)"),
        request=ActivityUpdateSerializer,
        parameters=[ID_PARAMETER],
    ),
    destroy=extend_schema(
        summary=_("Delete an activity nobody is checked in at and no record hangs on"),
        parameters=[ID_PARAMETER],
        responses={204: None},
    ),
)
class ActivityViewSet(ScopedViewSet):
    """Activities, seen by the scope of any organiser or any party of their programme."""

    model = Activity
    serializer_class = ActivityDetailSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = ("-starts_at", "-id")
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
        "destroy": CHANGE,
        "headcounts": CHANGE,
    }

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("kind", "unit", "movement", "programme")

    def _detail(self, activity: Activity, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        found = (
            self.refine_queryset(Activity.objects.filter(pk=activity.pk))
            .prefetch_related(
                Prefetch("organiser_rows", queryset=ActivityOrganiser.objects.select_related("unit")),
                Prefetch("speakers", queryset=Speaker.objects.select_related("person")),
                "headcounts",
                "files",
            )
            .get()
        )
        return Response(
            ActivityDetailSerializer(found, context=self.get_serializer_context()).data, status_code, **kwargs
        )

    def list(self, request: Request) -> Response:
        data = parse(self, ActivityFilterSerializer, request.query_params)
        filters = selectors.ActivityFilters(
            unit=data.get("unit"),
            kind=data.get("kind"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            movement=data.get("movement"),
            programme=data.get("programme"),
            status=data.get("status") or "",
            text=data.get("text") or "",
        )
        activities = selectors.activity_queryset(actor=request.user, filters=filters)
        page = self.paginate_queryset(self.refine_queryset(activities))
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, ActivityCreateSerializer, request.data)
        activity = services.activity_create(actor=request.user, unit=data["unit"], details=activity_details(data))
        location = self.reverse_action("detail", kwargs={"pk": activity.pk})
        return self._detail(activity, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, pk: str) -> Response:
        activity = self.get_object()
        data = parse(self, ActivityUpdateSerializer, request.data)
        activity = services.activity_update(
            actor=request.user, activity=activity, details=activity_details(data, activity), version=data["version"]
        )
        return self._detail(activity)

    def destroy(self, request: Request, pk: str) -> Response:
        services.activity_delete(actor=request.user, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Set the counted participants per category (activities without a roster)"),
        request=HeadcountsSerializer,
        responses=ActivityDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def headcounts(self, request: Request, pk: str) -> Response:
        activity = self.get_object()
        data = parse(self, HeadcountsSerializer, request.data)
        activity = services.headcounts_set(actor=request.user, activity=activity, counts=data["counts"])
        return self._detail(activity)


# ---------------------------------------------------------------- attendees


@extend_schema_view(
    list=extend_schema(
        summary=_("Rosters of the activities you see, in check-in order"),
        parameters=[AttendeeFilterSerializer],
        responses=AttendeeSerializer(many=True),
    ),
    retrieve=extend_schema(summary=_("One person on a roster"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Check someone in: a member by code, or a non-member by name and category"),
        description=_(
            "An already checked-in member answers 409 (already_checked_in); a code that names nobody the "
            "organisers may check in answers 400 (unknown_member). Neither writes anything."
        ),
        request=CheckInSerializer,
        responses={201: AttendeeSerializer},
    ),
    destroy=extend_schema(summary=_("Take someone off the roster"), parameters=[ID_PARAMETER], responses={204: None}),
)
class AttendeeViewSet(ScopedViewSet):
    """People on the rosters, seen with their activity; checked in and out with activity.checkin."""

    model = Attendee
    serializer_class = AttendeeSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHECKIN, "destroy": CHECKIN}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("person", "unit")

    def list(self, request: Request) -> Response:
        data = parse(self, AttendeeFilterSerializer, request.query_params)
        attendees = self.get_queryset()
        if data.get("activity") is not None:
            attendees = attendees.filter(activity_id=data["activity"])
        page = self.paginate_queryset(attendees)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, CheckInSerializer, request.data)
        activity = data["activity"]
        if data.get("member_code"):
            done = services.check_in_member(
                actor=request.user,
                activity=activity,
                member_code=data["member_code"],
                method=data.get("method", CheckInMethod.CODE),
            )
        else:
            done = services.check_in_guest(
                actor=request.user,
                activity=activity,
                name=data["name"],
                category=data["category"],
                gender=data.get("gender", ""),
                phone=data.get("phone", ""),
            )
        if done.outcome == CheckInOutcome.ALREADY:
            field = "member_code" if data.get("member_code") else "name"
            raise Conflict(done.message, code="already_checked_in", field=field)
        if done.outcome == CheckInOutcome.UNKNOWN:
            raise DomainError(done.message, code="unknown_member", field="member_code")
        assert done.attendee is not None
        location = self.reverse_action("detail", kwargs={"pk": done.attendee.pk})
        body = self.get_serializer(self.refine_queryset(Attendee.objects.all()).get(pk=done.attendee.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def destroy(self, request: Request, pk: str) -> Response:
        attendee = self.get_object()
        services.attendee_remove(actor=request.user, activity=attendee.activity, attendee=attendee)
        return Response(status=status.HTTP_204_NO_CONTENT)
