"""The eligibility endpoints: (prefix, viewset, basename), appended to the awards API routes.

- `POST eligibility/check/`: one person (member code) or unit (code), one award type, one year.
- `GET eligibility/?unit=&year=&award_type=`: the batch list of a unit's subtree, in pages.

Both read only. People and units are looked up among those the caller sees for award.view, so
one outside the scope gets exactly the answer of one that does not exist.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from unionhall.awards.eligibility import (
    MAX_YEAR,
    MIN_YEAR,
    VIEW,
    BatchRow,
    Verdict,
    batch_eligibility,
    evaluate,
    rule_for,
)
from unionhall.awards.models import AwardType
from unionhall.core.api import ScopedViewSet, StrictSerializer
from unionhall.core.cursors import Offset, cursor_decode, cursor_encode
from unionhall.members.api.serializers import MemberCodeField
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField
from unionhall.orgunits.models import Unit

MAX_PAGE = 500
ELIGIBLE_FILTERS = {"true": True, "false": False, "review": None}


class AwardTypeCodeField(CodeLookupField):
    """An award type of the catalogue, by code."""

    max_length = 60

    def lookup(self, code: str) -> AwardType:
        found = AwardType.objects.filter(code=code).first()
        if found is None:
            raise serializers.ValidationError(_("Award type %(code)s was not found.") % {"code": code})
        return found


# ---------------------------------------------------------------- output


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The criterion checked, e.g. consecutive, benefit, quota."))
    outcome = serializers.ChoiceField(choices=[("pass", "pass"), ("fail", "fail"), ("review", "review")])
    message = serializers.CharField(help_text=_("Why, with the figures, in the request's language."))
    children = serializers.SerializerMethodField(help_text=_("The alternatives or conditions of any / all."))

    def get_children(self, reason: Any) -> list[dict[str, Any]]:
        return ReasonSerializer(reason.children, many=True).data  # type: ignore[return-value]


class RuleSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    legal_basis = serializers.CharField()
    verified = serializers.CharField(help_text=_("S sourced, M unverified, ? unknown."))


class CheckResultSerializer(serializers.Serializer):
    award_type = serializers.CharField()
    year = serializers.IntegerField()
    person = serializers.CharField(allow_null=True, help_text=_("The member code, for a person."))
    unit = serializers.CharField(allow_null=True, help_text=_("The unit's code, for a unit."))
    eligible = serializers.BooleanField(allow_null=True, help_text=_("null: nothing failed, but a person must review."))
    reasons = ReasonSerializer(many=True)
    rule = RuleSerializer(allow_null=True, help_text=_("The rule applied: in force on 31 December, or today."))


class BatchRowSerializer(serializers.Serializer):
    """One nominee against one award type."""

    award_type = serializers.CharField(source="award_type.code")
    person = serializers.SerializerMethodField(help_text=_("The member code, for a person."))
    unit = serializers.CharField(source="unit_code", help_text=_("The member's unit, or the unit nominated."))
    name = serializers.CharField()
    eligible = serializers.BooleanField(allow_null=True)
    reasons = ReasonSerializer(source="verdict.reasons", many=True)

    def get_person(self, row: BatchRow) -> str | None:
        return row.code if row.person_id is not None else None


# ---------------------------------------------------------------- input


class CheckSerializer(StrictSerializer):
    award_type = AwardTypeCodeField(help_text=_("The award type's code, e.g. chien_si_thi_dua_co_so."))
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, help_text=_("The achievement year."))
    person = MemberCodeField(action=VIEW, required=False, help_text=_("A member code (or give unit)."))
    unit = UnitCodeField(action=VIEW, required=False, help_text=_("A unit's code (or give person)."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("unit" in attrs):
            raise serializers.ValidationError(_("Give either a person or a unit."))
        return attrs


class BatchFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=VIEW, help_text=_("Every active member or unit of this unit's subtree."))
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, help_text=_("The achievement year."))
    award_type = serializers.ListField(
        child=serializers.SlugField(max_length=60),
        required=False,
        max_length=50,
        help_text=_("Award type codes (repeat the parameter); none: every annual or once-only one."),
    )
    eligible = serializers.ChoiceField(
        choices=[("true", "true"), ("false", "false"), ("review", "review")],
        required=False,
        help_text=_("Only rows with this verdict."),
    )
    cursor = serializers.CharField(required=False, max_length=100, help_text=_("From the previous page's link."))
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=50)


def parse(view: ScopedViewSet, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _check_result(award_type: AwardType, year: int, nominee: Any, verdict: Verdict, rule: Any) -> dict[str, Any]:
    is_unit = isinstance(nominee, Unit)
    return {
        "award_type": award_type.code,
        "year": year,
        "person": None if is_unit else nominee.member_code,
        "unit": nominee.code if is_unit else None,
        "eligible": verdict.eligible,
        "reasons": ReasonSerializer(verdict.reasons, many=True).data,
        "rule": None if rule is None else RuleSerializer(rule).data,
    }


@extend_schema_view(
    list=extend_schema(
        summary=_("Who in a unit's subtree is eligible for which award, and why not"),
        parameters=[BatchFilterSerializer],
        responses=inline_serializer(
            name="EligibilityPage",
            fields={
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": BatchRowSerializer(many=True),
            },
        ),
    ),
)
class EligibilityViewSet(ScopedViewSet):
    """The eligibility engine over the API; the units and people it reads are scoped by award.view."""

    model = Unit
    scope_actions = {"list": VIEW, "check": VIEW}
    serializer_class = BatchRowSerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        data = parse(self, BatchFilterSerializer, request.query_params)
        offset = cursor_decode(data["cursor"], (Offset,))[0] if data.get("cursor") else 0
        rows = batch_eligibility(
            actor=request.user,
            unit=data["unit"],
            year=data["year"],
            award_types=data.get("award_type") or None,
            today=timezone.localdate(),
        )
        if data.get("eligible"):
            wanted = ELIGIBLE_FILTERS[data["eligible"]]
            rows = [row for row in rows if row.eligible is wanted]
        size = data["page_size"]
        page = rows[offset : offset + size]
        url = request.build_absolute_uri()
        after = offset + size
        next_link = replace_query_param(url, "cursor", cursor_encode([after])) if after < len(rows) else None
        previous_link = None
        if offset > 0:
            before = max(0, offset - size)
            previous_link = (
                replace_query_param(url, "cursor", cursor_encode([before]))
                if before
                else remove_query_param(url, "cursor")
            )
        return Response(
            {"next": next_link, "previous": previous_link, "results": BatchRowSerializer(page, many=True).data}
        )

    @extend_schema(
        summary=_("Check one person or unit against the rule of an award type for a year"),
        request=CheckSerializer,
        responses={200: CheckResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def check(self, request: Request) -> Response:
        data = parse(self, CheckSerializer, request.data)
        award_type, year, today = data["award_type"], data["year"], timezone.localdate()
        person, unit = data.get("person"), data.get("unit")
        verdicts = evaluate(
            award_type=award_type,
            year=year,
            people=[person] if person is not None else (),
            units=[unit] if unit is not None else (),
            today=today,
        )
        nominee: Any = person if person is not None else unit
        rule = rule_for(award_type, year, today)
        return Response(_check_result(award_type, year, nominee, verdicts[nominee.pk], rule))


routes: list[tuple[str, Any, str]] = [("eligibility", EligibilityViewSet, "eligibility")]
