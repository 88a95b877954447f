"""Writes on the unit tree.

Every lifecycle operation is first planned (validated, with the summary a preview shows) and then
applied in one transaction that moves paths and placements set-wise and writes audit entries. The
same plan functions serve the preview in the UI and the API, so what a preview promises is what
the operation does.
"""

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.scoping import Scope, scope_for, subtree_q
from unionhall.core.text import clean_text, fold

from . import lifecycle, paths
from .choices import EventKind, UnitStatus
from .models import LANGUAGES, AdminArea, Unit, UnitEvent, UnitPlacement, UnitType

LIFECYCLE = "unit.lifecycle"
CHANGE = "unit.change"
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
DETAIL_FIELDS = ("address", "province_id", "commune_id", "employer_id")
# Bulk operations query in chunks, inside SQLite's limits (500 terms in a UNION, 32,766 parameters).
ROOTS_PER_QUERY = 200
IDS_PER_QUERY = 900


@dataclass(frozen=True)
class Decision:
    """Why and from when: every lifecycle operation carries one."""

    effective_date: dt.date
    reason: str
    decision_ref: str = ""


@dataclass
class Plan:
    """What an operation will do; the preview shows it, `apply` carries it out."""

    kind: str
    decision: Decision
    units: list[Unit]
    target: Unit | None = None
    subtree_size: int = 0
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- validation helpers


def clean_code(code: str) -> str:
    code = clean_text(code or "", field="code").upper()
    if not CODE_RE.match(code):
        raise DomainError(_("A unit code has 1 to 40 letters A-Z, digits, dots, dashes or underscores."), field="code")
    return code


def clean_names(names: Mapping[str, str]) -> dict[str, str]:
    cleaned = {lang: clean_text(names.get(lang) or "", field=f"name_{lang}") for lang in LANGUAGES}
    if not cleaned["vi"]:
        raise DomainError(_("The Vietnamese name is required."), field="name_vi")
    for lang, value in cleaned.items():
        if len(value) > 300:
            raise DomainError(_("A name has at most 300 characters."), field=f"name_{lang}")
    return cleaned


def clean_decision(decision: Decision, *, today: dt.date) -> Decision:
    reason = clean_text(decision.reason or "", field="reason")
    if not reason:
        raise DomainError(_("Give the reason for this change."), field="reason")
    if decision.effective_date > today:
        raise DomainError(_("The effective date cannot be in the future."), field="effective_date")
    ref = clean_text(decision.decision_ref or "", field="decision_ref")
    if len(ref) > 100:
        raise DomainError(_("The decision number has at most 100 characters."), field="decision_ref")
    return Decision(decision.effective_date, reason, ref)


def _not_found(code: str) -> NotFound:
    return NotFound(_("Unit %(code)s was not found.") % {"code": code}, field="unit")


def _require_subtree(scope: Scope, unit: Unit) -> None:
    """The actor must hold the action over the unit's whole subtree."""
    if not scope.covers_subtree(unit.path):
        raise _not_found(unit.code)


def _require_unit(scope: Scope, unit: Unit) -> None:
    if not scope.covers(path=unit.path, unit_id=unit.pk):
        raise _not_found(unit.code)


def _require_active(unit: Unit) -> None:
    if not unit.is_active:
        raise DomainError(
            _("Unit %(code)s is no longer active (%(status)s).")
            % {"code": unit.code, "status": unit.get_status_display()},
            code="inactive_unit",
        )


def _require_may_hold(
    parent: Unit, child_type: UnitType, child_code: str = "", allowed: set[int] | None = None
) -> None:
    if allowed is None:
        allowed = _allowed_child_types(parent)
    if child_type.pk not in allowed:
        raise DomainError(
            _("A %(parent_type)s cannot hold a %(child_type)s (%(code)s).")
            % {"parent_type": parent.type.name, "child_type": child_type.name, "code": child_code or "-"},
            code="type_not_allowed",
        )


def _allowed_child_types(parent: Unit) -> set[int]:
    return set(parent.type.allowed_children.values_list("pk", flat=True))


