"""The roll-up tables: built from the records, then kept current from the audit log.

Every write of the product goes through a service that records an audit entry naming the unit it
belongs to, in the writer's transaction, and entries are appended in commit order. So the entries
after the roll-ups' watermark name every unit whose figures may have changed: `rollup_refresh`
recounts those units' own figures (`UnitFact`) and their shared items (`SharedFact`) and pushes the
difference up to every ancestor (`Rollup` by month; `RollupYear` by year, for flows; `RollupBalance`
for the stocks at each year's end), in one transaction. A change to the tree itself (a transfer, merge or
split), or to a rule the figures are counted by, rebuilds everything (`rollup_rebuild`).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import batched

from django.db import connection, transaction
from django.db.models import Max, Q, Subquery
from django.utils import timezone

from unionhall.activities.models import Activity
from unionhall.audit.models import AuditEntry
from unionhall.awards.models import Award
from unionhall.core.bulk import analyze, vacuum
from unionhall.democracy.models import Dialogue
from unionhall.members.models import Membership
from unionhall.orgunits.models import Unit
from unionhall.practices.models import Practice
from unionhall.programmes.models import ProgrammeParty

from . import catalogue, facts, tree
from .choices import Flow
from .models import (
    Rollup,
    RollupBalance,
    RollupState,
    RollupYear,
    SharedFact,
    SharedUnit,
    UnitAncestor,
    UnitFact,
)

CHUNK = 500
# Actions after which units stand elsewhere than the roll-ups assume; and "*.generate" (synthetic data in
# bulk, audited as one entry without a unit) also calls for a rebuild.
TREE_ACTIONS = frozenset({"unit.transfer", "unit.merge", "unit.split"})
# Rules the figures are counted by (when a dialogue falls due): a change recounts everything.
RULE_TYPES = ("democracy.obligationrule",)
NEW_UNIT_ACTIONS = frozenset({"unit.establish"})
ROLLUP_TABLES = (Rollup, RollupYear, RollupBalance)
STOCKS = tuple(i.code for i in catalogue.INDICATORS if i.flow == Flow.STOCK)


@dataclass(frozen=True)
class Freshness:
    refreshed_at: dt.datetime | None
    pending: int
    rebuilt: bool
    owners: int = 0
    # The tree changed since the last rebuild: the roll-ups' ancestors are out of date until the next one.
    tree_stale: bool = False
    # The last year of the stock balances (`RollupState.balance_year`): a later year's stocks are that year's.
    balance_year: int | None = None


def state() -> RollupState:
    found = RollupState.objects.order_by("pk").first()
    return found or RollupState.objects.create()


def _locked_state(*, wait: bool = True) -> RollupState | None:
    """The state row, locked for this transaction; None if another refresh holds it and `wait` is false."""
    state()
    return RollupState.objects.select_for_update(skip_locked=not wait).order_by("pk").first()


def _last_audit_id() -> int:
    return AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0


def _state_and_last_audit_id() -> tuple[RollupState, int]:
    """The state row and the last audit entry's id, in one query (a report asks both every time)."""
    last = AuditEntry.objects.order_by("-id").values("id")[:1]
    found = RollupState.objects.order_by("pk").annotate(last_audit=Subquery(last)).first()
    if found is None:
        return state(), _last_audit_id()
    return found, found.last_audit or 0


def pending_entries(current: RollupState | None = None) -> int:
    current = current or state()
    return AuditEntry.objects.filter(id__gt=current.audit_watermark).count()


# ------------------------------------------------------------------ full build


