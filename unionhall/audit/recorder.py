"""`record()`: the one way services write audit entries."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone, translation

from .chain import GENESIS, entry_hash
from .context import current_ip
from .models import AuditEntry

SENSITIVE_KEYS = frozenset({"password", "national_id", "token", "key", "secret", "passport_number"})
MASK = "***"
# Any 64-bit key works; it only has to be the same for every writer of the chain.
_PG_LOCK_KEY = 7_305_116_104_097_108


@dataclass(frozen=True)
class Change:
    """One audited change, for `record_many`."""

    obj: Model | None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    unit_id: int | None = None
    unit_path: str = ""


def mask(values: Mapping[str, Any] | None) -> dict | None:
    if values is None:
        return None
    return json.loads(json.dumps(_masked(values), cls=DjangoJSONEncoder))


def _masked(value: Any) -> Any:
    """Mask sensitive keys at any depth: the log is append-only, so a leak could never be erased."""
    if isinstance(value, Mapping):
        return {k: (MASK if k in SENSITIVE_KEYS and v not in (None, "") else _masked(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def _unit_of(obj: Model | None) -> tuple[int | None, str]:
    """The unit an audited object belongs to, so officers in scope can read its history."""
    if obj is None:
        return None, ""
    if hasattr(obj, "audit_unit"):
        unit = obj.audit_unit()
        return (unit.pk, unit.path) if unit is not None else (None, "")
    return None, ""


def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    return record_many(
        actor=actor, action=action, changes=[Change(obj=obj, before=before, after=after)], reason=reason
    )[0]


def record_many(*, actor: Any, action: str, changes: Iterable[Change], reason: str = "") -> list[AuditEntry]:
    """Append one entry per change, chained, in the caller's transaction.

    Labels are written in the installation's language, whoever writes, so the log reads the same for all.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev = last or GENESIS
        now = timezone.now()
        actor_id = getattr(actor, "pk", None)
        actor_label = getattr(actor, "username", "") or ("system" if actor is None else str(actor))
        ip = current_ip()
        entries = []
        for change in changes:
            unit_id, unit_path = (change.unit_id, change.unit_path) if change.unit_path else _unit_of(change.obj)
            obj = change.obj
            values = {
                "occurred_at": now,
                "actor_id": actor_id,
                "actor_label": actor_label[:200],
                "ip": ip,
                "action": action,
                "object_type": change.object_type or (obj._meta.label_lower if obj is not None else ""),
                "object_id": change.object_id or (str(obj.pk) if obj is not None else ""),
                "object_label": (change.object_label or (str(obj) if obj is not None else ""))[:300],
                "unit_id": unit_id,
                "unit_path": unit_path,
                "before": mask(change.before),
                "after": mask(change.after),
                "reason": reason,
            }
            digest = entry_hash(prev, values)
            entries.append(AuditEntry(prev_hash=prev, entry_hash=digest, **values))
            prev = digest
        return AuditEntry.objects.bulk_create(entries, batch_size=2000)


def _lock_chain() -> None:
    """Serialise appends so the chain has one order; SQLite's IMMEDIATE transactions already do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
