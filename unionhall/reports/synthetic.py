"""Synthetic records for the period-report benchmark, written set-wise (COPY on PostgreSQL) into an existing tree.

`unionhall generate --initiatives N --activities N --attendance M --awards N --dialogues N` spreads them over the
active units (90 % grassroots unions, skewed so a few are large; the rest upper units), mostly in
2023–2025 with some from 2020–2022:

- initiatives through their lifecycle (draft, submitted, accepted, recognised, rejected), with a
  benefit row per year of application for the recognised ones;
- held activities of the seeded general kinds (a few planned or cancelled), about 5 % organised
  together by two neighbouring units and 1 % serving a joint programme of their province; 60 % keep
  a roster (members of the unit first, then guests by name) holding the `attendance` rows, the others
  counted headcounts by category;
- awards of the union's titles to members and to grassroots unions, grouped in decisions of the
  granting unit (the grassroots union or the province) signed early in the year after the
  achievement year, with the rule's bonus; a few revoked;
- an employer beside every grassroots union, and periodic dialogues held at them (at most one a year
  each, 2021–2025), so that some employers are overdue on any day.

Every model constraint holds (dates in order, one active award per awardee, type and year, ...).
One summary audit entry records each run; the roll-ups are rebuilt afterwards (`report refresh --full`).
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from unionhall.activities.choices import ActivityStatus, AttendanceMode, CheckInMethod, KindRole, ParticipantCategory
from unionhall.activities.models import Activity, ActivityKind, ActivityOrganiser, Attendee, Headcount
from unionhall.audit.recorder import record
from unionhall.awards.choices import Recipient, RevocationReason
from unionhall.awards.models import Award, AwardRule, AwardType, BaseSalary, Decision
from unionhall.core.bulk import analyze, bulk_insert, reserve_ids
from unionhall.core.text import fold
from unionhall.democracy.models import Dialogue
from unionhall.initiatives.choices import Field, Level, Status
from unionhall.initiatives.models import Initiative, InitiativeBenefit
from unionhall.members.models import Membership, Person
from unionhall.members.synthetic import GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE, SURNAMES
from unionhall.orgunits.models import Unit
from unionhall.orgunits.paths import SEGMENT
from unionhall.orgunits.synthetic import employers_generate
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme, ProgrammeParty

CHUNK = 50_000
# The years records fall in, and how many of them each year holds (most in the 2023–2025 congress term).
YEAR_WEIGHTS = {2020: 0.07, 2021: 0.09, 2022: 0.12, 2023: 0.22, 2024: 0.25, 2025: 0.25}
LAST_DAY = dt.date(2025, 12, 31)
UPPER_SHARE = 0.10
SHARED_SHARE = 0.05
PROGRAMME_SHARE = 0.01
ROSTER_SHARE = 0.60
MEMBER_ATTENDEE_SHARE = 0.8
CANCELLED_SHARE = 0.02
PLANNED_SHARE = 0.01
REVOKED_SHARE = 0.003
# Members sampled once to fill rosters and receive awards (a full 12 M list would not fit in memory).
MEMBER_SAMPLE = 600_000
# Initiatives by status (recognised most), and recognised ones by level.
INITIATIVE_STATUSES = (
    (Status.RECOGNISED, 0.68),
    (Status.SUBMITTED, 0.08),
    (Status.ACCEPTED, 0.07),
    (Status.REJECTED, 0.07),
    (Status.NEEDS_AMENDMENT, 0.03),
    (Status.DRAFT, 0.07),
)
LEVELS = ((Level.GRASSROOTS, 0.85), (Level.PROVINCIAL, 0.13), (Level.NATIONAL, 0.02))
# Awards by type code: (share of awards, granted by the awardee's grassroots union (else its province)).
AWARD_MIX = (
    ("lao_dong_tien_tien", 0.58, True),
    ("doan_vien_cong_doan_xuat_sac", 0.15, True),
    ("chien_si_thi_dua_co_so", 0.08, True),
    ("cong_doan_co_so_vung_manh", 0.12, False),
    ("chien_si_thi_dua_tinh", 0.04, False),
    ("bang_lao_dong_sang_tao", 0.03, False),
)
DEFAULT_BASE_SALARY = 2_340_000
CATEGORY_WEIGHTS = (
    (ParticipantCategory.WORKER, 0.6),
    (ParticipantCategory.CITIZEN, 0.3),
    (ParticipantCategory.OFFICIAL, 0.1),
)


@dataclass
class Generated:
    """What one generator wrote, table by table."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def describe(self) -> str:
        return ", ".join(f"{n:,} {name}" for name, n in self.rows.items())