def rollup_rebuild(*, now: dt.datetime | None = None) -> Freshness:
    """Recount every figure from the records and rebuild the roll-ups (minutes at national scale)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_state()
        assert current is not None
        watermark = _last_audit_id()
        tree.closure_rebuild()
        for model in (UnitFact, SharedFact, SharedUnit, *ROLLUP_TABLES):
            model.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Grouping 12 million memberships by unit and month spills to disk at the default 4 MB.
                cursor.execute("SET LOCAL work_mem = '256MB'")
            for events in facts.single_events():
                _insert_unit_facts(cursor, events, owners=None)
            for events in facts.shared_events():
                _insert_shared_facts(cursor, events, owners=None)
            _insert_shared_units(cursor, owners=None)
            _rollup_from_facts(cursor)
            current.balance_year = _balances_from_rollups(cursor, timezone.localdate(now).year)
        _analyze()
        current.audit_watermark = watermark
        current.refreshed_at = current.rebuilt_at = now
        current.tree_changed = False
        current.save()
    # Reports read the yearly roll-ups by an index that holds their values: only once the new pages are
    # marked all-visible do those reads skip the table.
    vacuum(ROLLUP_TABLES)
    return Freshness(now, 0, True, balance_year=current.balance_year)


def _insert_unit_facts(cursor, events: facts.Events, owners: Sequence[int] | None) -> None:
    month = facts.month_of("e.day")
    where, params = _owner_filter("e.unit_id", owners)
    cursor.execute(
        f"INSERT INTO {UnitFact._meta.db_table} (owner_id, indicator, key, month, value) "  # noqa: S608
        f"SELECT e.unit_id, %s, e.key, {month}, SUM(e.value) FROM ({events.sql}) e "
        f"WHERE e.day IS NOT NULL {where} GROUP BY e.unit_id, e.key, {month} HAVING SUM(e.value) <> 0",
        [events.indicator, *params],
    )


def _insert_shared_facts(cursor, events: facts.Events, owners: Sequence[int] | None) -> None:
    month = facts.month_of("e.day")
    where, params = _owner_filter("e.owner_id", owners)
    cursor.execute(
        f"INSERT INTO {SharedFact._meta.db_table} (item, owner_id, indicator, key, month, value) "  # noqa: S608
        f"SELECT e.item, e.owner_id, %s, e.key, {month}, SUM(e.value) FROM ({events.sql}) e "
        f"WHERE e.day IS NOT NULL {where} GROUP BY e.item, e.owner_id, e.key, {month} HAVING SUM(e.value) <> 0",
        [events.indicator, *params],
    )


def _insert_shared_units(cursor, owners: Sequence[int] | None) -> None:
    where, params = _owner_filter("s.owner_id", owners)
    cursor.execute(
        f"INSERT INTO {SharedUnit._meta.db_table} (item, unit_id) "  # noqa: S608
        f"SELECT DISTINCT s.item, s.unit_id FROM ({facts.shared_units_sql()}) s WHERE 1 = 1 {where}",
        params,
    )


def _owner_filter(column: str, owners: Sequence[int] | None) -> tuple[str, list[int]]:
    if owners is None:
        return "", []
    return f"AND {column} IN ({', '.join(['%s'] * len(owners))})", list(owners)


def _rollup_from_facts(cursor) -> None:
    closure = UnitAncestor._meta.db_table
    cursor.execute(
        f"INSERT INTO {Rollup._meta.db_table} (ancestor_id, month, indicator, key, value) "  # noqa: S608
        "SELECT x.ancestor_id, x.month, x.indicator, x.key, SUM(x.value) FROM ("
        f"SELECT c.ancestor_id, f.month, f.indicator, f.key, f.value FROM {UnitFact._meta.db_table} f "
        f"JOIN {closure} c ON c.unit_id = f.owner_id "
        "UNION ALL SELECT d.ancestor_id, f.month, f.indicator, f.key, f.value FROM ("
        f"SELECT DISTINCT s.item, c.ancestor_id FROM {SharedUnit._meta.db_table} s "
        f"JOIN {closure} c ON c.unit_id = s.unit_id) d JOIN {SharedFact._meta.db_table} f ON f.item = d.item"
        ") x GROUP BY x.ancestor_id, x.month, x.indicator, x.key HAVING SUM(x.value) <> 0 "
        # Written in key order, so a subtree's rows sit together on disk and a report reads few pages.
        "ORDER BY x.ancestor_id, x.month, x.indicator, x.key",
        [],
    )
    year = facts.year_of("r.month")
    cursor.execute(
        f"INSERT INTO {RollupYear._meta.db_table} (ancestor_id, year, indicator, key, value) "  # noqa: S608
        f"SELECT r.ancestor_id, {year}, r.indicator, r.key, SUM(r.value) FROM {Rollup._meta.db_table} r "
        f"WHERE r.indicator NOT IN ({stock_marks()}) "
        f"GROUP BY r.ancestor_id, {year}, r.indicator, r.key HAVING SUM(r.value) <> 0 "
        f"ORDER BY r.ancestor_id, {year}, r.indicator, r.key",
        list(STOCKS),
    )


def stock_marks() -> str:
    return ", ".join(["%s"] * len(STOCKS))


# The stocks' yearly changes, while the balances are built from them (temporary, this connection's own).
STOCK_CHANGES = "reports_stock_change"


def _balances_from_rollups(cursor, this_year: int) -> int:
    """Write each stock's balance at the end of every year from its first change on; the last year written.

    The last year is this year or the latest year of a stock change, if later (a membership may be recorded
    to end in a coming year). Each year's running sum of changes holds until the year before the next change.
    """
    year = facts.year_of("r.month")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STOCK_CHANGES} AS "  # noqa: S608
        f"SELECT r.ancestor_id, r.indicator, r.key, {year} AS year, SUM(r.value) AS value "
        f"FROM {Rollup._meta.db_table} r WHERE r.indicator IN ({stock_marks()}) "
        f"GROUP BY r.ancestor_id, r.indicator, r.key, {year}",
        list(STOCKS),
    )
    cursor.execute(f"SELECT MIN(year), MAX(year) FROM {STOCK_CHANGES}")  # noqa: S608 - constant table name
    first, latest = cursor.fetchone()
    last = max(latest or this_year, this_year)
    cursor.execute(
        "WITH RECURSIVE n(year) AS (SELECT %s UNION ALL SELECT year + 1 FROM n WHERE year < %s) "  # noqa: S608
        f"INSERT INTO {RollupBalance._meta.db_table} (ancestor_id, year, indicator, key, value) "
        "SELECT s.ancestor_id, n.year, s.indicator, s.key, s.balance FROM ("
        "SELECT r.ancestor_id, r.indicator, r.key, r.year, SUM(r.value) OVER w AS balance, "
        f"LEAD(r.year, 1, %s) OVER w AS next FROM {STOCK_CHANGES} r "
        "WINDOW w AS (PARTITION BY r.ancestor_id, r.indicator, r.key ORDER BY r.year)"
        ") s JOIN n ON n.year >= s.year AND n.year < s.next WHERE s.balance <> 0 "
        "ORDER BY s.ancestor_id, n.year, s.indicator, s.key",
        [first or last, last, last + 1],
    )
    cursor.execute(f"DROP TABLE {STOCK_CHANGES}")
    return last


def _analyze() -> None:
    analyze([UnitFact, SharedFact, SharedUnit, UnitAncestor, *ROLLUP_TABLES])


# ------------------------------------------------------------------ incremental refresh


def rollup_refresh(*, limit: int | None = None, now: dt.datetime | None = None) -> Freshness:
    """Bring the roll-ups up to date with the audit log; with `limit`, do nothing if more entries wait."""
    now = now or timezone.now()
    seen, last = _state_and_last_audit_id()
    if seen.rebuilt_at is not None and last <= seen.audit_watermark:
        return _unchanged(seen, 0)  # nothing new: no write
    done = _refresh(seen, limit=limit, now=now)
    if done.rebuilt:
        vacuum(ROLLUP_TABLES)  # after the rebuild's transaction, which could not
    return done


def _refresh(seen: RollupState, *, limit: int | None, now: dt.datetime) -> Freshness:
    inline = limit is not None
    with transaction.atomic():
        # A report does not wait for the worker's refresh: it reads the roll-ups as they are.
        current = _locked_state(wait=not inline)
        if current is None:
            return _unchanged(seen, pending_entries(seen))
        if current.rebuilt_at is None:
            return Freshness(None, pending_entries(current), False) if inline else rollup_rebuild(now=now)
        last = _last_audit_id()
        if last <= current.audit_watermark:
            return _unchanged(current, 0)
        entries = AuditEntry.objects.filter(id__gt=current.audit_watermark, id__lte=last)
        if limit is not None and entries.count() > limit:
            return _unchanged(current, entries.count())
        if entries.filter(
            Q(action__in=TREE_ACTIONS) | Q(action__endswith=".generate") | Q(object_type__in=RULE_TYPES)
        ).exists():
            # Minutes at national scale: the worker's job. Meanwhile reports on the changed part are
            # counted from the records (tree.changed_since), the rest read the roll-ups as they are.
            if not inline:
                return rollup_rebuild(now=now)
            current.tree_changed = True
            current.save(update_fields=["tree_changed"])
            return _unchanged(current, entries.count())
        new_units = _ints(entries.filter(action__in=NEW_UNIT_ACTIONS).values_list("object_id", flat=True))
        tree.closure_add(new_units)
        owners = _owners(entries)
        _recount(sorted(owners), current)
        current.audit_watermark = last
        current.refreshed_at = now
        current.save(update_fields=["audit_watermark", "refreshed_at", "balance_year"])
    return Freshness(now, 0, False, len(owners), tree_stale=current.tree_changed, balance_year=current.balance_year)


def _unchanged(current: RollupState, pending: int) -> Freshness:
    return Freshness(
        current.refreshed_at, pending, False, tree_stale=current.tree_changed, balance_year=current.balance_year
    )


def _ints(values: Iterable[str | int | None]) -> set[int]:
    out = set()
    for value in values:
        try:
            out.add(int(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return out


def _owners(entries) -> set[int]:
    """The units whose own figures or shared items the entries may have changed."""
    owners = set(entries.exclude(unit_id=None).values_list("unit_id", flat=True).distinct())
    by_type: dict[str, set[int]] = {}
    for object_type, object_id in entries.filter(
        object_type__in=(
            "members.person",
            "awards.decision",
            "awards.award",
            "programmes.programme",
            "programmes.programmeparty",
            "orgunits.unit",
        )
    ).values_list("object_type", "object_id"):
        by_type.setdefault(object_type, set()).update(_ints([object_id]))
    for ids in batched(sorted(by_type.get("members.person", ())), CHUNK):
        owners.update(Membership.objects.filter(person_id__in=ids).values_list("unit_id", flat=True).distinct())
    for ids in batched(sorted(by_type.get("awards.decision", ())), CHUNK):
        owners.update(Award.objects.filter(decision_id__in=ids).values_list("awardee_unit_id", flat=True).distinct())
    for ids in batched(sorted(by_type.get("awards.award", ())), CHUNK):
        owners.update(Award.objects.filter(pk__in=ids).values_list("awardee_unit_id", flat=True))
    programmes = set(by_type.get("programmes.programme", ()))
    for ids in batched(sorted(by_type.get("programmes.programmeparty", ())), CHUNK):
        programmes.update(ProgrammeParty.objects.filter(pk__in=ids).values_list("programme_id", flat=True))
    for ids in batched(sorted(programmes), CHUNK):
        owners.update(Activity.objects.filter(programme_id__in=ids).values_list("unit_id", flat=True).distinct())
        owners.update(Practice.objects.filter(programme_id__in=ids).values_list("unit_id", flat=True).distinct())
    owners.update(by_type.get("orgunits.unit", ()))
    return owners | _employers_of(owners, entries)


def _employers_of(owners: set[int], entries) -> set[int]:
    """The employers whose dialogue deadlines the entries may have moved: those of these units when they are
    unions, or were at the last count; those of the dialogues these units recorded; and those a changed
    dialogue names before and after."""
    employers: set[int] = set()
    codes: set[str] = set()
    for before, after in entries.filter(object_type="democracy.dialogue").values_list("before", "after"):
        codes.update(snapshot["employer"] for snapshot in (before, after) if snapshot and snapshot.get("employer"))
    for chunk in batched(sorted(codes), CHUNK):
        employers.update(Unit.objects.filter(code__in=chunk).values_list("pk", flat=True))
    for ids in batched(sorted(owners), CHUNK):
        employers.update(
            Unit.objects.filter(pk__in=ids, employer__isnull=False).values_list("employer_id", flat=True).distinct()
        )
        employers.update(
            Dialogue.objects.filter(activity__unit_id__in=ids).values_list("employer_id", flat=True).distinct()
        )
        items = SharedUnit.objects.filter(unit_id__in=ids, item__startswith=facts.EMPLOYER_ITEM)
        employers.update(_ints(item.removeprefix(facts.EMPLOYER_ITEM) for item in items.values_list("item", flat=True)))
    return employers


def _recount(owners: Sequence[int], current: RollupState) -> None:
    """Recount these units' facts and shared items and push the differences to their ancestors."""
    if not owners:
        return
    with connection.cursor() as cursor:
        for chunk in batched(sorted(_with_new_owners(cursor, set(owners))), CHUNK):
            ids = list(chunk)
            items = _items_of(cursor, ids)
            _start_changes(cursor, ids)
            _push_shared(cursor, items, current, sign=-1)
            UnitFact.objects.filter(owner_id__in=ids).delete()
            for item_chunk in batched(sorted(items), CHUNK):
                SharedFact.objects.filter(item__in=item_chunk).delete()
                SharedUnit.objects.filter(item__in=item_chunk).delete()
            for events in facts.single_events():
                _insert_unit_facts(cursor, events, owners=ids)
            for events in facts.shared_events():
                _insert_shared_facts(cursor, events, owners=ids)
            _insert_shared_units(cursor, owners=ids)
            _extend_balances(cursor, current, ids)
            _copy_facts(cursor, ids, sign=1)
            _push_changes(cursor, current)
            _push_shared(cursor, items | _items_owned(cursor, ids), current, sign=1)


