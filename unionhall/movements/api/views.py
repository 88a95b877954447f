"""The movements endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`); running a movement (change, close, reviews) also
needs `movement.change` on its launcher, so a movement the actor only takes part in is absent
(404) for those actions. Rules and audit are in `unionhall.movements.services`.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.core.api import ScopedViewSet
from unionhall.core.errors import NotFound
from unionhall.core.scoping import subtree_q
from unionhall.members.codes import member_code_normalise
from unionhall.movements import selectors, services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.services import CHANGE, VIEW

from .serializers import (
    MilestoneCreateSerializer,
    MilestoneFilterSerializer,
    MilestoneHoldSerializer,
    MilestoneSerializer,
    MovementCloseSerializer,
    MovementCreateSerializer,
    MovementDetailSerializer,
    MovementFilterSerializer,
    MovementSerializer,
    MovementUpdateSerializer,
    RegistrationCreateSerializer,
    RegistrationFilterSerializer,
    RegistrationSerializer,
    RegistrationWithdrawSerializer,
    movement_details,
)

CODE_RE = r"[a-zA-Z0-9_-]{1,60}"
ID_RE = r"[0-9]{1,18}"
CODE_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("The movement's code."))
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


# ---------------------------------------------------------------- movements


@extend_schema_view(
    list=extend_schema(
        summary=_("Emulation movements you see"),
        parameters=[MovementFilterSerializer],
        responses=MovementSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One movement, with its results so far, reviews, what is due and pledge counts"),
        parameters=[CODE_PARAMETER],
        responses=MovementDetailSerializer,
    ),
    create=extend_schema(
        summary=_("Launch a movement"), request=MovementCreateSerializer, responses={201: MovementDetailSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Change a movement's title, kind, period, scope or criteria"),
        request=MovementUpdateSerializer,
        responses=MovementDetailSerializer,
        parameters=[CODE_PARAMETER],
    ),
)
class MovementViewSet(ScopedViewSet):
    """Movements, by code: seen by the launcher's side and by the units taking part."""

    model = Movement
    serializer_class = MovementSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_RE
    pagination_ordering = ("-start_date", "-id")
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
        "close": CHANGE,
    }
    # Running a movement needs the launcher; taking part is not enough.
    runner_actions = frozenset({"partial_update", "close"})

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action in self.runner_actions:
            queryset = queryset.changeable_by(self.request.user)  # type: ignore[attr-defined]
        return queryset.select_related("launcher").prefetch_related("units")

    def get_object(self) -> Movement:
        code = self.kwargs["code"].lower()
        movement = self.get_queryset().filter(code=code).first()
        if movement is None:
            # The movement of the URL: a 404, exactly as for a code that does not exist.
            raise NotFound(_("Movement %(code)s was not found.") % {"code": code})
        return movement

    def _detail(self, movement: Movement, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        movement = Movement.objects.select_related("launcher").prefetch_related("units").get(pk=movement.pk)
        today = timezone.localdate()
        detail = selectors.movement_detail(actor=self.request.user, movement=movement, today=today, limit=1)
        context = {**self.get_serializer_context(), "detail": detail, "today": today}
        return Response(MovementDetailSerializer(movement, context=context).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, MovementFilterSerializer, request.query_params)
        filters = selectors.MovementFilters(
            status=data.get("status") or "", year=data.get("year"), kind=data.get("kind") or "", unit=data.get("unit")
        )
        movements = selectors.movement_queryset(actor=request.user, filters=filters)
        movements = movements.select_related("launcher").prefetch_related("units")
        page = self.paginate_queryset(movements)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, MovementCreateSerializer, request.data)
        movement = services.movement_launch(
            actor=request.user, code=data["code"], launcher=data["launcher"], details=movement_details(data)
        )
        location = self.reverse_action("detail", kwargs={"code": movement.code})
        return self._detail(movement, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, code: str) -> Response:
        movement = self.get_object()
        data = parse(self, MovementUpdateSerializer, request.data)
        movement = services.movement_update(
            actor=request.user, movement=movement, version=data["version"], details=movement_details(data, movement)
        )
        return self._detail(movement)

    @extend_schema(
        summary=_("Close a movement"),
        request=MovementCloseSerializer,
        responses=MovementDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, code: str) -> Response:
        movement = self.get_object()
        data = parse(self, MovementCloseSerializer, request.data)
        movement = services.movement_close(actor=request.user, movement=movement, closed_on=data.get("closed_on"))
        return self._detail(movement)


