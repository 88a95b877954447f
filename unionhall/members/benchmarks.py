"""Members benchmarks: the import, search and member lists, each beside the raw limit in the same run.

- import: a generated roster through the whole product pipeline (file stored, read, every row
  validated, national IDs encrypted and blind-indexed, set-wise writes with one audit entry per row),
  then the very rows it wrote, copied out and loaded again with a raw `COPY` (PostgreSQL) or
  `executemany` (SQLite) into the same tables and indexes. Both run in transactions that are rolled
  back, so the database is left as it was. XLSX parsing is timed beside bare calamine.
- search and lists: the selectors against hand-written SQL on the same indexes, for the whole
  country (a national administrator) and for one province (an officer granted only that province).
"""

import csv
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from unionhall.access.models import Role, RoleGrant
from unionhall.core.cursors import cursor_encode
from unionhall.core.scoping import PATH_END
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.importing import import_plan
from unionhall.datafiles.kinds import Context, Kind, Plan, Row, kind_get
from unionhall.datafiles.limits import limit
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.orgunits.benchmarks import Measure, _ms
from unionhall.orgunits.models import Unit

from . import selectors
from .models import Membership, Person
from .synthetic import SAMPLE_HEADER, TAILS, sample_rows

IMPORT_SECONDS_TARGET = 60.0
IMPORT_RATIO_TARGET = 0.30
XLSX_RATE_TARGET = 40_000
MEMORY_TARGET_MB = 1024
SEARCH_COUNTRY_MS = 50.0
SEARCH_PROVINCE_MS = 100.0
SEARCH_SQLITE_MS = 300.0
LIST_MS = 50.0
QUERIES = ("nguyen van de", "tran thi lan", "hoang minh", "vo thanh thao", "phuc", "le ngoc yen")


def _columns(model: Any, *, with_pk: bool) -> str:
    return ", ".join(f.column for f in model._meta.concrete_fields if with_pk or not f.primary_key)


class _Rollback(Exception):
    pass


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    rows: int
    product_seconds: float
    raw_seconds: float
    raw_method: str
    peak_mb: float
    summary: dict[str, Any]

    @property
    def product_rate(self) -> float:
        return self.rows / self.product_seconds

    @property
    def raw_rate(self) -> float:
        return self.rows / self.raw_seconds

    @property
    def ratio(self) -> float:
        return self.product_rate / self.raw_rate


def target_province() -> tuple[Unit, list[str]]:
    """The province with the most grassroots unions, and their codes (rows are spread over them)."""
    best: tuple[Unit, list[str]] | None = None
    for province in Unit.objects.filter(depth=1).order_by("pk")[:40]:
        codes = list(
            Unit.objects.filter(
                path__gte=province.path,
                path__lt=province.path + PATH_END,
                type__code="grassroots_union",
                status="active",
            )
            .order_by("pk")
            .values_list("code", flat=True)[:5000]
        )
        if best is None or len(codes) > len(best[1]):
            best = (province, codes)
    if best is None or not best[1]:
        raise ValueError("No province with grassroots unions: run `unionhall generate --units N` first.")
    return best


def write_roster_csv(path: Path, *, rows: int, seed: int, unit_codes: list[str]) -> None:
    start = _free_id_numbers()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(SAMPLE_HEADER)
        writer.writerows(sample_rows(rows=rows, seed=seed, unit_codes=unit_codes, start=start))


def write_roster_xlsx(path: Path, *, rows: int, seed: int, unit_codes: list[str]) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, SAMPLE_HEADER)
    for r, row in enumerate(sample_rows(rows=rows, seed=seed, unit_codes=unit_codes, start=_free_id_numbers()), 1):
        sheet.write_row(r, 0, row)
    workbook.close()