def _with_new_owners(cursor, owners: set[int]) -> set[int]:
    """These units and the units that now own an item these units owned at the last count."""
    todo, out = set(owners), set()
    while todo:
        out |= todo
        ids = sorted(todo)
        before = set(SharedFact.objects.filter(owner_id__in=ids).values_list("item", flat=True).distinct())
        moved = sorted(before - _items_owned(cursor, ids))
        todo = set()
        for chunk in batched(moved, CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT DISTINCT s.owner_id FROM ({facts.shared_units_sql()}) s WHERE s.item IN ({marks})",  # noqa: S608
                list(chunk),
            )
            todo |= {row[0] for row in cursor.fetchall()} - out
    return out


def _items_of(cursor, owners: list[int]) -> set[str]:
    """The shared items these units own now or owned at the last count."""
    return _items_owned(cursor, owners) | set(
        SharedFact.objects.filter(owner_id__in=owners).values_list("item", flat=True).distinct()
    )


def _items_owned(cursor, owners: list[int]) -> set[str]:
    marks = ", ".join(["%s"] * len(owners))
    cursor.execute(
        f"SELECT DISTINCT s.item FROM ({facts.shared_units_sql()}) s WHERE s.owner_id IN ({marks})",  # noqa: S608
        owners,
    )
    return {row[0] for row in cursor.fetchall()}


