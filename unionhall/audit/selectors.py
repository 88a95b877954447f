"""Reads on the audit log, scoped to the units whose history the actor may read."""

from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry

VIEW = "audit.view"


def entry_list(*, actor: Any, before_id: int | None = None) -> QuerySet[AuditEntry]:
    """Newest first, keyset-paginated by id."""
    qs = AuditEntry.objects.visible_to(actor, VIEW).order_by("-id")
    return qs.filter(id__lt=before_id) if before_id else qs


def object_history(*, actor: Any, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return entry_list(actor=actor).filter(object_type=object_type, object_id=object_id)
