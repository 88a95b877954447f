"""Synthetic members for benchmarks, written in bulk (COPY on PostgreSQL) into an existing unit tree.

People get Vietnamese names with diacritics, a structurally valid CCCD (encrypted, with its blind
index) that agrees with their gender and year of birth, a phone, and one membership of a
grassroots union; a share of them have left. One summary audit entry records the run.
"""

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from unionhall.audit.recorder import record
from unionhall.core import fieldcrypto
from unionhall.core.bulk import analyze, bulk_insert, with_defaults
from unionhall.core.text import fold
from unionhall.orgunits.models import Unit

from . import identity
from .choices import EndReason, Gender, IdKind, MembershipStatus
from .codes import member_code_new
from .models import Membership, Person
from .services import ID_CONTEXT

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thanh", "Xuân")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Mai")
GIVEN_MALE = ("Đệ", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tài", "Thắng")
GIVEN_FEMALE = ("Lan", "Hoa", "Hương", "Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến")
ENDED_SHARE = 0.05
CHUNK = 50_000
# From this many members, PostgreSQL's secondary indexes are built after the load rather than during it.
REBUILD_FROM = 500_000
# Tails of the CCCD run through a million numbers per province code, so no two people share one.
TAILS = 1_000_000
PERSON_COLUMNS = (
    "id",
    "full_name",
    "search_name",
    "date_of_birth",
    "gender",
    "id_kind",
    "national_id_encrypted",
    "national_id_index",
    "national_id_hint",
    "nationality",
    "ethnicity",
    "religion",
    "education_level",
    "phone",
    "email",
    "job_title",
    "member_code",
    "version",
    "created_at",
    "updated_at",
)
MEMBERSHIP_COLUMNS = (
    "person_id",
    "unit_id",
    "join_date",
    "status",
    "end_reason",
    "end_date",
    "version",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class Generated:
    members: int
    first_id: int
    seconds: float


class NoUnits(Exception):
    """There is no active grassroots union to place members in."""


@contextmanager
def _indexes_rebuilt_after(large: bool) -> Iterator[None]:
    """On PostgreSQL, for a large load: drop the secondary indexes, load, then build them again.

    Building a trigram index once over 12 million names takes about a minute; keeping it up to date
    row by row during the load takes many. Indexes that back a constraint (keys, unique) stay.
    """
    if not large or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "WHERE i.tablename IN ('members_person', 'members_membership') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit; an index cannot be built over pending checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)


@cache
def _folded(word: str) -> str:
    return fold(word)


def _code_serial(pk: int) -> int:
    """Member codes that look random but never repeat: a bijection of the id onto 0..10**10-1."""
    return (pk * 7_919_111) % 10**10


def members_generate(*, members: int, seed: int = 1, with_ids: bool = True) -> Generated:
    """Add `members` people to the active grassroots unions, spread evenly; ids follow the highest one."""
    started = time.perf_counter()
    units = list(
        Unit.objects.filter(type__code="grassroots_union", status="active").order_by("pk").values_list("pk", flat=True)
    )
    if not units:
        raise NoUnits
    provinces = sorted(identity.province_codes(dt.date(2025, 1, 1)))
    with transaction.atomic(), _indexes_rebuilt_after(members >= REBUILD_FROM):
        first_id = (Person.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        now = dt.datetime.now(dt.UTC)
        person_columns, person_rest = with_defaults(Person, PERSON_COLUMNS)
        membership_columns, membership_rest = with_defaults(Membership, MEMBERSHIP_COLUMNS)
        for start in range(0, members, CHUNK):
            people, memberships = _chunk(
                rng, first_id + start, min(CHUNK, members - start), units, provinces, now, with_ids
            )
            bulk_insert(Person, person_columns, (row + person_rest for row in people))
            bulk_insert(Membership, membership_columns, (row + membership_rest for row in memberships))
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Person]):
                cursor.execute(sql)
        record(
            actor=None,
            action="member.generate",
            after={"members": members, "seed": seed, "ids": [first_id, first_id + members - 1]},
            reason="Synthetic members for benchmarks",
        )
    analyze([Person, Membership])
    return Generated(members=members, first_id=first_id, seconds=time.perf_counter() - started)


def _chunk(
    rng: random.Random,
    first: int,
    count: int,
    units: list[int],
    provinces: list[str],
    now: dt.datetime,
    with_ids: bool,
) -> tuple[list[tuple], list[tuple]]:
    people = []
    memberships = []
    for pk in range(first, first + count):
        person, membership = _person(rng, pk, units, provinces, now, with_ids)
        people.append(person)
        memberships.append(membership)
    return people, memberships


def _person(
    rng: random.Random, pk: int, units: list[int], provinces: list[str], now: dt.datetime, with_ids: bool
) -> tuple[tuple, tuple]:
    female = rng.random() < 0.5
    surname = rng.choice(SURNAMES)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    full_name = f"{surname} {middle} {given}"
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(45 * 365))
    gender = Gender.FEMALE if female else Gender.MALE
    code = member_code_new(_code_serial(pk))
    phone = f"09{rng.randrange(10**8):08d}"
    search_name = f"{_folded(surname)} {_folded(middle)} {_folded(given)} {code.lower()} {phone}"
    kind = encrypted = hint = nationality = ""
    index = None
    if with_ids:
        province = provinces[(pk // TAILS) % len(provinces)]
        number = f"{province}{identity.century_gender_digit(born.year, gender)}{born.year % 100:02d}{pk % TAILS:06d}"
        kind, nationality = IdKind.CCCD, "VN"
        encrypted = fieldcrypto.encrypt(number, context=ID_CONTEXT)
        index = fieldcrypto.blind_index(identity.blind_index_input(kind, number), context=ID_CONTEXT)
        hint = identity.hint(number)
    person = (
        pk,
        full_name,
        search_name,
        born,
        gender,
        kind,
        encrypted,
        index,
        hint,
        nationality,
        "",
        "",
        "",
        phone,
        "",
        "",
        code,
        1,
        now,
        now,
    )
    joined = max(born + dt.timedelta(days=18 * 365), dt.date(2000, 1, 1)) + dt.timedelta(days=rng.randrange(3650))
    joined = min(joined, dt.date(2025, 6, 30))
    if rng.random() < ENDED_SHARE:
        ended = min(joined + dt.timedelta(days=rng.randrange(1, 2000)), dt.date(2025, 6, 30))
        state: tuple[str, str, dt.date | None] = (MembershipStatus.ENDED, EndReason.LEFT_JOB, ended)
    else:
        state = (MembershipStatus.ACTIVE, "", None)
    membership = (pk, units[pk % len(units)], joined, *state, 1, now, now)
    return person, membership


def sample_rows(*, rows: int, seed: int, unit_codes: list[str], start: int) -> Iterator[list[str]]:
    """Rows of a roster file (the import's English headers) for new people, numbered from `start`."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    provinces = sorted(identity.province_codes(dt.date(2025, 1, 1)))
    for i in range(start, start + rows):
        female = rng.random() < 0.5
        names = (SURNAMES, MIDDLE_FEMALE if female else MIDDLE_MALE, GIVEN_FEMALE if female else GIVEN_MALE)
        full_name = " ".join(rng.choice(words) for words in names)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(45 * 365))
        gender = Gender.FEMALE if female else Gender.MALE
        province = provinces[(i // TAILS) % len(provinces)]
        number = f"{province}{identity.century_gender_digit(born.year, gender)}{born.year % 100:02d}{i % TAILS:06d}"
        joined = max(born + dt.timedelta(days=18 * 365), dt.date(2000, 1, 1)) + dt.timedelta(days=rng.randrange(3650))
        yield [
            full_name,
            "Female" if female else "Male",
            born.strftime("%d/%m/%Y"),
            number,
            f"09{rng.randrange(10**8):08d}",
            unit_codes[i % len(unit_codes)],
            min(joined, dt.date(2025, 6, 30)).strftime("%d/%m/%Y"),
        ]


SAMPLE_HEADER = ["full name", "gender", "date of birth", "identity number", "phone", "unit code", "joined on"]
