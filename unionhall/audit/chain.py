"""The hash chain: each entry's hash covers its content and the hash before it."""

import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings

GENESIS = "0" * 64
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "unit_id",
    "unit_path",
    "before",
    "after",
    "reason",
)


# json.dumps with these arguments would build this encoder for every entry.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical(values: dict, encoded: Mapping[str, str] | None = None) -> bytes:
    """`values` as canonical JSON. `encoded` gives some of them in canonical JSON already (`canonical_text`):
    they are spliced in as they are, which gives the same bytes as encoding the whole."""
    if not encoded:
        return _CANONICAL.encode(values).encode()
    parts: list[str] = []
    plain: dict = {}
    for key in sorted(values):
        if key in encoded:
            if plain:
                parts.append(_CANONICAL.encode(plain)[1:-1])
                plain = {}
            parts.append(f"{_CANONICAL.encode(key)}:{encoded[key]}")
        else:
            plain[key] = values[key]
    if plain:
        parts.append(_CANONICAL.encode(plain)[1:-1])
    return ("{" + ",".join(parts) + "}").encode()


def canonical_text(value: object) -> str:
    """One value as canonical JSON text."""
    return _CANONICAL.encode(value)


@functools.lru_cache(maxsize=4)
def _keyed(key: str) -> "hmac.HMAC":
    """An HMAC with the key already absorbed; copying it skips the key setup for each entry."""
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def entry_hash(prev_hash: str, values: dict, encoded: Mapping[str, str] | None = None) -> str:
    content = {name: values[name] for name in HASHED_FIELDS}
    if content["occurred_at"] is not None and not isinstance(content["occurred_at"], str):
        content["occurred_at"] = content["occurred_at"].isoformat(timespec="microseconds")
    mac = _keyed(settings.AUDIT_CHAIN_KEY).copy()
    mac.update(prev_hash.encode() + canonical(content, encoded))
    return mac.hexdigest()


@dataclass(frozen=True)
class Break:
    """The first entry where the chain does not hold, and why."""

    entry_id: int
    problem: str


def find_break(rows: Iterable[dict]) -> Break | None:
    """Walk entries in id order; return the first edited, deleted or reordered one."""
    expected_prev = GENESIS
    for row in rows:
        if row["prev_hash"] != expected_prev:
            return Break(row["id"], "link")
        if entry_hash(row["prev_hash"], row) != row["entry_hash"]:
            return Break(row["id"], "content")
        expected_prev = row["entry_hash"]
    return None


def iterate_rows(queryset, chunk: int = 5000) -> Iterator[dict]:
    last_id = 0
    fields = ("id", "prev_hash", "entry_hash", *HASHED_FIELDS)
    while True:
        batch = list(queryset.filter(id__gt=last_id).order_by("id").values(*fields)[:chunk])
        if not batch:
            return
        yield from batch
        last_id = batch[-1]["id"]