class NoUnits(Exception):
    """There is no active grassroots union to place records in."""


@dataclass
class Places:
    """The active units records go to, with their paths; grassroots unions by id."""

    grassroots: list[int]
    upper: list[int]
    paths: dict[int, str]
    index: dict[int, int] = field(default_factory=dict)

    def pick(self, rng: random.Random) -> int:
        """A unit, skewed: a few grassroots unions hold many records; one in ten goes to an upper unit."""
        if self.upper and rng.random() < UPPER_SHARE:
            return self.upper[int(len(self.upper) * rng.random() ** 1.5)]
        return self.grassroots[int(len(self.grassroots) * rng.random() ** 1.5)]

    def neighbour(self, unit: int) -> int:
        """Another grassroots union next to `unit` by id (often under the same parent in a generated tree)."""
        position = self.index.get(unit)
        if position is None:
            return self.grassroots[0] if self.grassroots[0] != unit else self.grassroots[-1]
        return self.grassroots[(position + 1) % len(self.grassroots)]

    def province(self, unit: int) -> int | None:
        """The unit's ancestor at depth 1 (a province or national sector union); None for the root or unknown."""
        path = self.paths.get(unit, "")
        return int(path[SEGMENT : 2 * SEGMENT], 36) if len(path) >= 2 * SEGMENT else None


def places() -> Places:
    rows = Unit.objects.filter(status="active", type__is_partner=False).values_list("pk", "path", "type__is_grassroots")
    paths: dict[int, str] = {}
    grassroots, upper = [], []
    for pk, path, is_grassroots in rows.order_by("pk").iterator(chunk_size=20_000):
        paths[pk] = path
        depth = len(path) // SEGMENT - 1
        if is_grassroots:
            grassroots.append(pk)
        elif 1 <= depth <= 2:
            upper.append(pk)
    if len(grassroots) < 2:
        raise NoUnits
    return Places(grassroots=grassroots, upper=upper, paths=paths, index={u: i for i, u in enumerate(grassroots)})