def _require_not_nested(units: Sequence[Unit], message: Any) -> None:
    """No listed unit may lie inside another listed one (sorted paths: a subtree is contiguous)."""
    outer: Unit | None = None
    for unit in sorted(units, key=lambda u: u.path):
        if outer is not None and paths.is_inside(unit.path, outer.path):
            raise DomainError(message % {"code": unit.code, "other": outer.code}, field="units")
        outer = unit


def _subtree_rows(root_paths: Sequence[str]) -> list[tuple[int, int | None, str, str]]:
    """(id, parent id, path, status) of every unit in these subtrees: one query per few hundred roots.

    A UNION ALL of one index range per root: an OR of the ranges makes SQLite scan the whole index.
    """
    rows: list[tuple[int, int | None, str, str]] = []
    for chunk in batched(sorted(root_paths), ROOTS_PER_QUERY):
        ranges = [
            Unit.objects.filter(subtree_q("path", path)).order_by().values_list("pk", "parent_id", "path", "status")
            for path in chunk
        ]
        rows += ranges[0].union(*ranges[1:], all=True) if len(ranges) > 1 else ranges[0]
    return rows


def _require_not_before_last_change(unit_ids: Sequence[int], day: dt.date) -> None:
    """History is appended, never rewritten: the date may not precede a later placement."""
    latest = None
    for chunk in batched(unit_ids, IDS_PER_QUERY):
        found = UnitPlacement.objects.filter(unit_id__in=chunk, valid_to__isnull=True).aggregate(m=Max("valid_from"))
        if found["m"] and (latest is None or found["m"] > latest):
            latest = found["m"]
    if latest and day < latest:
        raise _before_last_change(latest)


def _require_parent_placed_by(parent: Unit, day: dt.date) -> None:
    """A unit placed under `parent` from `day` needs the parent to stand where it stands now on that day."""
    open_ = UnitPlacement.objects.filter(unit=parent, valid_to__isnull=True)
    latest = open_.values_list("valid_from", flat=True).first()
    if latest and day < latest:
        raise _before_last_change(latest)


def _before_last_change(latest: dt.date) -> DomainError:
    return DomainError(
        _("The effective date is before the last recorded change (%(date)s) of a unit concerned.")
        % {"date": latest.strftime("%d/%m/%Y")},
        field="effective_date",
    )


def _lock(units: Sequence[Unit]) -> list[Unit]:
    """Re-read the units inside the transaction; on PostgreSQL, lock them."""
    ids = [u.pk for u in units]
    fresh = {
        u.pk: u
        for u in Unit.objects.select_for_update(of=("self",)).select_related("type", "parent").filter(pk__in=ids)
    }
    return [fresh[i] for i in ids]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- placements


def _open_placement(unit: Unit, day: dt.date) -> UnitPlacement:
    return UnitPlacement.objects.create(unit=unit, parent=unit.parent, path=unit.path, valid_from=day)


def _close_placements(unit_ids: Sequence[int], day: dt.date) -> None:
    """End the open placements of these units on `day`; a same-day placement never held."""
    for chunk in batched(unit_ids, IDS_PER_QUERY):
        open_ = UnitPlacement.objects.filter(valid_to__isnull=True, unit_id__in=chunk)
        open_.filter(valid_from__gte=day).delete()
        open_.update(valid_to=day)


