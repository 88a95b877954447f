"""Reads on grants, scoped to where the actor may grant roles."""

from typing import Any

from django.db.models import QuerySet

from .models import RoleGrant


def grant_list(*, actor: Any) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.visible_to(actor, "role.grant")
        .current()
        .select_related("user", "role", "unit", "granted_by")
        .order_by("unit__path", "user__username")
    )
