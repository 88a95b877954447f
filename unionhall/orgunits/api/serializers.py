"""What the units endpoints accept and return.

Input serializers only parse: the rules live in `unionhall.orgunits.services`. They refuse keys
they do not declare, so `path`, `status`, `version` (outside PATCH) or `id` are never written.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.core.scoping import Scope
from unionhall.orgunits import paths
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import Unit
from unionhall.orgunits.selectors import VIEW
from unionhall.orgunits.services import CHANGE, LIFECYCLE, Decision, Plan, UnitDetails

from .fields import AreaCodeField, UnitCodeField, UnitCodeListField, UnitTypeField

NAME_MAX_LENGTH = 300
REASON_MAX_LENGTH = 2000
MAX_SPLIT_PARTS = 50


# ---------------------------------------------------------------- output


class NamesSerializer(StrictSerializer):
    """A unit's name in each language; Vietnamese is required, the others may be empty."""

    vi = serializers.CharField(max_length=NAME_MAX_LENGTH)
    en = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    ar = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    fa = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    map = serializers.CharField(source="scheme.code")


class UnitSerializer(serializers.Serializer):
    """A unit. Other units it names (parent, employer, merged_into) show only when the reader sees them.

    On an `as_of` list, `parent` and `depth` are as the tree stood that day; the rest is current.
    """

    code = serializers.CharField()
    name = serializers.CharField(help_text=_("In the request's language, falling back to Vietnamese."))
    names = serializers.SerializerMethodField()
    type = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    status = serializers.ChoiceField(choices=UnitStatus.choices)
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]  # DRF pops declared fields
    depth = serializers.SerializerMethodField()
    address = serializers.CharField()
    province = AreaSerializer(allow_null=True)
    commune = AreaSerializer(allow_null=True)
    employer = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()
    established_date = serializers.DateField()
    ended_date = serializers.DateField(allow_null=True)
    version = serializers.IntegerField(help_text=_("Send it back with PATCH; a change meanwhile gives 409."))
    updated_at = serializers.DateTimeField()

    def _code_if_visible(self, unit: Unit | None) -> str | None:
        scope: Scope = self.context.get("view_scope") or Scope()
        if unit is None or not scope.covers(path=unit.path, unit_id=unit.pk):
            return None
        return unit.code

    def _placement(self, unit: Unit) -> Any:
        placements = self.context.get("placements")
        return None if placements is None else placements.get(unit.pk)

    @extend_schema_field(NamesSerializer)
    def get_names(self, unit: Unit) -> dict[str, str]:
        return unit.names()

    def get_parent(self, unit: Unit) -> str | None:
        placement = self._placement(unit)
        return self._code_if_visible(placement.parent if placement else unit.parent)

    def get_depth(self, unit: Unit) -> int:
        placement = self._placement(unit)
        return paths.depth(placement.path) if placement else unit.depth

    def get_employer(self, unit: Unit) -> str | None:
        return self._code_if_visible(unit.employer)

    def get_merged_into(self, unit: Unit) -> str | None:
        return self._code_if_visible(unit.merged_into)


class NewUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    names = NamesSerializer()
    type = serializers.CharField()
    children = serializers.ListField(child=serializers.CharField(), help_text=_("Sub-units it takes over."))


class PlanSerializer(serializers.Serializer):
    """What a lifecycle operation will do, as its preview shows it."""

    kind = serializers.CharField()
    effective_date = serializers.DateField(source="decision.effective_date")
    reason = serializers.CharField(source="decision.reason")
    decision_ref = serializers.CharField(source="decision.decision_ref")
    units = serializers.SerializerMethodField(help_text=_("The units operated on."))
    target = serializers.SerializerMethodField(help_text=_("New parent, merge target, or parent of new units."))
    affected_units = serializers.IntegerField(
        source="subtree_size", help_text=_("How many units the operation touches, sub-units included.")
    )
    new_units = serializers.SerializerMethodField()
    moved_units = serializers.SerializerMethodField(help_text=_("Sub-units a merge moves to the target."))
    names = serializers.SerializerMethodField(help_text=_("The new names, for a rename."))
    notes = serializers.ListField(child=serializers.CharField())

    def get_units(self, plan: Plan) -> list[str]:
        return [unit.code for unit in plan.units]

    def get_target(self, plan: Plan) -> str | None:
        return plan.target.code if plan.target else None

    @extend_schema_field(NewUnitSerializer(many=True))
    def get_new_units(self, plan: Plan) -> list[dict[str, Any]]:
        extra = plan.extra
        if "parts" in extra:
            return [
                {
                    "code": part.code,
                    "names": dict(part.names),
                    "type": part.unit_type.code,
                    "children": [child.code for child in part.children],
                }
                for part in extra["parts"]
            ]
        if "code" in extra:
            return [{"code": extra["code"], "names": extra["names"], "type": extra["type"].code, "children": []}]
        return []

    def get_moved_units(self, plan: Plan) -> list[str]:
        return [unit.code for unit in plan.extra.get("children", [])]

    @extend_schema_field(NamesSerializer(allow_null=True))
    def get_names(self, plan: Plan) -> dict[str, str] | None:
        return plan.extra["names"] if plan.kind == "rename" else None


