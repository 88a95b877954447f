"""The members endpoints: parse, one selector or service call, render.

Scope comes from the base viewset (`visible_to`), rules and audit from `unionhall.members.services`,
the error shape from `unionhall.api.errors`. People are named by member code; the national ID never
travels in a URL or a query string, and leaves the server in plain only from `national-id/`.
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
from rest_framework.reverse import reverse
from rest_framework.utils.urls import replace_query_param

from unionhall.core.api import ScopedViewSet
from unionhall.core.scoping import subtree_q
from unionhall.members import cards, selectors, services
from unionhall.members.choices import OPEN_STATUSES
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard
from unionhall.members.selectors import MemberFilters
from unionhall.members.services import CHANGE, VIEW

from . import queries
from .serializers import (
    CardFilterSerializer,
    CardIssueSerializer,
    CardPdfSerializer,
    CardSerializer,
    CardStatusSerializer,
    MemberFilterSerializer,
    MemberRowSerializer,
    MembershipEndSerializer,
    MembershipJoinSerializer,
    MembershipResumeSerializer,
    MembershipSerializer,
    MembershipSuspendSerializer,
    MembershipTransferSerializer,
    NationalIdRevealSerializer,
    NationalIdSerializer,
    OfficerAppointSerializer,
    OfficerEndSerializer,
    OfficerFilterSerializer,
    OfficerTermSerializer,
    PersonCreateSerializer,
    PersonFoundSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    person_details,
)

MEMBER_CODE_RE = r"[0-9]{10}[0-9Xx]"
PDF_TYPE = "application/pdf"
ID_RE = r"[0-9]{1,18}"  # a bigint; longer ids never reach the database
# The patterns of the routes, so that the schema describes only URLs that reach these endpoints.
MEMBER_CODE_PARAMETER = OpenApiParameter(
    "member_code",
    str,
    OpenApiParameter.PATH,
    description=_("The person's member code."),
    pattern=f"^{MEMBER_CODE_RE}$",
)
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


def unpaged(results: Any) -> Response:
    """A whole list in the shape of a page, so every list reads alike."""
    return Response({"next": None, "previous": None, "results": results})


# ---------------------------------------------------------------- people


@extend_schema_view(
    list=extend_schema(
        summary=_("Members of a unit (and its sub-units), by name"),
        parameters=[MemberFilterSerializer],
        responses=MemberRowSerializer(many=True),
    ),
    retrieve=extend_schema(summary=_("One person"), parameters=[MEMBER_CODE_PARAMETER]),
    create=extend_schema(
        summary=_("Register a person as a member of a unit"),
        request=PersonCreateSerializer,
        responses={201: PersonSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a person's details"), request=PersonUpdateSerializer, parameters=[MEMBER_CODE_PARAMETER]
    ),
)
class PersonViewSet(ScopedViewSet):
    """People, by member code, among those with a membership the actor may act on."""

    model = Person
    serializer_class = PersonSerializer
    lookup_field = "member_code"
    lookup_value_regex = MEMBER_CODE_RE
    scope_actions = {
        "list": VIEW,
        "search": VIEW,
        "retrieve": VIEW,
        "memberships": VIEW,
        "national_id": VIEW,
        "join": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
    }

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("residence_province", "residence_commune", "employer")

    def get_object(self) -> Person:
        person = queries.person_by_code(self.get_queryset(), self.kwargs["member_code"])
        if person is None:
            raise queries.person_not_found(self.kwargs["member_code"].upper())
        return person

    def _detail(self, person: Person, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
        actor = self.request.user
        person = Person.objects.select_related("residence_province", "residence_commune", "employer").get(pk=person.pk)
        context = {
            **self.get_serializer_context(),
            "home": queries.visible_home(actor=actor, person=person),
            "sensitive": queries.sensitive_or_none(actor=actor, person=person),
        }
        return Response(PersonSerializer(person, context=context).data, status=status_code, **kwargs)

    def list(self, request: Request) -> Response:
        data = parse(self, MemberFilterSerializer, request.query_params)
        filters = MemberFilters(
            statuses=(data["status"],) if data.get("status") else tuple(OPEN_STATUSES),
            gender=data.get("gender") or "",
            join_year=data.get("join_year"),
            is_officer=data.get("officer"),
            card_status=data.get("card_status") or "",
        )
        page = selectors.member_list(
            actor=request.user,
            unit=data["unit"],
            subtree=data.get("subtree") is not False,
            filters=filters,
            cursor=data.get("cursor"),
            limit=data["page_size"],
        )
        next_link = None
        if page.next_cursor:
            next_link = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        results = MemberRowSerializer(page.items, many=True).data
        return Response({"next": next_link, "previous": None, "results": results})

    @extend_schema(
        summary=_("Find people by name, member code or phone"),
        parameters=[PersonSearchSerializer],
        responses=PersonFoundSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def search(self, request: Request) -> Response:
        data = parse(self, PersonSearchSerializer, request.query_params)
        people = list(selectors.person_search(actor=request.user, query=data["q"], limit=data["limit"]))
        units = queries.current_units(actor=request.user, people=people)
        return unpaged(PersonFoundSerializer(people, many=True, context={"units": units}).data)

    def retrieve(self, request: Request, member_code: str) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request) -> Response:
        data = parse(self, PersonCreateSerializer, request.data)
        person = services.person_create(
            actor=request.user, unit=data["unit"], join_date=data["join_date"], details=person_details(data)
        )
        location = self.reverse_action("detail", kwargs={"member_code": person.member_code})
        return self._detail(person, status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, member_code: str) -> Response:
        person = self.get_object()
        queries.answerable_home(actor=request.user, person=person, action=CHANGE)
        data = parse(self, PersonUpdateSerializer, request.data)
        person = services.person_update(
            actor=request.user, person=person, version=data["version"], details=person_details(data, person)
        )
        return self._detail(person)

    @extend_schema(
        summary=_("A person's national ID in plain (the reading is logged)"),
        request=NationalIdRevealSerializer,
        responses=NationalIdSerializer,
        parameters=[MEMBER_CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="national-id", url_name="national-id")
    def national_id(self, request: Request, member_code: str) -> Response:
        person = self.get_object()
        queries.answerable_home(actor=request.user, person=person, action=VIEW)
        data = parse(self, NationalIdRevealSerializer, request.data)
        number = services.national_id_reveal(actor=request.user, person=person, purpose=data["purpose"])
        body = {"id_kind": person.id_kind, "national_id": number}
        return Response(body, headers={"Cache-Control": "no-store"})

    @extend_schema(
        summary=_("A person's memberships that you see, newest first"),
        parameters=[MEMBER_CODE_PARAMETER],
        responses=MembershipSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def memberships(self, request: Request, member_code: str) -> Response:
        person = self.get_object()
        self.pagination_ordering = ("-join_date", "-id")
        memberships = selectors.person_memberships(actor=request.user, person=person).select_related("person")
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(
        summary=_("A person joins a unit (again)"),
        request=MembershipJoinSerializer,
        responses={201: MembershipSerializer},
        parameters=[MEMBER_CODE_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def join(self, request: Request, member_code: str) -> Response:
        person = self.get_object()
        data = parse(self, MembershipJoinSerializer, request.data)
        membership = services.membership_join(
            actor=request.user, person=person, unit=data["unit"], join_date=data["join_date"]
        )
        return membership_created(request, membership)


# ---------------------------------------------------------------- memberships


def membership_created(request: Request, membership: Membership) -> Response:
    membership = Membership.objects.select_related("person", "unit").get(pk=membership.pk)
    location = reverse("api:membership-detail", kwargs={"pk": membership.pk}, request=request)
    body = MembershipSerializer(membership).data
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(retrieve=extend_schema(summary=_("One membership"), parameters=[ID_PARAMETER]))
class MembershipViewSet(ScopedViewSet):
    """Memberships in the units the actor may act on."""

    model = Membership
    serializer_class = MembershipSerializer
    lookup_value_regex = ID_RE
    scope_actions = {
        "retrieve": VIEW,
        "transfer": CHANGE,
        "end": CHANGE,
        "suspend": CHANGE,
        "resume": CHANGE,
    }
    # Service field names as these endpoints' requests name them.
    domain_error_fields = {"day": "date", "end_date": "date"}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("person", "unit")

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def _done(self, membership: Membership) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=membership.pk)).data)

    @extend_schema(
        summary=_("Move the member to another unit: this membership ends, a new one starts the same day"),
        request=MembershipTransferSerializer,
        responses={201: MembershipSerializer},
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        data = parse(self, MembershipTransferSerializer, request.data)
        new = services.membership_transfer(
            actor=request.user, membership=membership, new_unit=data["new_unit"], day=data["date"]
        )
        return membership_created(request, new)

    @extend_schema(
        summary=_("End a membership (the member's open union positions end with it)"),
        request=MembershipEndSerializer,
        responses=MembershipSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        data = parse(self, MembershipEndSerializer, request.data)
        services.membership_end(actor=request.user, membership=membership, reason=data["reason"], day=data["date"])
        return self._done(membership)

    @extend_schema(
        summary=_("Suspend a membership (the member stays in the unit; union positions end)"),
        request=MembershipSuspendSerializer,
        responses=MembershipSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        data = parse(self, MembershipSuspendSerializer, request.data)
        services.membership_suspend(actor=request.user, membership=membership, day=data["date"], reason=data["reason"])
        return self._done(membership)

    @extend_schema(
        summary=_("Lift a membership's suspension"),
        request=MembershipResumeSerializer,
        responses=MembershipSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        data = parse(self, MembershipResumeSerializer, request.data)
        services.membership_resume(actor=request.user, membership=membership, day=data["date"])
        return self._done(membership)


# ---------------------------------------------------------------- officers


@extend_schema_view(
    list=extend_schema(summary=_("Union positions held in your units"), parameters=[OfficerFilterSerializer]),
    retrieve=extend_schema(summary=_("One officer term"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Appoint a member to a union position"),
        request=OfficerAppointSerializer,
        responses={201: OfficerTermSerializer},
    ),
)
class OfficerViewSet(ScopedViewSet):
    """Officer terms of the memberships the actor may act on."""

    model = OfficerTerm
    serializer_class = OfficerTermSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = ("-term_start", "-id")
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "end": CHANGE}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("membership__person", "membership__unit")

    def list(self, request: Request) -> Response:
        data = parse(self, OfficerFilterSerializer, request.query_params)
        terms = self.get_queryset()
        if "unit" in data:
            unit = data["unit"]
            if data.get("subtree") is False:
                terms = terms.filter(membership__unit=unit)
            else:
                terms = terms.filter(subtree_q("membership__unit__path", unit.path))
        if data.get("person"):
            terms = terms.filter(membership__person__member_code=member_code_normalise(data["person"]))
        terms = terms.filter(term_end__isnull=data.get("current") is not False)
        page = self.paginate_queryset(terms)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, OfficerAppointSerializer, request.data)
        term = services.officer_appoint(
            actor=request.user,
            membership=data["membership"],
            position=data["position"],
            term_start=data["term_start"],
            full_time=data["full_time"],
        )
        location = self.reverse_action("detail", kwargs={"pk": term.pk})
        body = self.get_serializer(self.get_queryset().get(pk=term.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary=_("End an officer term"),
        request=OfficerEndSerializer,
        responses=OfficerTermSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        term = self.get_object()
        data = parse(self, OfficerEndSerializer, request.data)
        services.officer_end(actor=request.user, term=term, term_end=data["term_end"])
        return Response(self.get_serializer(self.get_queryset().get(pk=term.pk)).data)


# ---------------------------------------------------------------- cards


@extend_schema_view(
    list=extend_schema(summary=_("Union cards of the people you see"), parameters=[CardFilterSerializer]),
    retrieve=extend_schema(summary=_("One union card"), parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary=_("Issue a union card to a current member"),
        request=CardIssueSerializer,
        responses={201: CardSerializer},
    ),
)
class CardViewSet(ScopedViewSet):
    """Union cards, visible with their holder; issued and changed by the holder's home unit."""

    model = UnionCard
    serializer_class = CardSerializer
    lookup_value_regex = ID_RE
    pagination_ordering = "-id"
    scope_actions = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "change_status": CHANGE, "pdf": VIEW}

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("person")

    def list(self, request: Request) -> Response:
        data = parse(self, CardFilterSerializer, request.query_params)
        cards = self.get_queryset()
        if data.get("person"):
            cards = cards.filter(person__member_code=member_code_normalise(data["person"]))
        if data.get("status"):
            cards = cards.filter(status=data["status"])
        page = self.paginate_queryset(cards)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = parse(self, CardIssueSerializer, request.data)
        card = services.card_issue(actor=request.user, **data)
        location = self.reverse_action("detail", kwargs={"pk": card.pk})
        body = self.get_serializer(UnionCard.objects.select_related("person").get(pk=card.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary=_("Mark a card lost, revoked, replaced or active again"),
        request=CardStatusSerializer,
        responses=CardSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request: Request, pk: str) -> Response:
        card = self.get_object()
        queries.answerable_home(actor=request.user, person=card.person, action=CHANGE)
        data = parse(self, CardStatusSerializer, request.data)
        card = services.card_status_change(actor=request.user, card=card, status=data["status"])
        return Response(self.get_serializer(UnionCard.objects.select_related("person").get(pk=card.pk)).data)

    @extend_schema(
        summary=_("The printable card (PDF); every print is logged"),
        parameters=[ID_PARAMETER, CardPdfSerializer],
        responses={(200, PDF_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        card = self.get_object()
        queries.answerable_home(actor=request.user, person=card.person, action=VIEW)
        data = parse(self, CardPdfSerializer, request.query_params)
        pdf = cards.card_pdf(actor=request.user, card=card, language=data.get("language") or None)
        response = HttpResponse(pdf, content_type=PDF_TYPE)
        response["Content-Disposition"] = f'inline; filename="card-{card.card_number}.pdf"'
        add_never_cache_headers(response)
        return response
