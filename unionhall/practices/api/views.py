"""The models endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`); changing a model also needs `practice.change`
on its registering unit, so a model the actor only sees from above a party or as the movement's
launcher is absent (404) for those actions. Rules and audit are in `unionhall.practices.services`.
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
from unionhall.practices import selectors, services
from unionhall.practices.models import Practice, PracticeEvaluation, PracticeMember
from unionhall.practices.services import CHANGE, RECOGNISE, VIEW

from .serializers import (
    DiscontinueSerializer,
    EvaluationCreateSerializer,
    EvaluationFilterSerializer,
    EvaluationSerializer,
    MemberAddSerializer,
    MemberRemoveSerializer,
    PracticeCreateSerializer,
    PracticeDetailSerializer,
    PracticeFilterSerializer,
    PracticeSerializer,
    PracticeUpdateSerializer,
    RecogniseSerializer,
    practice_details,
)

CODE_RE = r"[a-zA-Z0-9_-]{1,60}"
ID_RE = r"[0-9]{1,18}"
CODE_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("The model's code."))
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description=_("The record's id."),
)
RELATED = ("unit", "movement__launcher", "programme", "recognised_by")


def parse(view: ScopedViewSet, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Models and exemplars you see"),
        parameters=[PracticeFilterSerializer],
        responses=PracticeSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One model, with its members and evaluations"),
        parameters=[CODE_PARAMETER],
        responses=PracticeDetailSerializer,
    ),
    create=extend_schema(
        summary=_("Register a model or exemplar"),
        request=PracticeCreateSerializer,
        responses={201: PracticeDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Correct a model's details"),
        request=PracticeUpdateSerializer,
        responses=PracticeDetailSerializer,
        parameters=[CODE_PARAMETER],
    ),
)
class PracticeViewSet(ScopedViewSet):
    """Models (mô hình) and exemplars, by code."""

    model = Practice
    serializer_class = PracticeSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_RE
    pagination_ordering = ("-registered_on", "-id")
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
        "add_member": CHANGE,
        "remove_member": CHANGE,
        "discontinue": CHANGE,
        "recognise": RECOGNISE,
    }
    # Keeping the model needs the registering unit; recognition is checked by the service (a unit above).
    keeper_actions = frozenset({"partial_update", "add_member", "remove_member", "discontinue"})

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action in self.keeper_actions:
            queryset = queryset.changeable_by(self.request.user)  # type: ignore[attr-defined]
        return queryset.select_related(*RELATED)

    def get_object(self) -> Practice:
        code = self.kwargs["code"].lower()
        practice = self.get_queryset().filter(code=code).first()
        if practice is None:
            raise NotFound(_("Model %(code)s was not found.") % {"code": code})
        return practice

    def _detail(self, practice: Practice, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        practice = Practice.objects.select_related(*RELATED).get(pk=practice.pk)
        detail = selectors.practice_detail(actor=self.request.user, practice=practice)
        context = {**self.get_serializer_context(), "detail": detail}
        return Response(PracticeDetailSerializer(practice, context=context).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, PracticeFilterSerializer, request.query_params)
        filters = selectors.PracticeFilters(
            unit=data.get("unit"),
            field=data.get("field") or "",
            kind=data.get("kind") or "",
            movement=data.get("movement"),
            programme=data.get("programme"),
            status=data.get("status") or "",
            year=data.get("year"),
            effective_in=data.get("effective_in"),
        )
        practices = selectors.practice_queryset(actor=request.user, filters=filters).select_related(*RELATED)
        page = self.paginate_queryset(practices)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, PracticeCreateSerializer, request.data)
        practice = services.practice_register(
            actor=request.user, code=data["code"], unit=data["unit"], details=practice_details(data)
        )
        location = self.reverse_action("detail", kwargs={"code": practice.code})
        return self._detail(practice, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, code: str) -> Response:
        practice = self.get_object()
        data = parse(self, PracticeUpdateSerializer, request.data)
        practice = services.practice_update(
            actor=request.user, practice=practice, details=practice_details(data, practice), version=data["version"]
        )
        return self._detail(practice)

    @extend_schema(
        summary=_("Add a member (by member code) or a named person to a model"),
        request=MemberAddSerializer,
        responses=PracticeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request: Request, code: str) -> Response:
        practice = self.get_object()
        data = parse(self, MemberAddSerializer, request.data)
        services.practice_member_add(
            actor=request.user,
            practice=practice,
            person=data.get("member_code"),
            name=data.get("name", ""),
            role=data.get("role", ""),
        )
        return self._detail(practice)

    @extend_schema(
        summary=_("Remove a member from a model"),
        request=MemberRemoveSerializer,
        responses=PracticeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request: Request, code: str) -> Response:
        practice = self.get_object()
        data = parse(self, MemberRemoveSerializer, request.data)
        member = PracticeMember.objects.filter(practice=practice, pk=data["id"]).first()
        if member is None:
            raise NotFound(_("Member of the model not found."), field="id")
        services.practice_member_remove(actor=request.user, member=member)
        return self._detail(practice)

    @extend_schema(
        summary=_("Recognise a model as effective"),
        request=RecogniseSerializer,
        responses=PracticeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def recognise(self, request: Request, code: str) -> Response:
        practice = self.get_object()
        data = parse(self, RecogniseSerializer, request.data)
        services.practice_recognise(
            actor=request.user,
            practice=practice,
            by=data["by"],
            recognised_on=data.get("recognised_on"),
            reference=data.get("reference", ""),
        )
        return self._detail(practice)

    @extend_schema(
        summary=_("Discontinue a model"),
        request=DiscontinueSerializer,
        responses=PracticeDetailSerializer,
        parameters=[CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def discontinue(self, request: Request, code: str) -> Response:
        practice = self.get_object()
        data = parse(self, DiscontinueSerializer, request.data)
        services.practice_discontinue(
            actor=request.user, practice=practice, ended_on=data.get("ended_on"), reason=data.get("reason", "")
        )
        return self._detail(practice)


@extend_schema_view(
    list=extend_schema(summary=_("Evaluations of the models you see"), parameters=[EvaluationFilterSerializer]),
    retrieve=extend_schema(summary=_("One evaluation"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record a model's evaluation for a year"),
        request=EvaluationCreateSerializer,
        responses={201: EvaluationSerializer},
    ),
)
class EvaluationViewSet(ScopedViewSet):
    """Yearly evaluations, seen with their model; one per model and year."""

    model = PracticeEvaluation
    serializer_class = EvaluationSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("practice", "evaluated_by")

    def list(self, request: Request) -> Response:
        data = parse(self, EvaluationFilterSerializer, request.query_params)
        evaluations = self.get_queryset()
        if data.get("practice") is not None:
            evaluations = evaluations.filter(practice=data["practice"])
        if data.get("year") is not None:
            evaluations = evaluations.filter(year=data["year"])
        page = self.paginate_queryset(evaluations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, EvaluationCreateSerializer, request.data)
        evaluation = services.practice_evaluate(
            actor=request.user,
            practice=data["practice"],
            year=data["year"],
            result=data["result"],
            note=data.get("note", ""),
            evaluated_on=data.get("evaluated_on"),
            evaluator=data.get("evaluator"),
        )
        location = self.reverse_action("detail", kwargs={"pk": evaluation.pk})
        body = self.get_serializer(self.refine_queryset(PracticeEvaluation.objects.all()).get(pk=evaluation.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