class LifecycleResultSerializer(serializers.Serializer):
    """The answer of every lifecycle endpoint."""

    dry_run = serializers.BooleanField()
    plan = PlanSerializer(allow_null=True, help_text=_("The preview; only on a dry run."))
    units = UnitSerializer(
        many=True, help_text=_("The units the operation produced or changed, as they are now; empty on a dry run.")
    )


# ---------------------------------------------------------------- filters


class UnitFilterSerializer(serializers.Serializer):
    subtree = UnitCodeField(action=VIEW, required=False, help_text=_("Only this unit and its sub-units."))
    type = UnitTypeField(required=False, help_text=_("Unit type code, e.g. grassroots_union."))
    status = serializers.ChoiceField(choices=UnitStatus.choices, required=False)
    as_of = serializers.DateField(required=False, help_text=_("The tree as it stood on this day (YYYY-MM-DD)."))
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Search codes and names, without diacritics.")
    )


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text=_("The tree as it stood on this day (YYYY-MM-DD)."))


# ---------------------------------------------------------------- input


class DecisionSerializer(StrictSerializer):
    """Why and from when; every lifecycle operation carries one, and may be only previewed."""

    effective_date = serializers.DateField()
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    decision_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Only preview: validate and return the plan, change nothing.")
    )

    @staticmethod
    def decision(data: dict[str, Any]) -> Decision:
        return Decision(data["effective_date"], data["reason"], data["decision_ref"])


def unit_details(data: dict[str, Any], current: Unit | None = None) -> UnitDetails:
    """The details given, the current ones for any left out."""

    def pick(name: str) -> Any:
        return data[name] if name in data else getattr(current, name, None)

    return UnitDetails(pick("address") or "", pick("province"), pick("commune"), pick("employer"))


class EstablishSerializer(DecisionSerializer):
    parent = UnitCodeField(  # type: ignore[assignment]  # DRF pops declared fields off the class
        action=LIFECYCLE, allow_null=True, help_text=_("null only for a top-level unit.")
    )
    type = UnitTypeField()
    code = serializers.CharField(max_length=40)
    names = NamesSerializer()
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    province = AreaCodeField(level="province", required=False, allow_null=True)
    commune = AreaCodeField(level="commune", required=False, allow_null=True)
    employer = UnitCodeField(action=LIFECYCLE, required=False, allow_null=True)


class DetailsSerializer(StrictSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("Required: the version read with the unit.")
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    province = AreaCodeField(level="province", required=False, allow_null=True)
    commune = AreaCodeField(level="commune", required=False, allow_null=True)
    employer = UnitCodeField(action=CHANGE, required=False, allow_null=True)


class RenameSerializer(DecisionSerializer):
    names = NamesSerializer()


class TransferSerializer(DecisionSerializer):
    units = UnitCodeListField(action=LIFECYCLE, help_text=_("Each unit moves with all its sub-units."))
    new_parent = UnitCodeField(action=LIFECYCLE)


class MergeSerializer(DecisionSerializer):
    sources = UnitCodeListField(action=LIFECYCLE)
    target = UnitCodeField(action=LIFECYCLE)


class DissolveSerializer(DecisionSerializer):
    units = UnitCodeListField(action=LIFECYCLE)
    with_subtree = serializers.BooleanField(required=False, default=False)


class SplitPartSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    names = NamesSerializer()
    type = UnitTypeField()
    children = UnitCodeListField(action=LIFECYCLE, required=False, min_length=0, default=list)


class SplitSerializer(DecisionSerializer):
    parts = SplitPartSerializer(many=True, max_length=MAX_SPLIT_PARTS)  # type: ignore[call-arg]
