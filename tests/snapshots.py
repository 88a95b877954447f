"""State snapshots for "nothing changed" assertions."""

from unionhall.access.models import RoleGrant
from unionhall.audit.models import AuditEntry
from unionhall.orgunits.models import Unit, UnitEvent, UnitPlacement


def tree_state() -> tuple:
    return (
        tuple(Unit.objects.order_by("pk").values_list("code", "path", "parent_id", "status", "version", "name_vi")),
        tuple(UnitPlacement.objects.order_by("pk").values_list("unit_id", "path", "valid_from", "valid_to")),
        UnitEvent.objects.count(),
        tuple(RoleGrant.objects.order_by("pk").values_list("user_id", "role_id", "unit_id", "scope", "revoked_at")),
        AuditEntry.objects.count(),
    )