def _free_id_numbers() -> int:
    """Where generated identity numbers of new rows start: past every generated person's (see synthetic)."""
    highest = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return (highest // TAILS + 1) * TAILS


def bench_import(*, path: Path, unit: Unit, rows: int) -> ImportResult:
    """The product's import of `path` into `unit`, then a raw load of the same rows; both rolled back."""
    media = tempfile.mkdtemp(prefix="unionhall-bench-media-")
    first_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    dump = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    # Operators raise the upload limit (DATAFILES_MAX_BYTES) for a file this size; the benchmark does too.
    size_limit = max(limit("MAX_BYTES"), 2 * path.stat().st_size)
    with override_settings(MEDIA_ROOT=media, DEBUG=False, DATAFILES_MAX_BYTES=size_limit):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                with path.open("rb") as data:
                    job = datajob_create(actor=None, kind="members", unit=unit, file=File(data), dry_run=False)
                job = datajob_run(job_id=job.pk)
                product_seconds = time.perf_counter() - started
                peak = peak_memory_mb()
                if job.status != JobStatus.SUCCEEDED:
                    raise ValueError(f"The import failed: {job.error} {job.summary}")
                summary = dict(job.summary)
                raw_rows = _dump(dump, first_id)
                raise _Rollback
        except _Rollback:
            pass
        try:
            with transaction.atomic():
                started = time.perf_counter()
                method = _load(dump, raw_rows)
                raw_seconds = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
    dump.close()
    return ImportResult(rows, product_seconds, raw_seconds, method, peak, summary)


def _dump(out: Any, first_id: int) -> tuple[list[tuple], list[tuple]] | None:
    """The rows the import wrote: COPY TO a file on PostgreSQL; held in memory on SQLite."""
    person_copy, membership_copy = _columns(Person, with_pk=True), _columns(Membership, with_pk=False)
    people = f"SELECT {person_copy} FROM members_person WHERE id >= {first_id:d}"  # noqa: S608
    memberships = f"SELECT {membership_copy} FROM members_membership WHERE person_id >= {first_id:d}"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in (people, memberships):
                with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                    size = 0
                    chunks = []
                    for chunk in copy:
                        chunks.append(bytes(chunk))
                        size += len(chunk)
                out.write(size.to_bytes(8, "little"))
                for chunk in chunks:
                    out.write(chunk)
            return None
        cursor.execute(people)
        person_rows = cursor.fetchall()
        cursor.execute(memberships)
        return person_rows, cursor.fetchall()


def _load(dump: Any, rows: tuple[list[tuple], list[tuple]] | None) -> str:
    person_copy, membership_copy = _columns(Person, with_pk=True), _columns(Membership, with_pk=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            dump.seek(0)
            for table, columns in (("members_person", person_copy), ("members_membership", membership_copy)):
                size = int.from_bytes(dump.read(8), "little")
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    while size > 0:
                        chunk = dump.read(min(size, 1 << 20))
                        copy.write(chunk)
                        size -= len(chunk)
            return "COPY FROM STDIN, 1 MiB chunks"
        assert rows is not None
        people, memberships = rows
        for table, columns, values in (
            ("members_person", person_copy, people),
            ("members_membership", membership_copy, memberships),
        ):
            marks = ", ".join(["%s"] * len(columns.split(",")))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(values), 10_000):
                cursor.executemany(sql, values[start : start + 10_000])
        return "executemany INSERT, 10,000 rows a batch"


@dataclass
class ParseResult:
    rows: int
    product_seconds: float
    raw_seconds: float

    @property
    def product_rate(self) -> float:
        return self.rows / self.product_seconds

    @property
    def raw_rate(self) -> float:
        return self.rows / self.raw_seconds


def bench_xlsx_parse(path: Path, unit: Unit) -> ParseResult:
    """Reading an XLSX roster into typed rows (the import's parsing stage) beside bare calamine iteration."""
    data = path.read_bytes()
    started = time.perf_counter()
    with path.open("rb") as handle:
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        counted = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
    raw_seconds = time.perf_counter() - started
    kind = _parse_only(kind_get("members"))
    context = Context(actor=None, unit=unit, today=timezone.localdate(), dry_run=True, language="en")
    started = time.perf_counter()
    plan = import_plan(kind=kind, data=data, name=path.name, context=context)
    product_seconds = time.perf_counter() - started
    assert len(plan.outcomes) == counted - 1, (len(plan.outcomes), counted)
    return ParseResult(counted - 1, product_seconds, raw_seconds)


def _parse_only(kind: Kind) -> Kind:
    """The members columns with a validation that only takes the typed rows (the parsing stage alone)."""

    def validate(rows: Iterator[Row], context: Context) -> Plan:
        plan = Plan()
        for row in rows:
            plan.add(row.number, "rejected" if row.errors else "new")
        return plan

    return Kind(
        code=kind.code, label=kind.label, action=kind.action, columns=kind.columns, validate=validate, apply=kind.apply
    )


# ---------------------------------------------------------------- search and lists


def _province_officer(province: Unit) -> Any:
    """A throwaway user granted the viewer role on one province (created inside the rolled-back run)."""
    user = get_user_model().objects.create(username=f"bench-{province.pk}", is_active=True)
    RoleGrant.objects.create(user=user, role=Role.objects.get(code="viewer"), unit=province, scope="subtree")
    return get_user_model().objects.get(pk=user.pk)


def raw_search(cursor: Any, words: list[str], path: str | None = None) -> list[tuple]:
    """The search in SQL, in the product's two steps: names starting with the words, then names containing them."""
    phrase = " ".join(words)
    scope, scope_params = "", []
    if path is not None:
        scope = (
            " AND EXISTS (SELECT 1 FROM members_membership m JOIN orgunits_unit u ON u.id = m.unit_id "
            "WHERE m.person_id = p.id AND u.path >= %s AND u.path < %s)"
        )
        scope_params = [path, path + PATH_END]
    select = "SELECT p.id FROM members_person p WHERE "
    cursor.execute(
        f"{select}p.search_name >= %s AND p.search_name < %s{scope} ORDER BY p.search_name, p.id LIMIT 20",
        [phrase, phrase + selectors.LAST_CHARACTER, *scope_params],
    )
    rows = cursor.fetchall()
    if len(rows) < 20:
        contains = " AND ".join(["p.search_name LIKE %s"] * len(words))
        cursor.execute(
            f"{select}NOT (p.search_name >= %s AND p.search_name < %s) AND {contains}{scope} "
            "ORDER BY p.search_name, p.id LIMIT %s",
            [phrase, phrase + selectors.LAST_CHARACTER, *[f"%{w}%" for w in words], *scope_params, 20 - len(rows)],
        )
        rows += cursor.fetchall()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(f"SELECT id, full_name, member_code FROM members_person WHERE id IN ({marks})", ids)  # noqa: S608
    return cursor.fetchall()


def raw_list(cursor: Any, path: str, after: tuple[str, int] | None) -> list[tuple]:
    keyset = "AND p.search_name >= %s AND (p.search_name, m.id) > (%s, %s) " if after else ""
    cursor.execute(
        "SELECT m.id, p.id, p.full_name, u.code FROM members_membership m "  # noqa: S608
        "JOIN members_person p ON p.id = m.person_id JOIN orgunits_unit u ON u.id = m.unit_id "
        "WHERE u.path >= %s AND u.path < %s AND m.status IN ('active', 'suspended') "
        f"{keyset}ORDER BY p.search_name, m.id LIMIT 51",
        [path, path + PATH_END, *((after[0], *after) if after else ())],
    )
    return cursor.fetchall()


def _sample(measure: Measure, product: Callable[[], Any], raw: Callable[[], Any], repeat: int) -> None:
    product()
    raw()
    for i in range(repeat):
        pair = ((measure.product, product), (measure.raw, raw))
        for timings, fn in pair if i % 2 else reversed(pair):
            timings.append(_ms(fn))


def _search(actor: Any, query: str) -> list[Person]:
    return list(selectors.person_search(actor=actor, query=query))


def bench_search(*, repeat: int) -> list[Measure]:
    """Name searches (first page of 20) for the whole country and for one province."""
    province, _codes = target_province()
    admin = get_user_model()(username="bench", is_superuser=True, is_active=True)
    vendor = connection.vendor
    country = Measure(
        "search a name, whole country (first 20)", SEARCH_COUNTRY_MS if vendor == "postgresql" else SEARCH_SQLITE_MS
    )
    in_province = Measure(
        f"search a name, province {province.code} (first 20)",
        SEARCH_PROVINCE_MS if vendor == "postgresql" else SEARCH_SQLITE_MS,
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            officer = _province_officer(province)
            for query in QUERIES:
                words = query.split()
                _sample(
                    country,
                    partial(_search, admin, query),
                    partial(raw_search, cursor, words),
                    repeat,
                )
                _sample(
                    in_province,
                    partial(_search, officer, query),
                    partial(raw_search, cursor, words, province.path),
                    repeat,
                )
            raise _Rollback
    except _Rollback:
        pass
    country.note = in_province.note = f"queries: {', '.join(QUERIES)}; {repeat} samples each"
    return [country, in_province]


def bench_lists(*, repeat: int) -> list[Measure]:
    """Member list pages (50, by name) of a province: the first page and a deep one (keyset, no OFFSET)."""
    province, _codes = target_province()
    admin = get_user_model()(username="bench", is_superuser=True, is_active=True)
    deep_name = "vu thi yen"
    deep = (deep_name, 1)
    cursor_token = cursor_encode(deep)
    # The target is set for PostgreSQL at national scale; on SQLite the pages are measured for information.
    target = LIST_MS if connection.vendor == "postgresql" else None
    first = Measure(f"member list, province {province.code}, first page", target)
    deep_page = Measure(f"member list, province {province.code}, deep page (after “{deep_name}”)", target)
    with connection.cursor() as cursor:
        _sample(
            first,
            lambda: selectors.member_list(actor=admin, unit=province).items,
            lambda: raw_list(cursor, province.path, None),
            repeat,
        )
        _sample(
            deep_page,
            lambda: selectors.member_list(actor=admin, unit=province, cursor=cursor_token).items,
            lambda: raw_list(cursor, province.path, deep),
            repeat,
        )
    return [first, deep_page]


def counts() -> dict[str, int]:
    """Rough sizes from the planner's statistics (no COUNT(*) over millions of rows)."""
    if connection.vendor != "postgresql":
        return {"people": Person.objects.count(), "memberships": Membership.objects.count()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN ('members_person', 'members_membership')"
        )
        found = dict(cursor.fetchall())
    # A table never analysed reports -1 rows.
    return {"people": max(found.get("members_person", 0), 0), "memberships": max(found.get("members_membership", 0), 0)}