def _move_subtrees(roots: Sequence[Unit], new_parent: Unit, day: dt.date, rows: Sequence[tuple]) -> dict[int, int]:
    """Re-root these units and their subtrees under `new_parent` from `day`; return units moved per root.

    `rows` are the subtrees' (id, parent id, path, status), read by the plan. Placements are closed
    and opened set-wise; each root's paths are rewritten by one UPDATE.
    """
    _close_placements([row[0] for row in rows], day)
    new_prefix = {root.path: paths.child_path(new_parent.path, root.pk) for root in roots}
    moved: dict[int, int] = {}
    for root in roots:
        moved[root.pk] = Unit.objects.filter(subtree_q("path", root.path)).update(
            path=Concat(Value(new_prefix[root.path]), Substr("path", len(root.path) + 1)),
            depth=F("depth") + (new_parent.depth + 1 - root.depth),
        )
    root_ids = [root.pk for root in roots]
    for chunk in batched(root_ids, IDS_PER_QUERY):
        Unit.objects.filter(pk__in=chunk).update(parent=new_parent, version=F("version") + 1)
    placements = []
    for pk, parent_id, path, status in rows:
        # Ended units move along (their history stays in scope) but stay out of the tree.
        if status != UnitStatus.ACTIVE:
            continue
        root_path = next(path[:n] for n in range(paths.SEGMENT, len(path) + 1, paths.SEGMENT) if path[:n] in new_prefix)
        placements.append(
            UnitPlacement(
                unit_id=pk,
                parent_id=new_parent.pk if path == root_path else parent_id,
                path=new_prefix[root_path] + path[len(root_path) :],
                valid_from=day,
            )
        )
    UnitPlacement.objects.bulk_create(placements, batch_size=2000)
    for root in roots:
        root.parent, root.path, root.depth = new_parent, new_prefix[root.path], new_parent.depth + 1
    return moved


def _end_units(units: Sequence[Unit], status: str, day: dt.date, merged_into: Unit | None = None) -> None:
    ids = [u.pk for u in units]
    _close_placements(ids, day)
    for chunk in batched(ids, IDS_PER_QUERY):
        Unit.objects.filter(pk__in=chunk).update(
            status=status, ended_date=day, merged_into=merged_into, version=F("version") + 1
        )


def _events(
    operation: uuid.UUID, kind: str, decision: Decision, actor: Any, items: Sequence[tuple[Unit, Unit | None, dict]]
):
    UnitEvent.objects.bulk_create(
        [
            UnitEvent(
                operation=operation,
                unit=unit,
                kind=kind,
                effective_date=decision.effective_date,
                reason=decision.reason,
                decision_ref=decision.decision_ref,
                related_unit=related,
                details=details,
                actor_id=getattr(actor, "pk", None),
            )
            for unit, related, details in items
        ],
        batch_size=2000,
    )


def _audit_reason(decision: Decision) -> str:
    ref = f" [{decision.decision_ref}]" if decision.decision_ref else ""
    return f"{decision.effective_date.isoformat()}: {decision.reason}{ref}"


# ---------------------------------------------------------------- establish


@dataclass(frozen=True)
class UnitDetails:
    address: str = ""
    province: AdminArea | None = None
    commune: AdminArea | None = None
    employer: Unit | None = None


def _clean_details(details: UnitDetails, scope: Scope | None = None) -> UnitDetails:
    address = clean_text(details.address or "", field="address")
    if len(address) > 300:
        raise DomainError(_("The address has at most 300 characters."), field="address")
    if details.commune is not None:
        if details.commune.level != "commune":
            raise DomainError(_("Choose a commune, ward or special zone."), field="commune")
        if details.province is None or details.commune.parent_id != details.province.pk:
            raise DomainError(_("The commune does not belong to the chosen province."), field="commune")
    if details.province is not None and details.province.level != "province":
        raise DomainError(_("Choose a province or city."), field="province")
    if details.employer is not None:
        if not details.employer.type.is_employer:
            raise DomainError(_("The employer must be a unit of an employer type."), field="employer")
        if scope is not None and not scope.covers(path=details.employer.path, unit_id=details.employer.pk):
            raise DomainError(_("Unit %(code)s was not found.") % {"code": details.employer.code}, field="employer")
    return UnitDetails(address, details.province, details.commune, details.employer)