def _extend_balances(cursor, current: RollupState, owners: list[int]) -> None:
    """Copy the last year's balances into the years up to the latest stock change of these units' new facts.

    Once a year, when the first stock change of a new year arrives: every subtree's balances are copied.
    """
    last = current.balance_year
    if last is None:
        return  # no balances yet: the next rebuild writes them
    marks = ", ".join(["%s"] * len(owners))
    after = dt.date(last + 1, 1, 1)
    cursor.execute(
        f"SELECT MAX(month) FROM (SELECT month FROM {UnitFact._meta.db_table} "  # noqa: S608
        f"WHERE owner_id IN ({marks}) AND indicator IN ({stock_marks()}) AND month >= %s "
        f"UNION ALL SELECT month FROM {SharedFact._meta.db_table} "
        f"WHERE owner_id IN ({marks}) AND indicator IN ({stock_marks()}) AND month >= %s) f",
        [*owners, *STOCKS, after, *owners, *STOCKS, after],
    )
    latest = cursor.fetchone()[0]
    if latest is None:
        return
    year = int(str(latest)[:4])  # a date, or its text on SQLite
    balances = RollupBalance._meta.db_table
    cursor.execute(
        f"WITH RECURSIVE n(year) AS (SELECT %s UNION ALL SELECT year + 1 FROM n WHERE year < %s) "  # noqa: S608
        f"INSERT INTO {balances} (ancestor_id, year, indicator, key, value) "
        f"SELECT b.ancestor_id, n.year, b.indicator, b.key, b.value FROM {balances} b JOIN n ON 1 = 1 "
        "WHERE b.year = %s AND b.value <> 0",
        [last + 1, year, last],
    )
    current.balance_year = year


