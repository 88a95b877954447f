"""`record()`: the one way services write audit entries."""

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone, translation

from .chain import GENESIS, HASHED_FIELDS, canonical_text, entry_hash
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
    """Sensitive keys masked at any depth, every value as JSON gives it back (dates as text, ...)."""
    if values is None:
        return None
    try:
        return _native(values)
    except _NotNative:
        return json.loads(json.dumps(_masked(values), cls=DjangoJSONEncoder))


class _NotNative(Exception):
    """A value whose JSON form is not simply itself (a non-text key, NaN): take the slow, exact road."""


_ENCODER = DjangoJSONEncoder()
_PLAIN = frozenset({str, int, bool})


def _native(value: Any) -> Any:
    """`_masked` and a JSON round trip in one pass, for the common shapes of audit values."""
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _NotNative
            if k in SENSITIVE_KEYS and v not in (None, ""):
                out[k] = MASK
            elif v is None or type(v) in _PLAIN:
                # Most values of a snapshot: kept as they are, without a call.
                out[k] = v
            else:
                out[k] = _native(v)
        return out
    if isinstance(value, list | tuple):
        return [_native(v) for v in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotNative
        return value
    return _ENCODER.default(value)


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
    with transaction.atomic(savepoint=False), translation.override(settings.LANGUAGE_CODE):
        _lock_chain()
        entries = [
            AuditEntry(**values) for values in _chained(actor=actor, action=action, changes=changes, reason=reason)
        ]
        return AuditEntry.objects.bulk_create(entries, batch_size=2000)


STREAM_COLUMNS = (*HASHED_FIELDS, "prev_hash", "entry_hash")


class AuditStream:
    """`record_many` for imports of any size: entries made batch by batch, for set-wise writing.

    Opened inside the caller's transaction, it takes the chain's lock and reads the last entry once;
    each `rows(changes)` gives the next batch's rows in `STREAM_COLUMNS` order, chained after the
    batch before, for `bulk_insert` or a `BackgroundWriter` (which write them on the same
    connection). The caller writes every batch it asks for, in order, before its transaction ends.
    """

    def __init__(self, *, actor: Any, action: str, reason: str = "") -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("AuditStream is opened inside the transaction that writes its entries.")
        _lock_chain()
        self._prev = _last_hash()
        self._actor, self._action, self._reason = actor, action, reason

    def rows(self, changes: Iterable[Change]) -> list[tuple]:
        with translation.override(settings.LANGUAGE_CODE):
            entries = _chained(
                actor=self._actor, action=self._action, changes=changes, reason=self._reason, prev=self._prev, text=True
            )
            rows = [tuple(values[c] for c in STREAM_COLUMNS) for values in entries]
        if rows:
            self._prev = rows[-1][-1]
        return rows


def _last_hash() -> str:
    with connection.cursor() as cursor:
        # Hand-written: every write of the product passes here, and the ORM would take longer than the read.
        cursor.execute(f"SELECT entry_hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        found = cursor.fetchone()
    return (found[0] if found else None) or GENESIS


def _chained(
    *, actor: Any, action: str, changes: Iterable[Change], reason: str, prev: str | None = None, text: bool = False
) -> Iterator[dict[str, Any]]:
    """The column values of each change's entry, hash-chained after `prev` or the last entry (the chain lock is held).

    With `text`, `before` and `after` come as their JSON text, encoded once for both the hash and the row.
    """
    if prev is None:
        prev = _last_hash()
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = (getattr(actor, "username", "") or ("system" if actor is None else str(actor)))[:200]
    ip = current_ip()
    for change in changes:
        unit_id, unit_path = (change.unit_id, change.unit_path) if change.unit_path else _unit_of(change.obj)
        obj = change.obj
        values = {
            "occurred_at": now,
            "actor_id": actor_id,
            "actor_label": actor_label,
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
        if text:
            encoded = {key: canonical_text(values[key]) for key in ("before", "after") if values[key] is not None}
            digest = entry_hash(prev, values, encoded)
            values.update(encoded)
        else:
            digest = entry_hash(prev, values)
        yield {**values, "prev_hash": prev, "entry_hash": digest}
        prev = digest


def _lock_chain() -> None:
    """Serialise appends so the chain has one order; SQLite's IMMEDIATE transactions already do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
