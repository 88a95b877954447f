"""Units, unit types and areas named by code in API requests.

A unit is looked up among those on which the actor holds the action the endpoint needs, so a
code outside the actor's scope gets exactly the message of a code that does not exist.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.orgunits.forms import MAX_BULK_UNITS
from unionhall.orgunits.models import AdminArea, Unit, UnitType

CODE_MAX_LENGTH = 40


def _scoped_units(field: serializers.Field, action: str) -> Any:
    actor = field.context["request"].user
    return Unit.objects.visible_to(actor, action).select_related("type", "parent")


@extend_schema_field(OpenApiTypes.STR)
class CodeLookupField(serializers.Field):
    """A code, checked like any text field (length, NUL, surrogates), then looked up."""

    max_length = CODE_MAX_LENGTH

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.code_field = serializers.CharField(max_length=self.max_length)

    def to_internal_value(self, data: Any) -> Any:
        return self.lookup(self.code_field.run_validation(data))

    def lookup(self, code: str) -> Any:
        raise NotImplementedError

    def to_representation(self, value: Any) -> str:
        return getattr(value, "code", value)


class UnitCodeField(CodeLookupField):
    """One unit, by code, among those on which the actor holds `action`."""

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)

    def lookup(self, code: str) -> Unit:
        code = code.upper()
        unit = _scoped_units(self, self.action).filter(code=code).first()
        if unit is None:
            raise serializers.ValidationError(_("Unit %(code)s was not found.") % {"code": code})
        return unit


class UnitCodeListField(serializers.ListField):
    """Several units, by code, in the order given; a code listed twice counts once."""

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        kwargs.setdefault("child", serializers.CharField(max_length=CODE_MAX_LENGTH))
        kwargs.setdefault("min_length", 1)
        kwargs.setdefault("max_length", MAX_BULK_UNITS)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Unit]:
        codes = list(dict.fromkeys(code.upper() for code in super().to_internal_value(data)))
        if not codes:
            return []
        found = {unit.code: unit for unit in _scoped_units(self, self.action).filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise serializers.ValidationError(
                _("These units were not found: %(codes)s") % {"codes": ", ".join(missing[:10])}
            )
        return [found[code] for code in codes]

    def to_representation(self, data: Any) -> list[str]:
        return [unit.code if isinstance(unit, Unit) else str(unit) for unit in data]


class UnitTypeField(CodeLookupField):
    """A unit type by its code (grassroots_union, commune_union, ...)."""

    def lookup(self, code: str) -> UnitType:
        unit_type = UnitType.objects.filter(code=code).first()
        if unit_type is None:
            raise serializers.ValidationError(_("There is no unit type %(code)s.") % {"code": code})
        return unit_type


class AreaCodeField(CodeLookupField):
    """A province or a commune by its code in the administrative map in force."""

    max_length = 10

    def __init__(self, *, level: str, **kwargs: Any):
        self.level = level
        super().__init__(**kwargs)

    def lookup(self, code: str) -> AdminArea:
        current = AdminArea.objects.filter(scheme__valid_to__isnull=True, level=self.level)
        area = current.filter(code=code).first()
        if area is None:
            raise serializers.ValidationError(
                _("There is no area %(code)s of this level in the administrative map in force.") % {"code": code}
            )
        return area
