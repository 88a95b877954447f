"""What the grants endpoints accept and return; the rules are in `unionhall.access.services`."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from unionhall.access.choices import GrantScope
from unionhall.access.models import Role, RoleGrant
from unionhall.access.services import GRANT
from unionhall.core.api import StrictSerializer
from unionhall.orgunits.api.fields import UnitCodeField


class GrantSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    role = serializers.CharField(source="role.code")
    role_name = serializers.CharField(source="role.name")
    unit = serializers.CharField(source="unit.code")
    granted_by = serializers.CharField(source="granted_by.username", allow_null=True, default=None)

    class Meta:
        model = RoleGrant
        fields = ["id", "user", "role", "role_name", "unit", "scope", "granted_by", "granted_at"]
        read_only_fields = fields


class GrantFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=GRANT, required=False, help_text=_("Grants on this unit and its sub-units."))
    user = serializers.CharField(required=False, max_length=150, help_text=_("The holder's user name."))


class GrantCreateSerializer(StrictSerializer):
    user = serializers.CharField(max_length=150, help_text=_("The user name of the person who gets the role."))
    role = serializers.CharField(max_length=40, help_text=_("Role code, e.g. officer or viewer."))
    unit = UnitCodeField(action=GRANT)
    scope = serializers.ChoiceField(choices=GrantScope.choices, default=GrantScope.SUBTREE)

    def validate_role(self, value: str) -> Role:
        role = Role.objects.filter(code=value).first()
        if role is None:
            raise serializers.ValidationError(_("There is no role %(code)s.") % {"code": value})
        return role

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Only someone who may grant on the unit (a valid `unit`) learns whether a user name exists.
        user = get_user_model().objects.filter(username=attrs["user"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"user": [_("No active user has this user name.")]})
        return {**attrs, "user": user}