def _upsert(cursor, select_sql: str, params: list, current: RollupState) -> None:
    """Add the selected (ancestor, month, indicator, key, value) rows to the three roll-up tables."""
    rollup, yearly = Rollup._meta.db_table, RollupYear._meta.db_table
    cursor.execute(
        f"INSERT INTO {rollup} (ancestor_id, month, indicator, key, value) {select_sql} "
        "ON CONFLICT (ancestor_id, month, indicator, key) DO UPDATE SET value = "
        f"{rollup}.value + excluded.value",
        params,
    )
    year = facts.year_of("y.month")
    cursor.execute(
        f"INSERT INTO {yearly} (ancestor_id, year, indicator, key, value) "  # noqa: S608
        f"SELECT y.ancestor_id, {year}, y.indicator, y.key, SUM(y.value) FROM ({select_sql}) y "
        f"WHERE y.indicator NOT IN ({stock_marks()}) GROUP BY y.ancestor_id, {year}, y.indicator, y.key "
        "ON CONFLICT (ancestor_id, year, indicator, key) DO UPDATE SET value = "
        f"{yearly}.value + excluded.value",
        [*params, *STOCKS],
    )
    if current.balance_year is None:
        return
    # A stock's change in a year changes its balance at the end of that year and of every later one.
    balances = RollupBalance._meta.db_table
    cursor.execute(
        f"WITH RECURSIVE d AS (SELECT y.ancestor_id, {year} AS year, y.indicator, y.key, SUM(y.value) AS value "  # noqa: S608
        f"FROM ({select_sql}) y WHERE y.indicator IN ({stock_marks()}) "
        f"GROUP BY y.ancestor_id, {year}, y.indicator, y.key), "
        "n(year) AS (SELECT CAST(MIN(year) AS INTEGER) FROM d UNION ALL SELECT year + 1 FROM n WHERE year < %s) "
        f"INSERT INTO {balances} (ancestor_id, year, indicator, key, value) "
        "SELECT d.ancestor_id, n.year, d.indicator, d.key, SUM(d.value) FROM d JOIN n ON n.year >= d.year "
        "WHERE 1 = 1 GROUP BY d.ancestor_id, n.year, d.indicator, d.key "
        "ON CONFLICT (ancestor_id, year, indicator, key) DO UPDATE SET value = "
        f"{balances}.value + excluded.value",
        [*params, *STOCKS, current.balance_year],
    )


