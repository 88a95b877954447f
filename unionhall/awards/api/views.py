"""The awards endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`), rules and audit from `unionhall.awards.services`,
the error shape from `unionhall.api.errors`. The catalogue and the base salaries are read by
anyone who may see awards somewhere.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from unionhall.awards import certificates, selectors, services
from unionhall.awards.models import Award, AwardType, BaseSalary, Decision, Nomination
from unionhall.awards.services import DECIDE, NOMINATE, VIEW, Awardee
from unionhall.core.api import ScopedViewSet
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.members.codes import member_code_normalise

from .serializers import (
    ApproveSerializer,
    AwardFilterSerializer,
    AwardSerializer,
    AwardTypeSerializer,
    BaseSalarySerializer,
    CertificateSerializer,
    DecisionCreateSerializer,
    DecisionFilterSerializer,
    DecisionRowSerializer,
    DecisionSerializer,
    NominationCreateSerializer,
    NominationFilterSerializer,
    NominationSerializer,
    NominationUpdateSerializer,
    RejectSerializer,
    RevokeSerializer,
    StepSerializer,
)

ID_RE = r"[0-9]{1,18}"
PDF_TYPE = "application/pdf"
ID_PARAMETER = OpenApiParameter(
    "id", {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}, OpenApiParameter.PATH, description=_("The id.")
)
CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description=_("The award type's code."), pattern=r"^[-a-zA-Z0-9_]+$"
)


def parse(view: ScopedViewSet, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def unpaged(results: Any) -> Response:
    return Response({"next": None, "previous": None, "results": results})


class CatalogueViewSet(ScopedViewSet):
    """Reference data the same for everyone who may see awards somewhere; nothing for others."""

    def get_queryset(self) -> QuerySet:
        if scope_for(self.request.user, self.scope_action).empty:
            return self.model._default_manager.none()
        return self.refine_queryset(self.model._default_manager.all())


# ---------------------------------------------------------------- catalogue


@extend_schema_view(
    list=extend_schema(summary=_("The commendation catalogue, with each award's dated rules")),
    retrieve=extend_schema(summary=_("One award type and its rules"), parameters=[CODE_PARAMETER]),
)
class AwardTypeViewSet(CatalogueViewSet):
    model = AwardType
    serializer_class = AwardTypeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,60}"
    scope_actions = {"list": VIEW, "retrieve": VIEW}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("rules__granting_unit_types", "rules__quota_of").order_by("rank", "code")

    def list(self, request: Request) -> Response:
        return unpaged(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(list=extend_schema(summary=_("The base salary (lương cơ sở) by date")))
class BaseSalaryViewSet(CatalogueViewSet):
    model = BaseSalary
    serializer_class = BaseSalarySerializer
    scope_actions = {"list": VIEW}

    def list(self, request: Request) -> Response:
        return unpaged(self.get_serializer(self.get_queryset().order_by("-valid_from"), many=True).data)


# ---------------------------------------------------------------- nominations


@extend_schema_view(
    list=extend_schema(summary=_("Nominations proposed in your units"), parameters=[NominationFilterSerializer]),
    retrieve=extend_schema(summary=_("One nomination, with its last eligibility check"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Nominate a person or a unit (a draft, checked for eligibility)"),
        request=NominationCreateSerializer,
        responses={201: NominationSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft's year, evidence or note"),
        request=NominationUpdateSerializer,
        parameters=[ID_PARAMETER],
    ),
)
class NominationViewSet(ScopedViewSet):
    model = Nomination
    serializer_class = NominationSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": NOMINATE,
        "partial_update": VIEW,
        "submit": VIEW,
        "check": VIEW,
        "approve": VIEW,
        "reject": VIEW,
    }
    domain_error_fields = {"note": "note"}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("award_type", "person", "unit", "proposing_unit").prefetch_related("initiatives")

    def _body(self, nomination: Nomination, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        fresh = self.refine_queryset(Nomination.objects.all()).get(pk=nomination.pk)
        return Response(self.get_serializer(fresh).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, NominationFilterSerializer, request.query_params)
        nominations = self.get_queryset()
        if "unit" in data:
            nominations = nominations.filter(subtree_q("proposing_unit__path", data["unit"].path))
        if data.get("status"):
            nominations = nominations.filter(status=data["status"])
        if data.get("year") is not None:
            nominations = nominations.filter(year=data["year"])
        if data.get("award_type") is not None:
            nominations = nominations.filter(award_type=data["award_type"])
        page = self.paginate_queryset(nominations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, NominationCreateSerializer, request.data)
        nomination = services.nomination_create(
            actor=request.user,
            award_type=data["award_type"],
            year=data["year"],
            proposing_unit=data["proposing_unit"],
            person=data.get("person"),
            unit=data.get("unit"),
            initiatives=data.get("initiatives", []),
            note=data.get("note", ""),
        )
        location = self.reverse_action("detail", kwargs={"pk": nomination.pk})
        return self._body(nomination, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = parse(self, NominationUpdateSerializer, request.data)
        nomination = services.nomination_update(
            actor=request.user,
            nomination=nomination,
            version=data["version"],
            year=data.get("year"),
            initiatives=data.get("initiatives"),
            note=data.get("note"),
        )
        return self._body(nomination)

    @extend_schema(
        summary=_("Send a draft to the upper level (checked again)"),
        request=StepSerializer,
        responses=NominationSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = parse(self, StepSerializer, request.data)
        return self._body(
            services.nomination_submit(actor=request.user, nomination=nomination, version=data.get("version"))
        )

    @extend_schema(
        summary=_("Run the eligibility check again and store it"),
        request=None,
        responses=NominationSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        return self._body(services.nomination_check(actor=request.user, nomination=nomination))

    @extend_schema(
        summary=_("Approve a submitted nomination (the level above the proposing unit)"),
        request=ApproveSerializer,
        responses=NominationSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = parse(self, ApproveSerializer, request.data)
        return self._body(
            services.nomination_approve(
                actor=request.user, nomination=nomination, note=data.get("note", ""), version=data.get("version")
            )
        )

    @extend_schema(
        summary=_("Reject a submitted nomination, saying why"),
        request=RejectSerializer,
        responses=NominationSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = parse(self, RejectSerializer, request.data)
        return self._body(
            services.nomination_reject(
                actor=request.user, nomination=nomination, reason=data["reason"], version=data.get("version")
            )
        )


# ---------------------------------------------------------------- decisions


@extend_schema_view(
    list=extend_schema(
        summary=_("Decisions of your units and decisions awarding someone in them"),
        parameters=[DecisionFilterSerializer],
        responses=DecisionRowSerializer(many=True),
    ),
    retrieve=extend_schema(summary=_("One decision and the awardees you see"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record a signed decision: bonuses computed, quotas and one award per achievement kept"),
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
    ),
)
class DecisionViewSet(ScopedViewSet):
    model = Decision
    serializer_class = DecisionSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": DECIDE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("granting_unit", "award_type", "movement", "rule")

    def _body(self, decision: Decision, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        awards = list(selectors.decision_awards(actor=self.request.user, decision=decision))
        context = {**self.get_serializer_context(), "awards": {decision.pk: awards}}
        fresh = self.refine_queryset(Decision.objects.all()).get(pk=decision.pk)
        return Response(DecisionSerializer(fresh, context=context).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, DecisionFilterSerializer, request.query_params)
        decisions = self.get_queryset()
        if data.get("year") is not None:
            decisions = decisions.filter(signed_on__year=data["year"])
        if data.get("award_type") is not None:
            decisions = decisions.filter(award_type=data["award_type"])
        if data.get("granting_unit") is not None:
            decisions = decisions.filter(granting_unit=data["granting_unit"])
        page = self.paginate_queryset(decisions)
        return self.get_paginated_response(DecisionRowSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._body(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, DecisionCreateSerializer, request.data)
        awardees = [
            Awardee(line.get("person") or line.get("unit"), line["year"], line.get("nomination"))
            for line in data["awardees"]
        ]
        decision = services.decision_create(
            actor=request.user,
            number=data["number"],
            signed_on=data["signed_on"],
            signer=data["signer"],
            granting_unit=data["granting_unit"],
            award_type=data["award_type"],
            movement=data.get("movement"),
            awardees=awardees,
            note=data.get("note", ""),
            quota_override=data.get("quota_override", False),
            quota_justification=data.get("quota_justification", ""),
        )
        location = self.reverse_action("detail", kwargs={"pk": decision.pk})
        return self._body(decision, status.HTTP_201_CREATED, headers={"Location": location})


# ---------------------------------------------------------------- awards


@extend_schema_view(
    list=extend_schema(summary=_("Awards you see (award history)"), parameters=[AwardFilterSerializer]),
    retrieve=extend_schema(summary=_("One award"), parameters=[ID_PARAMETER]),
)
class AwardViewSet(ScopedViewSet):
    model = Award
    serializer_class = AwardSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "revoke": VIEW, "certificate": VIEW}
    domain_error_fields = {"reason": "revocation_reason"}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("decision__granting_unit", "award_type", "person", "unit", "awardee_unit")

    def list(self, request: Request) -> Response:
        data = parse(self, AwardFilterSerializer, request.query_params)
        awards = self.get_queryset()
        if data.get("person"):
            awards = awards.filter(person__member_code=member_code_normalise(data["person"]))
        if data.get("unit"):
            awards = awards.filter(unit__code=data["unit"].upper())
        if data.get("award_type") is not None:
            awards = awards.filter(award_type=data["award_type"])
        if data.get("year") is not None:
            awards = awards.filter(year=data["year"])
        if data.get("revoked") is not None:
            awards = awards.filter(revoked_on__isnull=not data["revoked"])
        page = self.paginate_queryset(awards)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Revoke an award, with the reason and the money recovered"),
        request=RevokeSerializer,
        responses=AwardSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        award = self.get_object()
        data = parse(self, RevokeSerializer, request.data)
        award = services.award_revoke(
            actor=request.user,
            award=award,
            reason=data["revocation_reason"],
            revoked_on=data["revoked_on"],
            recovered_vnd=data.get("recovered_vnd"),
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=award.pk)).data)

    @extend_schema(
        summary=_("The award certificate (PDF) in the language asked for; every print is logged"),
        parameters=[ID_PARAMETER, CertificateSerializer],
        responses={(200, PDF_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk: str) -> HttpResponse:
        award = self.get_object()
        data = parse(self, CertificateSerializer, request.query_params)
        pdf = certificates.certificate_pdf(actor=request.user, award=award, language=data.get("language") or None)
        response = HttpResponse(pdf, content_type=PDF_TYPE)
        response["Content-Disposition"] = f'inline; filename="award-{award.pk}.pdf"'
        add_never_cache_headers(response)
        return response
