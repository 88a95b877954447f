"""The check-in benchmark: members checked in one by one through the service, beside the raw SQL limit.

Inside one transaction that is rolled back: synthetic members are written into the active
grassroots unions (`members.synthetic`), and one activity is organised by the unit above all of
them. The product checks each member in through `services.check_in_member`, as a door officer
scanning union cards does: one call, one (nested) transaction, one audit entry per check-in, in a
random order. The raw limit writes the same attendee rows for a second activity with one
hand-written `executemany` INSERT (after one SELECT resolving the codes) and one counter UPDATE.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from unionhall.core.scoping import subtree_q
from unionhall.members.choices import OPEN_STATUSES, Gender
from unionhall.members.models import Membership, Person
from unionhall.members.synthetic import ENDED_SHARE, members_generate
from unionhall.orgunits.models import Unit
from unionhall.orgunits.paths import SEGMENT
from unionhall.orgunits.synthetic import synthetic_tree_generate

from . import services
from .choices import CheckInMethod, CheckInOutcome, KindRole, ParticipantCategory
from .models import Activity, ActivityKind, Attendee

TARGET_SECONDS = 10.0
# People per ticked list (one page of the tick list).
LIST_SIZE = 100
TARGET_CHECKINS = 10_000
# A tree for the benchmark when the database holds no grassroots union (rolled back with the rest).
FALLBACK_UNITS = 200
# Codes resolved per SELECT on the raw side (below SQLite's limit on parameters).
RAW_CHUNK = 5_000


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class CheckinBench:
    """One run: the product (service calls) and the raw limit side by side."""

    checkins: int
    product_seconds: float
    raw_seconds: float
    # The same check-ins one at a time, each in its own transaction, by hand-written SQL without the audit:
    # what the door costs the database alone, before the product's checks and its audit entry.
    raw_each_seconds: float
    # The same people ticked on lists of `LIST_SIZE` (`check_in_people`), each list its own transaction.
    listed_seconds: float
    queries_per_checkin: float
    database: str
    generated: str

    @property
    def ratio(self) -> float:
        return self.product_seconds / self.raw_seconds if self.raw_seconds else float("inf")


def bench_checkins(*, checkins: int = TARGET_CHECKINS, seed: int = 1) -> CheckinBench:
    """Generate, check `checkins` members in through the service and by raw SQL, roll everything back."""
    result: CheckinBench | None = None
    try:
        with transaction.atomic():
            tree = ""
            if not _grassroots().exists():
                synthetic_tree_generate(actor=None, units=FALLBACK_UNITS, seed=seed, force=True)
                tree = f"a synthetic tree of {FALLBACK_UNITS} units, "
            organiser = _common_ancestor()
            # Some synthetic members have left: generate enough for `checkins` open memberships.
            wanted = int(checkins / (1 - ENDED_SHARE) * 1.1) + 20
            made = members_generate(members=wanted, seed=seed, with_ids=False)
            codes = _codes(made.first_id, wanted, checkins)
            if len(codes) < checkins:
                raise RuntimeError(f"Only {len(codes)} synthetic members with an open membership; wanted {checkins}.")
            random.Random(seed).shuffle(codes)  # noqa: S311 - a reproducible order, not a secret
            actor = get_user_model().objects.create(username=f"bench-checkins-{seed}", is_superuser=True)
            kind = ActivityKind.objects.filter(role=KindRole.GENERAL, active=True).order_by("rank", "code").first()
            if kind is None:
                raise RuntimeError("No kind of activity in use: run the migrations.")
            product = _activity(actor, organiser, kind, "product")
            product_seconds, queries = _product(actor, product, codes)
            listed = _activity(actor, organiser, kind, "ticked on lists")
            listed_seconds = _listed(actor, listed, codes)
            raw = _activity(actor, organiser, kind, "raw")
            raw_seconds = _raw(raw, codes)
            each = _activity(actor, organiser, kind, "raw, one at a time")
            raw_each_seconds = _raw_each(each, codes)
            sides = [product.pk, listed.pk, raw.pk, each.pk]
            made_rows = Attendee.objects.filter(activity_id__in=sides).values_list("activity_id")
            rows = dict(made_rows.annotate(n=Count("id")))
            if any(rows.get(side) != checkins for side in sides):
                raise RuntimeError(f"Attendee rows made: {rows}; wanted {checkins} on each side.")
            units = _grassroots().filter(subtree_q("path", organiser.path)).count()
            result = CheckinBench(
                checkins=rows[product.pk],
                product_seconds=product_seconds,
                raw_seconds=raw_seconds,
                raw_each_seconds=raw_each_seconds,
                listed_seconds=listed_seconds,
                queries_per_checkin=queries / checkins if checkins else 0.0,
                database=connection.vendor,
                generated=(
                    f"{tree}{wanted:,} synthetic members in {units:,} grassroots unions under {organiser.code}; "
                    f"{checkins:,} of them checked in, in random order, at one activity {organiser.code} organises"
                ),
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _grassroots() -> QuerySet[Unit]:
    return Unit.objects.filter(type__code="grassroots_union", status="active")


def _common_ancestor() -> Unit:
    """The lowest unit above every active grassroots union (the members are spread over all of them)."""
    paths = _grassroots().order_by("path").values_list("path", flat=True)
    first, last = paths.first() or "", paths.last() or ""
    shared = 0
    while shared < min(len(first), len(last)) and first[shared] == last[shared]:
        shared += 1
    prefix = first[: max(SEGMENT, shared - shared % SEGMENT)]
    found = Unit.objects.filter(path=prefix).first()
    if found is None:
        raise RuntimeError("No unit above the grassroots unions.")
    return found


def _codes(first_id: int, count: int, wanted: int) -> list[str]:
    """Member codes of the generated people whose membership is open, lowest id first."""
    return list(
        Membership.objects.filter(person_id__gte=first_id, person_id__lt=first_id + count, status__in=OPEN_STATUSES)
        .order_by("person_id")
        .values_list("person__member_code", flat=True)[:wanted]
    )


def _activity(actor: Any, organiser: Unit, kind: ActivityKind, label: str) -> Activity:
    details = services.ActivityDetails(
        kind=kind, title=f"Benchmark: check-ins ({label})", starts_at=timezone.now(), place="Hội trường"
    )
    return services.activity_create(actor=actor, unit=organiser, details=details)


class _QueryCounter:
    """Counts the statements sent (savepoints included), without keeping them as the debug log would."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _product(actor: Any, activity: Activity, codes: list[str]) -> tuple[float, int]:
    """Each member through the service, one call each; (seconds, statements)."""
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for code in codes:
            done = services.check_in_member(actor=actor, activity=activity, member_code=code, method=CheckInMethod.QR)
            if done.outcome != CheckInOutcome.ADDED:
                raise RuntimeError(f"Check-in of {code}: {done.outcome} ({done.message})")
        seconds = time.perf_counter() - started
    return seconds, counter.count