def plan_establish(
    *,
    actor: Any,
    parent: Unit | None,
    unit_type: UnitType,
    code: str,
    names: Mapping[str, str],
    decision: Decision,
    details: UnitDetails = UnitDetails(),
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    scope = scope_for(actor, LIFECYCLE)
    code = clean_code(code)
    cleaned = clean_names(names)
    if parent is None:
        if not scope.everything:
            raise Forbidden(_("Only a national administrator may create a top-level unit."))
    else:
        _require_unit(scope, parent)
        _require_active(parent)
        _require_may_hold(parent, unit_type, code)
        if decision.effective_date < parent.established_date:
            raise DomainError(
                _("The effective date is before the parent unit was established."), field="effective_date"
            )
        _require_parent_placed_by(parent, decision.effective_date)
    if Unit.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already used by another unit.") % {"code": code}, field="code")
    clean = _clean_details(details, scope)
    return Plan(
        kind=EventKind.ESTABLISH,
        decision=decision,
        units=[],
        target=parent,
        subtree_size=1,
        extra={"code": code, "names": cleaned, "type": unit_type, "details": clean},
    )


@transaction.atomic
def unit_establish(
    *,
    actor: Any,
    parent: Unit | None,
    unit_type: UnitType,
    code: str,
    names: Mapping[str, str],
    decision: Decision,
    details: UnitDetails = UnitDetails(),
    today: dt.date | None = None,
) -> Unit:
    if parent is not None:
        parent = _lock([parent])[0]
    plan = plan_establish(
        actor=actor,
        parent=parent,
        unit_type=unit_type,
        code=code,
        names=names,
        decision=decision,
        details=details,
        today=today,
    )
    return _apply_establish(actor=actor, plan=plan, operation=uuid.uuid4())


def _apply_establish(*, actor: Any, plan: Plan, operation: uuid.UUID) -> Unit:
    names, details, parent = plan.extra["names"], plan.extra["details"], plan.target
    code = plan.extra["code"]
    try:
        # A savepoint, so a concurrent insert of the same code ends as a Conflict, not a broken transaction.
        with transaction.atomic():
            unit = _insert_unit(code, names, details, parent, plan)
    except IntegrityError:
        raise Conflict(_("The code %(code)s is already used by another unit.") % {"code": code}, field="code") from None
    unit.path = paths.child_path(parent.path if parent else "", unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    _open_placement(unit, plan.decision.effective_date)
    _events(operation, EventKind.ESTABLISH, plan.decision, actor, [(unit, parent, {})])
    record_many(
        actor=actor,
        action="unit.establish",
        reason=_audit_reason(plan.decision),
        changes=[Change(obj=unit, after=_snapshot(unit))],
    )
    return unit


def _insert_unit(code: str, names: Mapping[str, str], details: "UnitDetails", parent: Unit | None, plan: Plan) -> Unit:
    return Unit.objects.create(
        code=code,
        **{f"name_{lang}": value for lang, value in names.items()},
        search_name=fold(" ".join([code, *[v for v in names.values() if v]])),
        type=plan.extra["type"],
        parent=parent,
        path="",
        depth=0 if parent is None else parent.depth + 1,
        address=details.address,
        province=details.province,
        commune=details.commune,
        employer=details.employer,
        established_date=plan.decision.effective_date,
    )


def _snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        **{f"name_{lang}": getattr(unit, f"name_{lang}") for lang in LANGUAGES},
        "type": unit.type.code,
        "status": unit.status,
        "parent": unit.parent.code if unit.parent_id and unit.parent else None,
        "address": unit.address,
        "province_id": unit.province_id,
        "commune_id": unit.commune_id,
        "employer_id": unit.employer_id,
        "established_date": unit.established_date,
        "ended_date": unit.ended_date,
    }


# ---------------------------------------------------------------- rename and details


def plan_rename(
    *,
    actor: Any,
    unit: Unit,
    names: Mapping[str, str],
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    _require_unit(scope_for(actor, CHANGE), unit)
    _require_active(unit)
    cleaned = clean_names(names)
    before = {f"name_{lang}": getattr(unit, f"name_{lang}") for lang in LANGUAGES}
    after = {f"name_{lang}": value for lang, value in cleaned.items()}
    if before == after:
        raise DomainError(_("The new names are the same as the current ones."), code="unchanged")
    return Plan(
        kind=EventKind.RENAME,
        decision=decision,
        units=[unit],
        subtree_size=1,
        extra={"names": cleaned, "before": before, "after": after},
    )


@transaction.atomic
def unit_rename(
    *,
    actor: Any,
    unit: Unit,
    names: Mapping[str, str],
    decision: Decision,
    today: dt.date | None = None,
) -> Unit:
    unit = _lock([unit])[0]
    plan = plan_rename(actor=actor, unit=unit, names=names, decision=decision, today=today)
    decision, cleaned, before, after = plan.decision, plan.extra["names"], plan.extra["before"], plan.extra["after"]
    Unit.objects.filter(pk=unit.pk).update(
        **after, search_name=fold(" ".join([unit.code, *[v for v in cleaned.values() if v]])), version=F("version") + 1
    )
    unit.refresh_from_db()
    _events(uuid.uuid4(), EventKind.RENAME, decision, actor, [(unit, None, {"before": before, "after": after})])
    record_many(
        actor=actor,
        action="unit.rename",
        reason=_audit_reason(decision),
        changes=[Change(obj=unit, before=before, after=after)],
    )
    return unit


@transaction.atomic
def unit_update_details(*, actor: Any, unit: Unit, version: int, details: UnitDetails) -> Unit:
    """Change the address, area and employer; `version` guards against a lost update."""
    unit = _lock([unit])[0]
    scope = scope_for(actor, CHANGE)
    _require_unit(scope, unit)
    if unit.version != version:
        raise Conflict(_("Someone else changed this unit meanwhile. Reload the page and try again."), code="stale")
    clean = _clean_details(details, scope)
    before = {f: getattr(unit, f) for f in DETAIL_FIELDS}
    after = {
        "address": clean.address,
        "province_id": clean.province.pk if clean.province else None,
        "commune_id": clean.commune.pk if clean.commune else None,
        "employer_id": clean.employer.pk if clean.employer else None,
    }
    if before == after:
        return unit
    Unit.objects.filter(pk=unit.pk).update(**after, version=F("version") + 1)
    unit.refresh_from_db()
    record_many(actor=actor, action="unit.update", changes=[Change(obj=unit, before=before, after=after)])
    return unit


# ---------------------------------------------------------------- transfer


def plan_transfer(
    *,
    actor: Any,
    units: Sequence[Unit],
    new_parent: Unit,
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    if not units:
        raise DomainError(_("Choose at least one unit."), field="units")
    scope = scope_for(actor, LIFECYCLE)
    _require_unit(scope, new_parent)
    _require_active(new_parent)
    seen: set[int] = set()
    allowed = _allowed_child_types(new_parent)
    for unit in units:
        if unit.pk in seen:
            raise DomainError(_("Unit %(code)s is listed twice.") % {"code": unit.code}, field="units")
        seen.add(unit.pk)
        _require_subtree(scope, unit)
        _require_active(unit)
        if unit.parent_id is None:
            raise DomainError(_("The top-level unit cannot be transferred."), field="units")
        if paths.is_inside(new_parent.path, unit.path):
            raise DomainError(
                _("Unit %(code)s cannot be moved under itself or one of its own sub-units.") % {"code": unit.code},
                code="cycle",
            )
        if unit.parent_id == new_parent.pk:
            raise DomainError(
                _("Unit %(code)s is already directly under %(parent)s.")
                % {"code": unit.code, "parent": new_parent.code},
                field="units",
            )
        _require_may_hold(new_parent, unit.type, unit.code, allowed)
    _require_not_nested(units, _("Unit %(code)s is inside %(other)s, which is moved too; list only %(other)s."))
    rows = _subtree_rows([u.path for u in units])
    _require_not_before_last_change([row[0] for row in rows], decision.effective_date)
    if decision.effective_date < new_parent.established_date:
        raise DomainError(
            _("The effective date is before the new parent unit was established."), field="effective_date"
        )
    _require_parent_placed_by(new_parent, decision.effective_date)
    return Plan(
        kind=EventKind.TRANSFER,
        decision=decision,
        units=list(units),
        target=new_parent,
        subtree_size=len(rows),
        extra={"rows": rows},
    )


@transaction.atomic
def unit_transfer(
    *,
    actor: Any,
    units: Sequence[Unit],
    new_parent: Unit,
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    locked = _lock([*units, new_parent])
    units, new_parent = locked[:-1], locked[-1]
    plan = plan_transfer(actor=actor, units=units, new_parent=new_parent, decision=decision, today=today)
    _apply_transfer(actor=actor, plan=plan, operation=uuid.uuid4(), action="unit.transfer")
    return plan


def _apply_transfer(*, actor: Any, plan: Plan, operation: uuid.UUID, action: str) -> None:
    new_parent = plan.target
    assert new_parent is not None
    rows = plan.extra.get("rows")
    if rows is None:
        rows = _subtree_rows([u.path for u in plan.units])
    before = {u.pk: (u.parent.code if u.parent else None, u.path) for u in plan.units}
    moved = _move_subtrees(plan.units, new_parent, plan.decision.effective_date, rows)
    changes, items = [], []
    for unit in plan.units:
        old_parent_code, old_path = before[unit.pk]
        after = {"parent": new_parent.code, "path": unit.path, "units_moved": moved[unit.pk]}
        changes.append(Change(obj=unit, before={"parent": old_parent_code, "path": old_path}, after=after))
        details = {"from": old_parent_code, "to": new_parent.code, "units_moved": moved[unit.pk]}
        items.append((unit, new_parent, details))
    _events(operation, EventKind.TRANSFER, plan.decision, actor, items)
    record_many(actor=actor, action=action, changes=changes, reason=_audit_reason(plan.decision))


# ---------------------------------------------------------------- merge


def plan_merge(
    *,
    actor: Any,
    sources: Sequence[Unit],
    target: Unit,
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    if not sources:
        raise DomainError(_("Choose at least one unit to merge."), field="units")
    scope = scope_for(actor, LIFECYCLE)
    _require_unit(scope, target)
    _require_active(target)
    children: list[Unit] = []
    for source in sources:
        _require_subtree(scope, source)
        _require_active(source)
        if source.pk == target.pk:
            raise DomainError(_("A unit cannot be merged into itself."), field="units")
        if paths.is_inside(target.path, source.path):
            raise DomainError(
                _("Unit %(code)s cannot be merged into one of its own sub-units.") % {"code": source.code}, code="cycle"
            )
    _require_not_nested(sources, _("Unit %(code)s is inside %(other)s, which is merged too."))
    allowed = _allowed_child_types(target)
    for child in Unit.objects.active().filter(parent__in=sources).select_related("type").order_by("path"):
        _require_may_hold(target, child.type, child.code, allowed)
        children.append(child)
    rows = _subtree_rows([s.path for s in sources])
    _require_not_before_last_change([row[0] for row in rows] + [target.pk], decision.effective_date)
    return Plan(
        kind=EventKind.MERGE,
        decision=decision,
        units=list(sources),
        target=target,
        subtree_size=len(rows),
        extra={"children": children},
    )


@transaction.atomic
def unit_merge(
    *,
    actor: Any,
    sources: Sequence[Unit],
    target: Unit,
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    locked = _lock([*sources, target])
    sources, target = locked[:-1], locked[-1]
    plan = plan_merge(actor=actor, sources=sources, target=target, decision=decision, today=today)
    operation = uuid.uuid4()
    children = plan.extra["children"]
    if children:
        _apply_transfer(
            actor=actor,
            plan=Plan(EventKind.TRANSFER, plan.decision, children, target),
            operation=operation,
            action="unit.transfer",
        )
    _end_units(plan.units, UnitStatus.MERGED, plan.decision.effective_date, merged_into=target)
    for p in lifecycle.participants():
        p.units_merged(
            actor=actor,
            source_ids=[s.pk for s in plan.units],
            target_id=target.pk,
            day=plan.decision.effective_date,
            reason=plan.decision.reason,
        )
    _events(operation, EventKind.MERGE, plan.decision, actor, [(s, target, {"into": target.code}) for s in plan.units])
    record_many(
        actor=actor,
        action="unit.merge",
        reason=_audit_reason(plan.decision),
        changes=[
            Change(
                obj=s,
                before={"status": UnitStatus.ACTIVE},
                after={"status": UnitStatus.MERGED, "merged_into": target.code},
            )
            for s in plan.units
        ],
    )
    return plan


# ---------------------------------------------------------------- dissolve


def plan_dissolve(
    *,
    actor: Any,
    units: Sequence[Unit],
    decision: Decision,
    with_subtree: bool = False,
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    if not units:
        raise DomainError(_("Choose at least one unit."), field="units")
    scope = scope_for(actor, LIFECYCLE)
    listed = {u.pk for u in units}
    if len(listed) != len(units):
        raise DomainError(_("A unit is listed twice."), field="units")
    for unit in units:
        _require_subtree(scope, unit)
        _require_active(unit)
        if unit.parent_id is None:
            raise DomainError(_("The top-level unit cannot be dissolved."), field="units")
    active_ids = {pk for pk, _parent, _path, status in _subtree_rows([u.path for u in units]) if status == "active"}
    affected = [
        unit
        for chunk in batched(sorted(active_ids), IDS_PER_QUERY)
        for unit in Unit.objects.filter(pk__in=chunk).only("pk", "code", "parent_id", "path").order_by("path")
    ]
    if not with_subtree:
        blocking = [u for u in affected if u.pk not in listed]
        if blocking:
            raise DomainError(
                _("Unit %(code)s still has active sub-units (e.g. %(child)s): transfer or dissolve them too.")
                % {
                    "code": next(x.code for x in units if paths.is_inside(blocking[0].path, x.path)),
                    "child": blocking[0].code,
                },
                code="has_children",
            )
    _require_not_before_last_change(sorted(active_ids), decision.effective_date)
    return Plan(
        kind=EventKind.DISSOLVE,
        decision=decision,
        units=list(units),
        subtree_size=len(affected),
        extra={"affected": affected},
    )


@transaction.atomic
def unit_dissolve(
    *,
    actor: Any,
    units: Sequence[Unit],
    decision: Decision,
    with_subtree: bool = False,
    today: dt.date | None = None,
) -> Plan:
    units = _lock(units)
    plan = plan_dissolve(actor=actor, units=units, decision=decision, with_subtree=with_subtree, today=today)
    affected: list[Unit] = plan.extra["affected"]
    day = plan.decision.effective_date
    _end_units(affected, UnitStatus.DISSOLVED, day)
    ids = [u.pk for u in affected]
    for p in lifecycle.participants():
        p.units_dissolved(actor=actor, unit_ids=ids, day=day, reason=plan.decision.reason)
    _events(uuid.uuid4(), EventKind.DISSOLVE, plan.decision, actor, [(u, None, {}) for u in affected])
    record_many(
        actor=actor,
        action="unit.dissolve",
        reason=_audit_reason(plan.decision),
        changes=[
            Change(
                obj=None,
                object_type="orgunits.unit",
                object_id=str(u.pk),
                object_label=u.code,
                unit_id=u.pk,
                unit_path=u.path,
                before={"status": UnitStatus.ACTIVE},
                after={"status": UnitStatus.DISSOLVED},
            )
            for u in affected
        ],
    )
    return plan


# ---------------------------------------------------------------- split


@dataclass(frozen=True)
class SplitPart:
    """One new unit that a split creates, and the sub-units it takes over."""

    code: str
    names: Mapping[str, str]
    unit_type: UnitType
    children: Sequence[Unit] = ()


def plan_split(
    *,
    actor: Any,
    unit: Unit,
    parts: Sequence[SplitPart],
    decision: Decision,
    today: dt.date | None = None,
) -> Plan:
    decision = clean_decision(decision, today=_today(today))
    scope = scope_for(actor, LIFECYCLE)
    _require_subtree(scope, unit)
    _require_active(unit)
    if unit.parent is None:
        raise DomainError(_("The top-level unit cannot be split."), field="unit")
    parent = unit.parent
    if not scope.covers(path=parent.path, unit_id=parent.pk):
        # The new units stand under the parent; say so without naming a unit the actor cannot see.
        raise Forbidden(_("Splitting a unit creates units under its parent unit, where you hold no such role."))
    if len(parts) < 2:
        raise DomainError(_("A split creates at least two units."), field="parts")
    codes = set()
    assigned: dict[int, int] = {}
    cleaned_parts = []
    for index, part in enumerate(parts):
        code = clean_code(part.code)
        if code in codes or Unit.objects.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used by another unit.") % {"code": code}, field="code")
        codes.add(code)
        _require_may_hold(parent, part.unit_type, code)
        for child in part.children:
            if child.parent_id != unit.pk or not child.is_active:
                raise DomainError(
                    _("Unit %(code)s is not a sub-unit of the unit being split.") % {"code": child.code}, field="parts"
                )
            if child.pk in assigned:
                raise DomainError(
                    _("Unit %(code)s is assigned to two new units.") % {"code": child.code}, field="parts"
                )
            if not part.unit_type.allowed_children.filter(pk=child.type_id).exists():
                raise DomainError(
                    _("A %(parent_type)s cannot hold a %(child_type)s (%(code)s).")
                    % {"parent_type": part.unit_type.name, "child_type": child.type.name, "code": child.code},
                    code="type_not_allowed",
                )
            assigned[child.pk] = index
        cleaned_parts.append(SplitPart(code, clean_names(part.names), part.unit_type, list(part.children)))
    left = Unit.objects.active().filter(parent=unit).exclude(pk__in=assigned).values_list("code", flat=True)[:1]
    if left:
        raise DomainError(
            _("Sub-unit %(code)s is not assigned to any of the new units.") % {"code": left[0]}, field="parts"
        )
    rows = _subtree_rows([unit.path])
    _require_not_before_last_change([row[0] for row in rows], decision.effective_date)
    return Plan(
        kind=EventKind.SPLIT,
        decision=decision,
        units=[unit],
        target=parent,
        subtree_size=len(rows),
        extra={"parts": cleaned_parts},
    )


@transaction.atomic
def unit_split(
    *,
    actor: Any,
    unit: Unit,
    parts: Sequence[SplitPart],
    decision: Decision,
    today: dt.date | None = None,
) -> list[Unit]:
    unit = _lock([unit])[0]
    plan = plan_split(actor=actor, unit=unit, parts=parts, decision=decision, today=today)
    operation = uuid.uuid4()
    created = []
    for part in plan.extra["parts"]:
        new_unit = _apply_establish(
            actor=actor,
            operation=operation,
            plan=Plan(
                EventKind.ESTABLISH,
                plan.decision,
                [],
                plan.target,
                extra={
                    "code": part.code,
                    "names": part.names,
                    "type": part.unit_type,
                    "details": UnitDetails(unit.address, unit.province, unit.commune, unit.employer),
                },
            ),
        )
        if part.children:
            _apply_transfer(
                actor=actor,
                plan=Plan(EventKind.TRANSFER, plan.decision, list(part.children), new_unit),
                operation=operation,
                action="unit.transfer",
            )
        created.append(new_unit)
    _end_units([unit], UnitStatus.SPLIT, plan.decision.effective_date)
    for p in lifecycle.participants():
        p.unit_split(
            actor=actor,
            unit_id=unit.pk,
            part_ids=[u.pk for u in created],
            day=plan.decision.effective_date,
            reason=plan.decision.reason,
        )
    _events(operation, EventKind.SPLIT, plan.decision, actor, [(unit, None, {"into": [u.code for u in created]})])
    record_many(
        actor=actor,
        action="unit.split",
        reason=_audit_reason(plan.decision),
        changes=[
            Change(
                obj=unit,
                before={"status": UnitStatus.ACTIVE},
                after={"status": UnitStatus.SPLIT, "into": [u.code for u in created]},
            )
        ],
    )
    return created