def _weighted[T](rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


_YEARS = tuple(YEAR_WEIGHTS)
_YEAR_WEIGHTS = tuple(YEAR_WEIGHTS.values())


def _day(rng: random.Random) -> dt.date:
    year = rng.choices(_YEARS, _YEAR_WEIGHTS)[0]
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _not_after_last(day: dt.date) -> dt.date:
    return min(day, LAST_DAY)


# ---------------------------------------------------------------- initiatives

INITIATIVE_COLUMNS = (
    "id",
    "unit_id",
    "title",
    "field",
    "description",
    "first_applied_on",
    "requested_on",
    "estimated_benefit_vnd",
    "state_funded",
    "status",
    "examined_on",
    "amendment_requested_on",
    "amendment_note",
    "decided_on",
    "level",
    "recognised_on",
    "certificate_number",
    "decision_note",
    "version",
    "created_at",
    "updated_at",
)
BENEFIT_COLUMNS = ("initiative_id", "year", "year_index", "amount_vnd", "note", "created_at", "updated_at")
FIELDS = tuple(Field.values)


@transaction.atomic
def initiatives_generate(*, initiatives: int, seed: int = 1) -> Generated:
    """Add `initiatives` initiatives (and the benefit of the recognised ones) to the active units."""
    started = time.perf_counter()
    where = places()
    rng = random.Random(seed * 7 + 1)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    out = Generated(rows={"initiatives": 0, "benefit rows": 0})
    for start in range(0, initiatives, CHUNK):
        ids = reserve_ids(Initiative, min(CHUNK, initiatives - start))
        rows, benefits = [], []
        for pk in ids:
            row, benefit = _initiative(rng, pk, where.pick(rng), now)
            rows.append(row)
            benefits.extend(benefit)
        out.rows["initiatives"] += bulk_insert(Initiative, INITIATIVE_COLUMNS, rows)
        out.rows["benefit rows"] += bulk_insert(InitiativeBenefit, BENEFIT_COLUMNS, benefits)
    record(actor=None, action="initiative.generate", after=out.rows, reason="Synthetic initiatives for benchmarks")
    analyze([Initiative, InitiativeBenefit])
    out.seconds = time.perf_counter() - started
    return out


def _initiative(rng: random.Random, pk: int, unit: int, now: dt.datetime) -> tuple[tuple, list[tuple]]:
    status = _weighted(rng, INITIATIVE_STATUSES)
    applied = _day(rng)
    requested = examined = amendment = decided = recognised = level = None
    certificate = ""
    if status != Status.DRAFT:
        requested = _not_after_last(applied + dt.timedelta(days=rng.randrange(10, 180)))
    if status == Status.NEEDS_AMENDMENT and requested is not None:
        amendment = examined = _not_after_last(requested + dt.timedelta(days=rng.randrange(5, 30)))
    if status in (Status.ACCEPTED, Status.RECOGNISED, Status.REJECTED) and requested is not None:
        examined = _not_after_last(requested + dt.timedelta(days=rng.randrange(5, 30)))
    if status in (Status.RECOGNISED, Status.REJECTED) and examined is not None:
        decided = _not_after_last(examined + dt.timedelta(days=rng.randrange(10, 90)))
    if status == Status.RECOGNISED:
        recognised = decided
        level = _weighted(rng, LEVELS)
        certificate = f"SK-{pk}"
    estimate = int(10 ** rng.uniform(6, 9)) // 1000 * 1000  # log-uniform, 1 million to 1 billion VND
    row = (
        pk,
        unit,
        f"Sáng kiến cải tiến số {pk}",
        rng.choice(FIELDS),
        "",
        applied,
        requested,
        estimate,
        False,
        status,
        examined,
        amendment,
        "Bổ sung số liệu hiệu quả" if amendment else "",
        decided,
        level,
        recognised,
        certificate,
        "",
        1,
        now,
        now,
    )
    benefits = []
    if recognised is not None:
        amount = int(10 ** rng.uniform(6, 9)) // 1000 * 1000
        for index, year in enumerate(range(applied.year, min(applied.year + 3, LAST_DAY.year + 1)), 1):
            benefits.append((pk, year, index, amount, "", now, now))
    return row, benefits


# ---------------------------------------------------------------- activities and attendance

ACTIVITY_COLUMNS = (
    "id",
    "kind_id",
    "unit_id",
    "reference",
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "movement_id",
    "programme_id",
    "chair",
    "agenda",
    "status",
    "attendance_mode",
    "planned_participants",
    "participants",
    "women",
    "version",
    "created_at",
    "updated_at",
)
ATTENDEE_COLUMNS = (
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
HEADCOUNT_COLUMNS = ("activity_id", "category", "total", "women")
MEMBER_METHODS = (CheckInMethod.QR, CheckInMethod.CODE, CheckInMethod.LIST)


@dataclass(frozen=True)
class MemberSample:
    """Members (person, unit, gender) drawn evenly from the open memberships, by unit too."""

    people: list[tuple[int, int, str]]
    by_unit: dict[int, list[tuple[int, int, str]]]


def member_sample(limit: int = MEMBER_SAMPLE) -> MemberSample:
    """About `limit` open memberships taken evenly by id (one scan; no ORDER BY random())."""
    highest = Membership.objects.aggregate(m=Max("id"))["m"] or 0
    step = max(1, highest // limit)
    table = connection.ops.quote_name(Membership._meta.db_table)
    people_table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.person_id, m.unit_id, p.gender FROM {table} m JOIN {people_table} p ON p.id = m.person_id "  # noqa: S608
            "WHERE m.end_date IS NULL AND m.id %% %s = 0 ORDER BY m.id LIMIT %s",
            [step, limit],
        )
        people = [(pk, unit, gender) for pk, unit, gender in cursor.fetchall()]
    by_unit: dict[int, list[tuple[int, int, str]]] = {}
    for person in people:
        by_unit.setdefault(person[1], []).append(person)
    return MemberSample(people=people, by_unit=by_unit)


def _programmes(where: Places, seed: int, now: dt.datetime) -> dict[int, int]:
    """A joint programme per province (2020–2026), its parties the province and its first lower unit."""
    provinces = sorted({p for p in (where.province(u) for u in where.grassroots) if p is not None})
    first_below: dict[int, int] = {}
    for unit in where.upper:
        province = where.province(unit)
        if province is not None and unit != province:
            first_below.setdefault(province, unit)
    out: dict[int, int] = {}
    for province in provinces:
        programme = Programme.objects.create(
            code=f"gen-{seed}-{province}-{Programme.objects.count() + 1}",
            title="Chương trình phối hợp tuyên truyền pháp luật (dữ liệu tổng hợp)",
            owner_id=province,
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        parties = [ProgrammeParty(programme=programme, unit_id=province, role=PartyRole.LEAD)]
        if province in first_below:
            parties.append(ProgrammeParty(programme=programme, unit_id=first_below[province], role=PartyRole.PARTNER))
        ProgrammeParty.objects.bulk_create(parties)
        out[province] = programme.pk
    return out


@cache
def _folded(text: str) -> str:
    return fold(text)


def _guest(rng: random.Random, number: int) -> tuple[str, str, str, str]:
    """A non-member's name, phone, roster key and gender; `number` makes the phone unique in the activity."""
    female = rng.random() < 0.5
    surname = rng.choice(SURNAMES)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    name = f"{surname} {middle} {given}"
    phone = f"09{rng.randrange(100):02d}{number:06d}"
    key = f"g:{_folded(surname)} {_folded(middle)} {_folded(given)}:{phone}"
    return name, phone, key, "female" if female else "male"


def _roster_sizes(rng: random.Random, count: int, total: int) -> list[int]:
    """`count` roster sizes summing to `total`, varied (0.2× to 1.8× the mean)."""
    if count == 0:
        return []
    weights = [rng.uniform(0.2, 1.8) for _ in range(count)]
    scale = total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % count] += 1
    return sizes


@transaction.atomic
def activities_generate(*, activities: int, attendance: int = 0, seed: int = 1) -> Generated:
    """Add `activities` activities with `attendance` roster rows in all (and headcounts for the counted ones)."""
    started = time.perf_counter()
    where = places()
    rng = random.Random(seed * 7 + 2)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    kinds = list(
        ActivityKind.objects.filter(role=KindRole.GENERAL, active=True).order_by("rank").values_list("pk", "name_vi")
    )
    sample = member_sample() if attendance else MemberSample([], {})
    programmes = _programmes(where, seed, now)
    statuses = [_status(rng) for _ in range(activities)]
    # Only held activities have a roster; the attendance rows are shared among those.
    rosters = [status == ActivityStatus.HELD and rng.random() < ROSTER_SHARE for status in statuses]
    if attendance and not any(rosters):
        raise NoUnits
    sizes = iter(_roster_sizes(rng, sum(rosters), attendance))
    out = Generated(
        rows={"activities": 0, "organiser rows": 0, "attendance rows": 0, "headcounts": 0, "joint programmes": 0}
    )
    out.rows["joint programmes"] = len(programmes)
    for start in range(0, activities, CHUNK):
        ids = reserve_ids(Activity, min(CHUNK, activities - start))
        rows: list[tuple] = []
        organisers: list[tuple] = []
        attendees: list[tuple] = []
        headcounts: list[tuple] = []
        for offset, pk in enumerate(ids):
            unit = where.pick(rng)
            kind, kind_name = rng.choice(kinds)
            day = _day(rng)
            starts = dt.datetime(day.year, day.month, day.day, rng.randrange(1, 10), 0, tzinfo=dt.UTC)
            status = statuses[start + offset]
            roster = rosters[start + offset]
            participants = women = 0
            if roster:
                people = _roster(rng, pk, unit, next(sizes), sample, starts)
                attendees.extend(people)
                participants, women = len(people), sum(1 for p in people if p[7] == "female")
            else:
                for category in rng.sample([c for c, _w in CATEGORY_WEIGHTS] + [ParticipantCategory.MEMBER], 2):
                    total = rng.randrange(10, 300)
                    female = rng.randrange(0, total + 1)
                    if status == ActivityStatus.HELD:
                        headcounts.append((pk, category, total, female))
                        participants += total
                        women += female
            programme = None
            if rng.random() < PROGRAMME_SHARE:
                province = where.province(unit)
                programme = programmes.get(province) if province is not None else None
            organisers.append((pk, unit))
            if rng.random() < SHARED_SHARE:
                organisers.append((pk, where.neighbour(unit)))
            rows.append(
                (
                    pk,
                    kind,
                    unit,
                    "",
                    f"{kind_name} ({pk})",
                    "",
                    starts,
                    starts + dt.timedelta(hours=2),
                    "Hội trường",
                    None,
                    programme,
                    "",
                    "",
                    status,
                    AttendanceMode.ROSTER if roster or status != ActivityStatus.HELD else AttendanceMode.COUNTED,
                    None,
                    participants,
                    women,
                    1,
                    now,
                    now,
                )
            )
        out.rows["activities"] += bulk_insert(Activity, ACTIVITY_COLUMNS, rows)
        out.rows["organiser rows"] += bulk_insert(ActivityOrganiser, ("activity_id", "unit_id"), set(organisers))
        out.rows["attendance rows"] += bulk_insert(Attendee, ATTENDEE_COLUMNS, attendees)
        out.rows["headcounts"] += bulk_insert(Headcount, HEADCOUNT_COLUMNS, headcounts)
    record(actor=None, action="activity.generate", after=out.rows, reason="Synthetic activities for benchmarks")
    analyze([Activity, ActivityOrganiser, Attendee, Headcount])
    out.seconds = time.perf_counter() - started
    return out


def _status(rng: random.Random) -> str:
    luck = rng.random()
    if luck < CANCELLED_SHARE:
        return ActivityStatus.CANCELLED
    if luck < CANCELLED_SHARE + PLANNED_SHARE:
        return ActivityStatus.PLANNED
    return ActivityStatus.HELD


def _roster(
    rng: random.Random, activity: int, unit: int, size: int, sample: MemberSample, starts: dt.datetime
) -> list[tuple]:
    """`size` distinct attendees: members of the unit first, then other sampled members, then guests."""
    wanted_members = round(size * MEMBER_ATTENDEE_SHARE) if sample.people else 0
    own = sample.by_unit.get(unit, [])
    chosen = rng.sample(own, min(len(own), wanted_members))
    if len(chosen) < wanted_members:
        seen = {p[0] for p in chosen}
        extra = rng.sample(sample.people, min(len(sample.people), wanted_members - len(chosen) + 5))
        chosen.extend(p for p in extra if p[0] not in seen)
        chosen = chosen[:wanted_members]
    rows: list[tuple] = []
    for minute, (person, person_unit, gender) in enumerate(chosen):
        rows.append(
            (
                activity,
                f"m:{person}",
                person,
                person_unit,
                "",
                "",
                ParticipantCategory.MEMBER,
                gender,
                rng.choice(MEMBER_METHODS),
                starts + dt.timedelta(seconds=minute),
                None,
            )
        )
    for number in range(size - len(chosen)):
        name, phone, key, gender = _guest(rng, number)
        rows.append(
            (
                activity,
                key,
                None,
                None,
                name,
                phone,
                _weighted(rng, CATEGORY_WEIGHTS),
                gender,
                CheckInMethod.NAME,
                starts + dt.timedelta(seconds=len(chosen) + number),
                None,
            )
        )
    return rows


# ---------------------------------------------------------------- awards

DECISION_COLUMNS = (
    "id",
    "number",
    "signed_on",
    "signer",
    "granting_unit_id",
    "award_type_id",
    "rule_id",
    "movement_id",
    "base_salary_vnd",
    "quota_override",
    "quota_justification",
    "note",
    "created_at",
)
AWARD_COLUMNS = (
    "decision_id",
    "award_type_id",
    "person_id",
    "unit_id",
    "awardee_unit_id",
    "year",
    "nomination_id",
    "bonus_vnd",
    "revoked_on",
    "revocation_reason",
    "revocation_note",
    "recovered_vnd",
    "created_at",
)


def _bonuses(types: dict[str, tuple[int, str]]) -> tuple[int, dict[int, tuple[int | None, Decimal, Decimal]]]:
    """The base salary in force and, per award type, its current rule, individual and collective multiples."""
    salary = BaseSalary.objects.order_by("-valid_from").values_list("amount_vnd", flat=True).first()
    rules: dict[int, tuple[int | None, Decimal, Decimal]] = {}
    type_ids = [pk for pk, _recipient in types.values()]
    for rule in AwardRule.objects.filter(award_type_id__in=type_ids).order_by("award_type_id", "valid_from"):
        collective = rule.collective_multiple if rule.collective_multiple is not None else rule.bonus_multiple
        rules[rule.award_type_id] = (rule.pk, rule.bonus_multiple, collective)
    return salary or DEFAULT_BASE_SALARY, rules


@transaction.atomic
def awards_generate(*, awards: int, seed: int = 1) -> Generated:
    """Add `awards` awards to sampled members and grassroots unions, in decisions of their granting units."""
    started = time.perf_counter()
    where = places()
    rng = random.Random(seed * 7 + 3)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    types = {
        code: (pk, recipient)
        for code, pk, recipient in AwardType.objects.filter(code__in=[m[0] for m in AWARD_MIX]).values_list(
            "code", "pk", "recipient"
        )
    }
    mix = tuple((code, share, grassroots) for code, share, grassroots in AWARD_MIX if code in types)
    if not mix:
        raise NoUnits
    salary, rules = _bonuses(types)
    sample = member_sample()
    used: set[tuple[int, int, int]] = set()  # (type, awardee, year): one active award each
    decisions: dict[tuple[int, int, int], int] = {}  # (type, granting unit, year) -> index
    planned: list[tuple[int, int, int | None, int | None, int, int, int]] = []
    achievement_years = [y - 1 for y in _YEARS]
    attempts = 0
    while len(planned) < awards and attempts < awards * 4:
        attempts += 1
        code, _share, by_grassroots = rng.choices(mix, [m[1] for m in mix])[0]
        kind, recipient = types[code]
        year = rng.choices(achievement_years, _YEAR_WEIGHTS)[0]
        if recipient == Recipient.COLLECTIVE:
            unit = where.grassroots[int(len(where.grassroots) * rng.random() ** 1.5)]
            person, awardee_unit, holder = None, unit, unit
        else:
            if not sample.people:
                continue
            person_id, awardee_unit, _gender = sample.people[rng.randrange(len(sample.people))]
            person, unit, holder = person_id, None, person_id
        if (kind, holder if recipient == Recipient.COLLECTIVE else -holder, year) in used:
            continue
        used.add((kind, holder if recipient == Recipient.COLLECTIVE else -holder, year))
        granting = awardee_unit if by_grassroots else (where.province(awardee_unit) or awardee_unit)
        key = (kind, granting, year)
        index = decisions.setdefault(key, len(decisions))
        planned.append((kind, index, person, unit, awardee_unit, year, granting))
    decision_ids = reserve_ids(Decision, len(decisions))
    decision_rows = []
    signed: dict[int, dt.date] = {}
    for (kind, granting, year), index in decisions.items():
        day = dt.date(year + 1, 1, 10) + dt.timedelta(days=index % 90)
        signed[index] = day
        rule = rules.get(kind)
        decision_rows.append(
            (
                decision_ids[index],
                f"{decision_ids[index]}/QĐ-KT",
                day,
                "Chủ tịch",
                granting,
                kind,
                rule[0] if rule else None,
                None,
                salary,
                False,
                "",
                "",
                now,
            )
        )
    out = Generated(rows={"decisions": 0, "awards": 0, "revoked": 0})
    out.rows["decisions"] = bulk_insert(Decision, DECISION_COLUMNS, decision_rows)
    award_rows = []
    for kind, index, person, unit, awardee_unit, year, _granting in planned:
        rule = rules.get(kind)
        multiple = (rule[2] if unit is not None else rule[1]) if rule else Decimal(0)
        bonus = int(multiple * salary) // 1000 * 1000
        revoked = rng.random() < REVOKED_SHARE
        if revoked:
            out.rows["revoked"] += 1
        award_rows.append(
            (
                decision_ids[index],
                kind,
                person,
                unit,
                awardee_unit,
                year,
                None,
                bonus,
                signed[index] + dt.timedelta(days=120) if revoked else None,
                RevocationReason.CRITERIA_NOT_MET if revoked else "",
                "",
                None,
                now,
            )
        )
    for start in range(0, len(award_rows), CHUNK):
        out.rows["awards"] += bulk_insert(Award, AWARD_COLUMNS, award_rows[start : start + CHUNK])
    record(actor=None, action="award.generate", after=out.rows, reason="Synthetic awards for benchmarks")
    analyze([Decision, Award])
    out.seconds = time.perf_counter() - started
    return out


# ---------------------------------------------------------------- employers and their periodic dialogues

DIALOGUE_YEARS = (2021, 2022, 2023, 2024, 2025)
DIALOGUE_COLUMNS = (
    "activity_id",
    "employer_id",
    "trigger",
    "trigger_article",
    "held_on",
    "headcount",
    "employer_side",
    "employer_side_women",
    "legal_representative_present",
    "employee_side",
    "employee_side_women",
    "agreements",
    "published_on",
    "composition_issues",
    "composition_confirmed_by",
    "composition_confirmed_at",
)


@transaction.atomic
def dialogues_generate(*, dialogues: int, seed: int = 1) -> Generated:
    """Give the active grassroots unions an employer each where they have none, then hold `dialogues` periodic
    dialogues at the employers (as the union's activity): at most one a year, 2021–2025, in employer-years
    drawn at random, so that at any day some employers are up to date and some overdue."""
    started = time.perf_counter()
    employers = employers_generate(seed=seed)
    unions = list(
        Unit.objects.filter(type__is_grassroots=True, status="active", employer__isnull=False)
        .order_by("pk")
        .values_list("pk", "employer_id")
    )
    if not unions:
        raise NoUnits
    rng = random.Random(seed * 7 + 6)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    kind, kind_name = ActivityKind.objects.filter(role=KindRole.WORKPLACE_DIALOGUE).values_list("pk", "name_vi")[0]
    slots = rng.sample(range(len(unions) * len(DIALOGUE_YEARS)), min(dialogues, len(unions) * len(DIALOGUE_YEARS)))
    out = Generated(rows={"employers": employers.count, "dialogues": 0, "organiser rows": 0})
    for start in range(0, len(slots), CHUNK):
        chunk = slots[start : start + CHUNK]
        ids = reserve_ids(Activity, len(chunk))
        rows, organisers, records = [], [], []
        for pk, slot in zip(ids, chunk, strict=True):
            union, employer = unions[slot // len(DIALOGUE_YEARS)]
            year = DIALOGUE_YEARS[slot % len(DIALOGUE_YEARS)]
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            starts = dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC)  # 09:00 in Vietnam
            rows.append(
                (
                    pk,
                    kind,
                    union,
                    "",
                    f"{kind_name} ({pk})",
                    "",
                    starts,
                    starts + dt.timedelta(hours=2),
                    "Phòng họp công ty",
                    None,
                    None,
                    "",
                    "",
                    ActivityStatus.HELD,
                    AttendanceMode.COUNTED,
                    None,
                    0,
                    0,
                    1,
                    now,
                    now,
                )
            )
            organisers.append((pk, union))
            records.append((pk, employer, "periodic", "", day, 120, 3, 1, True, 5, 2, "", None, "[]", None, None))
        out.rows["dialogues"] += bulk_insert(Activity, ACTIVITY_COLUMNS, rows)
        out.rows["organiser rows"] += bulk_insert(ActivityOrganiser, ("activity_id", "unit_id"), organisers)
        bulk_insert(Dialogue, DIALOGUE_COLUMNS, records)
    record(actor=None, action="dialogue.generate", after=out.rows, reason="Synthetic dialogues for benchmarks")
    analyze([Activity, ActivityOrganiser, Dialogue])
    out.seconds = time.perf_counter() - started
    return out