def _listed(actor: Any, activity: Activity, codes: list[str]) -> float:
    """The same members ticked on lists of LIST_SIZE: each list's people read by id (as the page posts them), then
    `check_in_people`, each list in its own transaction."""
    ids = dict(Person.objects.filter(member_code__in=codes).values_list("member_code", "pk"))
    order = [ids[code] for code in codes]
    started = time.perf_counter()
    for start in range(0, len(order), LIST_SIZE):
        chunk = order[start : start + LIST_SIZE]
        people = list(Person.objects.filter(pk__in=chunk).only("id", "full_name", "gender", "member_code"))
        done = services.check_in_people(actor=actor, activity=activity, people=people, method=CheckInMethod.LIST)
        if any(o.outcome != CheckInOutcome.ADDED for o in done):
            raise RuntimeError("A ticked member was not checked in.")
    return time.perf_counter() - started


def _raw_each(activity: Activity, codes: list[str]) -> float:
    """Each code by hand-written SQL in its own transaction: find the member, insert unless present, count."""
    quote = connection.ops.quote_name
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    find = (
        "SELECT p.id, m.unit_id, p.gender FROM members_person p JOIN members_membership m ON m.person_id = p.id "  # noqa: S608
        f"WHERE p.member_code = %s AND m.status IN ({statuses}) LIMIT 1"
    )
    insert = (
        f"INSERT INTO {quote(Attendee._meta.db_table)} (activity_id, key, person_id, unit_id, name, phone, "  # noqa: S608
        "category, gender, method, checked_in_at) VALUES (%s, %s, %s, %s, '', '', %s, %s, 'qr', %s) "
        "ON CONFLICT (activity_id, key) DO NOTHING RETURNING id"
    )
    count = (
        f"UPDATE {quote(Activity._meta.db_table)} SET participants = participants + 1, "  # noqa: S608
        "women = women + %s WHERE id = %s"
    )
    at = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for code in codes:
            with transaction.atomic():
                cursor.execute(find, [code])
                pk, unit_id, gender = cursor.fetchone()
                cursor.execute(
                    insert, [activity.pk, services.member_key(pk), pk, unit_id, ParticipantCategory.MEMBER, gender, at]
                )
                if cursor.fetchone() is not None:
                    cursor.execute(count, [1 if gender == Gender.FEMALE else 0, activity.pk])
        return time.perf_counter() - started


def _raw(activity: Activity, codes: list[str]) -> float:
    """The same rows by hand-written SQL: resolve the codes, INSERT with executemany, UPDATE the counters."""
    quote = connection.ops.quote_name
    table = quote(Attendee._meta.db_table)
    columns = ", ".join(
        quote(name)
        for name in (
            "activity_id",
            "key",
            "person_id",
            "unit_id",
            "name",
            "phone",
            "category",
            "gender",
            "method",
            "checked_in_at",
            "recorded_by",
        )
    )
    marks = ", ".join(["%s"] * 11)
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    at = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        found: list[tuple] = []
        for start in range(0, len(codes), RAW_CHUNK):
            chunk = codes[start : start + RAW_CHUNK]
            params = ", ".join(["%s"] * len(chunk))
            sql = f"SELECT p.id, m.unit_id, p.gender FROM members_person p JOIN members_membership m ON m.person_id = p.id WHERE m.status IN ({statuses}) AND p.member_code IN ({params})"  # noqa: S608, E501
            cursor.execute(sql, chunk)
            found.extend(cursor.fetchall())
        rows = [
            (
                activity.pk,
                services.member_key(pk),
                pk,
                unit_id,
                "",
                "",
                ParticipantCategory.MEMBER,
                gender,
                "qr",
                at,
                None,
            )
            for pk, unit_id, gender in found
        ]
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - our own names
        women = sum(1 for row in rows if row[7] == Gender.FEMALE)
        cursor.execute(
            f"UPDATE {quote(Activity._meta.db_table)} SET participants = participants + %s, "  # noqa: S608
            "women = women + %s WHERE id = %s",
            [len(rows), women, activity.pk],
        )
        return time.perf_counter() - started