# ---------------------------------------------------------------- milestones


@extend_schema_view(
    list=extend_schema(summary=_("Reviews of the movements you see"), parameters=[MilestoneFilterSerializer]),
    retrieve=extend_schema(summary=_("One review"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Plan a review (sơ kết, tổng kết) of a movement"),
        request=MilestoneCreateSerializer,
        responses={201: MilestoneSerializer},
    ),
)
class MilestoneViewSet(ScopedViewSet):
    """Review milestones, seen with their movement; planned and recorded by the launcher's side."""

    model = Milestone
    serializer_class = MilestoneSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = ("due_date", "id")
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "hold": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "hold":
            runnable = Movement.objects.changeable_by(self.request.user)
            queryset = queryset.filter(movement__in=runnable.values("pk"))
        return queryset.select_related("movement")

    def list(self, request: Request) -> Response:
        data = parse(self, MilestoneFilterSerializer, request.query_params)
        milestones = self.get_queryset()
        if data.get("movement") is not None:
            milestones = milestones.filter(movement=data["movement"])
        page = self.paginate_queryset(milestones)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, MilestoneCreateSerializer, request.data)
        milestone = services.milestone_add(
            actor=request.user,
            movement=data["movement"],
            kind=data["kind"],
            due_date=data["due_date"],
            note=data.get("note", ""),
        )
        location = self.reverse_action("detail", kwargs={"pk": milestone.pk})
        body = self.get_serializer(Milestone.objects.select_related("movement").get(pk=milestone.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary=_("Record that a review was held"),
        request=MilestoneHoldSerializer,
        responses=MilestoneSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        milestone = self.get_object()
        data = parse(self, MilestoneHoldSerializer, request.data)
        milestone = services.milestone_hold(
            actor=request.user, milestone=milestone, held_on=data["held_on"], note=data.get("note")
        )
        return Response(self.get_serializer(Milestone.objects.select_related("movement").get(pk=milestone.pk)).data)


# ---------------------------------------------------------------- registrations


@extend_schema_view(
    list=extend_schema(
        summary=_("Pledges in the units you see"),
        parameters=[RegistrationFilterSerializer],
        responses=RegistrationSerializer(many=True),
    ),
    retrieve=extend_schema(summary=_("One pledge"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Register a unit's or a member's pledge"),
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
    ),
)
class RegistrationViewSet(ScopedViewSet):
    """Pledges, seen where their unit is; registered and withdrawn by those who hold movement.change there."""

    model = Registration
    serializer_class = RegistrationSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "withdraw": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("movement", "unit", "person")

    def list(self, request: Request) -> Response:
        data = parse(self, RegistrationFilterSerializer, request.query_params)
        registrations = self.get_queryset()
        if data.get("movement") is not None:
            registrations = registrations.filter(movement=data["movement"])
        if data.get("year") is not None:
            registrations = registrations.filter(year=data["year"])
        if data.get("unit") is not None:
            unit = data["unit"]
            if data.get("subtree") is False:
                registrations = registrations.filter(unit=unit)
            else:
                registrations = registrations.filter(subtree_q("unit__path", unit.path))
        if data.get("member_code"):
            registrations = registrations.filter(person__member_code=member_code_normalise(data["member_code"]))
        page = self.paginate_queryset(registrations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, RegistrationCreateSerializer, request.data)
        registration = services.registration_create(
            actor=request.user,
            movement=data["movement"],
            unit=data["unit"],
            person=data.get("member_code"),
            year=data["year"],
            titles=data.get("titles") or [],
            initiatives_pledged=data.get("initiatives_pledged", 0),
            note=data.get("note", ""),
            registered_on=data.get("registered_on"),
        )
        location = self.reverse_action("detail", kwargs={"pk": registration.pk})
        body = self.get_serializer(self.refine_queryset(Registration.objects.all()).get(pk=registration.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary=_("Withdraw a pledge"),
        request=RegistrationWithdrawSerializer,
        responses={204: None},
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        registration = self.get_object()
        data = parse(self, RegistrationWithdrawSerializer, request.data)
        services.registration_withdraw(actor=request.user, registration=registration, reason=data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)
