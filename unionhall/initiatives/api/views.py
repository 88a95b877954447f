"""The initiatives endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to` with the action each endpoint needs: initiative.view to
read, initiative.change to write, initiative.decide to examine and decide), rules and audit from
`unionhall.initiatives.services`, the error shape from `unionhall.api.errors`.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from unionhall.core.api import ScopedViewSet
from unionhall.initiatives import certificates, selectors, services
from unionhall.initiatives.models import (
    Initiative,
    InitiativeAuthor,
    InitiativeBenefit,
    InitiativeTransfer,
    RemunerationPayment,
)
from unionhall.initiatives.services import CHANGE, DECIDE, VIEW
from unionhall.members.codes import member_code_normalise

from .serializers import (
    InitiativeActionSerializer,
    InitiativeBenefitInputSerializer,
    InitiativeBenefitSerializer,
    InitiativeCertificateSerializer,
    InitiativeChildFilterSerializer,
    InitiativeCreateSerializer,
    InitiativeDetailSerializer,
    InitiativeExamineSerializer,
    InitiativeFilterSerializer,
    InitiativeRecogniseSerializer,
    InitiativeRejectSerializer,
    InitiativeSerializer,
    InitiativeTransferInputSerializer,
    InitiativeTransferSerializer,
    InitiativeUpdateSerializer,
    RemunerationPaymentInputSerializer,
    RemunerationPaymentSerializer,
)

ID_RE = r"[0-9]{1,18}"
PDF_TYPE = "application/pdf"
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


def _authors(actor: Any, rows: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    codes = [member_code_normalise(row["member_code"]) for row in rows]
    people = services.people_for_authors(actor, codes)
    return [(people[code], row["share"]) for code, row in zip(codes, rows, strict=True)]


def _details(data: dict[str, Any], current: Initiative | None = None) -> services.InitiativeDetails:
    def value(name: str) -> Any:
        return data[name] if name in data else getattr(current, name)

    return services.InitiativeDetails(
        title=value("title"),
        field=value("field"),
        first_applied_on=value("first_applied_on"),
        description=value("description"),
        estimated_benefit_vnd=value("estimated_benefit_vnd"),
        state_funded=value("state_funded"),
        movement=value("movement"),
    )


# ---------------------------------------------------------------- initiatives


@extend_schema_view(
    list=extend_schema(
        summary=_("Initiatives you see, newest first, with overdue flags"),
        parameters=[InitiativeFilterSerializer],
        responses=InitiativeSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One initiative with its authors, clocks, benefit and remuneration"), parameters=[ID_PARAMETER]
    ),
    create=extend_schema(
        summary=_("A draft application, with its authors"),
        request=InitiativeCreateSerializer,
        responses={201: InitiativeDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft (or an application awaiting amendment)"),
        request=InitiativeUpdateSerializer,
        parameters=[ID_PARAMETER],
    ),
)
class InitiativeViewSet(ScopedViewSet):
    """Initiatives in the units the actor may act on."""

    model = Initiative
    serializer_class = InitiativeDetailSerializer
    lookup_value_regex = ID_RE
    scope_actions = {
        "list": VIEW,
        "retrieve": VIEW,
        "certificate": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
        "submit": CHANGE,
        "amend": CHANGE,
        "examine": DECIDE,
        "recognise": DECIDE,
        "reject": DECIDE,
    }
    domain_error_fields = {"day": "date"}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("unit", "movement")

    def _detail(self, initiative: Initiative, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        detail = selectors.initiative_detail(actor=self.request.user, pk=initiative.pk, today=timezone.localdate())
        context = {**self.get_serializer_context(), "detail": detail}
        return Response(
            InitiativeDetailSerializer(detail.initiative, context=context).data, status=status_code, **kwargs
        )

    def list(self, request: Request) -> Response:
        data = parse(self, InitiativeFilterSerializer, request.query_params)
        movement = data.get("movement")
        filters = selectors.InitiativeFilters(
            unit=data.get("unit"),
            status=data.get("status") or "",
            level=data.get("level") or "",
            year=data.get("year"),
            movement_id=movement.pk if movement is not None else None,
            overdue=data.get("overdue", False),
        )
        page = selectors.initiative_list(
            actor=request.user,
            filters=filters,
            cursor=data.get("cursor"),
            limit=data["page_size"],
            today=timezone.localdate(),
        )
        next_link = None
        if page.next_cursor:
            next_link = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        context = {"overdue": {row.initiative.pk: row.overdue for row in page.rows}}
        results = InitiativeSerializer([row.initiative for row in page.rows], many=True, context=context).data
        return Response({"next": next_link, "previous": None, "results": results})

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, InitiativeCreateSerializer, request.data)
        with transaction.atomic():
            authors = _authors(request.user, data["authors"])
            initiative = services.initiative_create(actor=request.user, unit=data["unit"], details=_details(data))
            services.authors_set(actor=request.user, initiative=initiative, authors=authors)
        location = self.reverse_action("detail", kwargs={"pk": initiative.pk})
        return self._detail(initiative, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        data = parse(self, InitiativeUpdateSerializer, request.data)
        with transaction.atomic():
            authors = _authors(request.user, data["authors"]) if "authors" in data else None
            initiative = services.initiative_update(
                actor=request.user, initiative=initiative, version=data["version"], details=_details(data, initiative)
            )
            if authors is not None:
                services.authors_set(actor=request.user, initiative=initiative, authors=authors)
        return self._detail(initiative)

    @extend_schema(
        summary=_("Request recognition (today); refused later than a year after first application"),
        request=InitiativeActionSerializer,
        responses=InitiativeDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        parse(self, InitiativeActionSerializer, request.data)
        return self._detail(services.initiative_submit(actor=request.user, initiative=initiative))

    @extend_schema(
        summary=_("Hand the amended application back, within the amendment window"),
        request=InitiativeActionSerializer,
        responses=InitiativeDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        parse(self, InitiativeActionSerializer, request.data)
        return self._detail(services.initiative_amend(actor=request.user, initiative=initiative))

    @extend_schema(
        summary=_("Examine a request: accept it for decision, ask for amendment, or reject it"),
        request=InitiativeExamineSerializer,
        responses=InitiativeDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def examine(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        data = parse(self, InitiativeExamineSerializer, request.data)
        initiative = services.initiative_examine(
            actor=request.user, initiative=initiative, verdict=data["verdict"], note=data["note"], day=data["date"]
        )
        return self._detail(initiative)

    @extend_schema(
        summary=_("Recognise an accepted initiative at a level, with its certificate number"),
        request=InitiativeRecogniseSerializer,
        responses=InitiativeDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def recognise(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        data = parse(self, InitiativeRecogniseSerializer, request.data)
        initiative = services.initiative_recognise(actor=request.user, initiative=initiative, **data)
        return self._detail(initiative)

    @extend_schema(
        summary=_("Refuse recognition, with the reason"),
        request=InitiativeRejectSerializer,
        responses=InitiativeDetailSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        initiative = self.get_object()
        data = parse(self, InitiativeRejectSerializer, request.data)
        initiative = services.initiative_reject(
            actor=request.user, initiative=initiative, note=data["note"], day=data["date"]
        )
        return self._detail(initiative)

    @extend_schema(
        summary=_("The recognition certificate (PDF); every print is logged"),
        parameters=[ID_PARAMETER, InitiativeCertificateSerializer],
        responses={(200, PDF_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk: str) -> HttpResponse:
        initiative = self.get_object()
        data = parse(self, InitiativeCertificateSerializer, request.query_params)
        pdf = certificates.certificate_pdf(
            actor=request.user, initiative=initiative, language=data.get("language") or None
        )
        response = HttpResponse(pdf, content_type=PDF_TYPE)
        response["Content-Disposition"] = f'inline; filename="initiative-{initiative.pk}.pdf"'
        add_never_cache_headers(response)
        return response


# ---------------------------------------------------------------- benefit, transfers, payments


class _ChildViewSet(ScopedViewSet):
    """Records of initiatives, listed by initiative; created through their service."""

    lookup_value_regex = ID_RE
    pagination_ordering = "id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE}
    initiative_path = "initiative_id"

    def list(self, request: Request) -> Response:
        data = parse(self, InitiativeChildFilterSerializer, request.query_params)
        rows = self.get_queryset()
        if data.get("initiative"):
            rows = rows.filter(**{self.initiative_path: data["initiative"]})
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def _created(self, obj: Any, status_code: int = status.HTTP_201_CREATED) -> Response:
        location = self.reverse_action("detail", kwargs={"pk": obj.pk})
        body = self.get_serializer(self.get_queryset().get(pk=obj.pk)).data
        return Response(body, status=status_code, headers={"Location": location})


@extend_schema_view(
    list=extend_schema(
        summary=_("Benefit per year of the initiatives you see"), parameters=[InitiativeChildFilterSerializer]
    ),
    retrieve=extend_schema(summary=_("One year's benefit"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record (or correct) the benefit of one year of a recognised initiative"),
        request=InitiativeBenefitInputSerializer,
        responses={201: InitiativeBenefitSerializer},
    ),
)
class BenefitViewSet(_ChildViewSet):
    model = InitiativeBenefit
    serializer_class = InitiativeBenefitSerializer

    def create(self, request: Request) -> Response:
        data = parse(self, InitiativeBenefitInputSerializer, request.data)
        benefit = services.benefit_record(actor=request.user, **data)
        return self._created(benefit)


@extend_schema_view(
    list=extend_schema(summary=_("Transfers of the initiatives you see"), parameters=[InitiativeChildFilterSerializer]),
    retrieve=extend_schema(summary=_("One transfer"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record a transfer of a recognised initiative"),
        request=InitiativeTransferInputSerializer,
        responses={201: InitiativeTransferSerializer},
    ),
)
class TransferViewSet(_ChildViewSet):
    model = InitiativeTransfer
    serializer_class = InitiativeTransferSerializer

    def create(self, request: Request) -> Response:
        data = parse(self, InitiativeTransferInputSerializer, request.data)
        transfer = services.transfer_record(actor=request.user, **data)
        return self._created(transfer)


@extend_schema_view(
    list=extend_schema(summary=_("Remuneration paid to authors"), parameters=[InitiativeChildFilterSerializer]),
    retrieve=extend_schema(summary=_("One payment"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Record a payment of remuneration to an author, for a year of application or a transfer"),
        request=RemunerationPaymentInputSerializer,
        responses={201: RemunerationPaymentSerializer},
    ),
)
class PaymentViewSet(_ChildViewSet):
    model = RemunerationPayment
    serializer_class = RemunerationPaymentSerializer
    initiative_path = "author__initiative_id"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("author__person")

    def create(self, request: Request) -> Response:
        data = parse(self, RemunerationPaymentInputSerializer, request.data)
        initiative = data["initiative"]
        author = (
            InitiativeAuthor.objects.filter(
                initiative=initiative, person__member_code=member_code_normalise(data["member_code"])
            )
            .select_related("initiative")
            .first()
        )
        if author is None:
            raise serializers.ValidationError({"member_code": [_("This person is not an author of the initiative.")]})
        transfer = None
        if data["transfer"] is not None:
            transfer = InitiativeTransfer.objects.filter(initiative=initiative, pk=data["transfer"]).first()
            if transfer is None:
                raise serializers.ValidationError({"transfer": [_("Transfer not found.")]})
        payment = services.remuneration_pay(
            actor=request.user,
            author=author,
            year_index=data["year_index"],
            transfer=transfer,
            amount_vnd=data["amount_vnd"],
            paid_on=data["paid_on"],
            note=data["note"],
        )
        return self._created(payment)