# A unit's facts before and after its recount, side by side (before negated): only the months whose figure
# changed are pushed up the tree. A unit with 26 years of members has thousands of facts; a new member
# changes two or three of them.
CHANGES = "reports_fact_change"


def _start_changes(cursor, owners: list[int]) -> None:
    """The change table (temporary, this connection's own) holding only these owners' facts, negated."""
    if connection.vendor == "postgresql":
        columns = "owner_id bigint, month date, indicator text, key text, value bigint"
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {CHANGES} ({columns}) ON COMMIT DROP")
    else:
        columns = "owner_id integer, month text, indicator text, key text, value integer"
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {CHANGES} ({columns})")
    cursor.execute(f"DELETE FROM {CHANGES}")  # noqa: S608 - constant table name
    _copy_facts(cursor, owners, sign=-1)


def _copy_facts(cursor, owners: list[int], *, sign: int) -> None:
    marks = ", ".join(["%s"] * len(owners))
    cursor.execute(
        f"INSERT INTO {CHANGES} (owner_id, month, indicator, key, value) "  # noqa: S608
        f"SELECT f.owner_id, f.month, f.indicator, f.key, {sign} * f.value FROM {UnitFact._meta.db_table} f "
        f"WHERE f.owner_id IN ({marks})",
        owners,
    )


def _push_changes(cursor, current: RollupState) -> None:
    """Add the net change of each (owner, month, indicator, key) to every ancestor of the owner."""
    _upsert(
        cursor,
        "SELECT c.ancestor_id, d.month, d.indicator, d.key, SUM(d.value) AS value FROM ("  # noqa: S608
        f"SELECT owner_id, month, indicator, key, SUM(value) AS value FROM {CHANGES} "
        "GROUP BY owner_id, month, indicator, key HAVING SUM(value) <> 0) d "
        f"JOIN {UnitAncestor._meta.db_table} c ON c.unit_id = d.owner_id "
        "GROUP BY c.ancestor_id, d.month, d.indicator, d.key",
        [],
        current,
    )


def _push_shared(cursor, items: set[str], current: RollupState, *, sign: int) -> None:
    for chunk in batched(sorted(items), CHUNK):
        marks = ", ".join(["%s"] * len(chunk))
        _upsert(
            cursor,
            f"SELECT d.ancestor_id, f.month, f.indicator, f.key, {sign} * SUM(f.value) AS value FROM ("  # noqa: S608
            f"SELECT DISTINCT s.item, c.ancestor_id FROM {SharedUnit._meta.db_table} s "
            f"JOIN {UnitAncestor._meta.db_table} c ON c.unit_id = s.unit_id WHERE s.item IN ({marks})) d "
            f"JOIN {SharedFact._meta.db_table} f ON f.item = d.item "
            "GROUP BY d.ancestor_id, f.month, f.indicator, f.key",
            list(chunk),
            current,
        )
