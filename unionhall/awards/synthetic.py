"""Synthetic award history for the eligibility benchmark, written set-wise (COPY on PostgreSQL).

Into the grassroots unions of one province: people with one membership each (education levels,
some officers), `years` of awards ending with `last_year` (Lao động tiên tiến for about 60 % of
members each year, Chiến sĩ thi đua cơ sở for about 8 %, Đoàn viên công đoàn xuất sắc 15 %, and a
few of the rarer titles, prizes and medals), "Công đoàn cơ sở vững mạnh" for half of the unions,
recognised initiatives with two or three authors and their yearly benefit, and pledges in one
movement for the last year. The caller holds the transaction (the benchmark rolls it back).
"""

import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from unionhall.audit.recorder import record
from unionhall.core.bulk import analyze, bulk_insert, reserve_ids, with_defaults
from unionhall.core.scoping import subtree_q
from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit
from unionhall.members.codes import member_code_new
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.movements.models import Movement, Registration
from unionhall.orgunits.models import Unit

from .models import Award, AwardType, Decision

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hoa", "Lan", "Long", "Mai", "Nam", "Sơn", "Thảo", "Trang", "Yến")
EDUCATION = (
    ("upper_secondary", 0.30),
    ("vocational", 0.25),
    ("college", 0.15),
    ("university", 0.22),
    ("postgraduate", 0.03),
    ("lower_secondary", 0.04),
    ("", 0.01),
)
# Individual awards: (code, share of members each year, granted by the grassroots union?).
YEARLY = (
    ("lao_dong_tien_tien", 0.60, True),
    ("doan_vien_cong_doan_xuat_sac", 0.15, True),
    ("bang_lao_dong_sang_tao", 0.005, False),
    ("chien_si_thi_dua_tinh", 0.004, False),
)
CSTDCS = ("chien_si_thi_dua_co_so", 0.08)  # among that year's Lao động tiên tiến
ONCE = (("ky_niem_chuong", 0.01), ("giai_thuong_nguyen_duc_canh", 0.0005), ("giai_thuong_nguyen_van_linh", 0.0001))
STRONG_UNION = ("cong_doan_co_so_vung_manh", 0.5)
INITIATIVES_PER_PERSON_YEAR = 0.02
REGISTERED_SHARE = 0.7
CHUNK = 20_000


@dataclass
class History:
    """What was written, table by table."""

    province: Unit
    people: int
    units: int
    years: list[int]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class NoGrassroots(Exception):
    """The province holds no active grassroots union."""


def _code_serial(pk: int) -> int:
    """Member codes that look random but never repeat: a bijection of the id onto 0..10**10-1."""
    return (pk * 7_919_111) % 10**10


@transaction.atomic
def award_history_generate(*, province: Unit, people: int, years: int, last_year: int, seed: int = 1) -> History:
    """Write the synthetic members and their award and initiative history into `province`'s grassroots unions."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    unions = list(
        Unit.objects.filter(subtree_q("path", province.path), type__is_grassroots=True, status="active")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not unions:
        raise NoGrassroots(province.code)
    now = timezone.now()
    span = list(range(last_year - years + 1, last_year + 1))
    history = History(province=province, people=people, units=len(unions), years=span)
    kinds = dict(AwardType.objects.values_list("code", "pk"))

    person_ids = reserve_ids(Person, people)
    membership_ids = reserve_ids(Membership, people)
    union_of = {pk: unions[i % len(unions)] for i, pk in enumerate(person_ids)}
    members_of: dict[int, list[int]] = {}
    for pk, union in union_of.items():
        members_of.setdefault(union, []).append(pk)

    # ------------------------------------------------------------ people, memberships, officers
    person_columns, person_rest = with_defaults(
        Person,
        ["id", "full_name", "search_name", "date_of_birth", "gender", "education_level", "member_code"],
    )
    person_columns, person_rest = _with_times(Person, person_columns, person_rest, now)
    history.rows["people"] = bulk_insert(
        Person, person_columns, (row + person_rest for row in _people(rng, person_ids))
    )
    joined = {pk: _joined(rng, last_year) for pk in person_ids}
    membership_columns, membership_rest = with_defaults(Membership, ["id", "person_id", "unit_id", "join_date"])
    membership_columns, membership_rest = _with_times(Membership, membership_columns, membership_rest, now)
    membership_of = dict(zip(person_ids, membership_ids, strict=True))
    history.rows["memberships"] = bulk_insert(
        Membership,
        membership_columns,
        ((membership_of[pk], pk, union_of[pk], joined[pk], *membership_rest) for pk in person_ids),
    )
    terms = []
    for union in unions:
        members = members_of.get(union, [])
        for position, member in zip(("chair", "vice_chair"), members, strict=False):
            start = dt.date(rng.randrange(2000, last_year), 1, 1)
            terms.append((membership_of[member], position, rng.random() < 0.3, max(start, joined[member])))
        for member in members[2:]:
            if rng.random() < 0.04:
                start = dt.date(rng.randrange(2005, last_year + 1), rng.randrange(1, 13), 1)
                terms.append((membership_of[member], "executive_committee", False, max(start, joined[member])))
    term_columns, term_rest = with_defaults(OfficerTerm, ["membership_id", "position", "full_time", "term_start"])
    term_columns, term_rest = _with_times(OfficerTerm, term_columns, term_rest, now)
    history.rows["officer terms"] = bulk_insert(OfficerTerm, term_columns, (t + term_rest for t in terms))

    # ------------------------------------------------------------ awards and their decisions
    decisions: dict[tuple[int, int, int], int] = {}  # (type, granting unit, year) -> decision id
    awards: list[tuple[int, int, int | None, int | None, int, int]] = []  # type, decision, person, unit, awardee, year

    def decision(kind: int, granting: int, year: int) -> int:
        key = (kind, granting, year)
        if key not in decisions:
            decisions[key] = len(decisions)
        return decisions[key]

    for year in span:
        for code, share, grassroots in YEARLY:
            if code not in kinds:
                continue
            for pk in person_ids:
                if rng.random() < share:
                    granting = union_of[pk] if grassroots else province.pk
                    awards.append((kinds[code], decision(kinds[code], granting, year), pk, None, union_of[pk], year))
        advanced = kinds.get("lao_dong_tien_tien")
        if CSTDCS[0] in kinds and advanced is not None:
            holders = [a[2] for a in awards if a[0] == advanced and a[5] == year and a[2] is not None]
            for pk in holders:
                if rng.random() < CSTDCS[1] / 0.6:
                    kind = kinds[CSTDCS[0]]
                    awards.append((kind, decision(kind, union_of[pk], year), pk, None, union_of[pk], year))
        if STRONG_UNION[0] in kinds:
            kind = kinds[STRONG_UNION[0]]
            for union in unions:
                if rng.random() < STRONG_UNION[1]:
                    awards.append((kind, decision(kind, province.pk, year), None, union, union, year))
    for code, share in ONCE:
        if code not in kinds:
            continue
        for pk in person_ids:
            if rng.random() < share:
                year = rng.choice(span)
                awards.append((kinds[code], decision(kinds[code], province.pk, year), pk, None, union_of[pk], year))

    decision_ids = reserve_ids(Decision, len(decisions))
    decision_columns, decision_rest = with_defaults(
        Decision, ["id", "number", "signed_on", "signer", "granting_unit_id", "award_type_id"]
    )
    decision_columns, decision_rest = _with_times(Decision, decision_columns, decision_rest, now)
    history.rows["decisions"] = bulk_insert(
        Decision,
        decision_columns,
        (
            (
                decision_ids[index],
                f"{index + 1}/QĐ-TH",
                dt.date(year + 1, 1, 15),
                "Người ký",
                granting,
                kind,
                *decision_rest,
            )
            for (kind, granting, year), index in decisions.items()
        ),
    )
    award_columns, award_rest = with_defaults(
        Award, ["decision_id", "award_type_id", "person_id", "unit_id", "awardee_unit_id", "year"]
    )
    award_columns, award_rest = _with_times(Award, award_columns, award_rest, now)
    history.rows["awards"] = bulk_insert(
        Award,
        award_columns,
        (
            (decision_ids[index], kind, person, unit, awardee, year, *award_rest)
            for kind, index, person, unit, awardee, year in awards
        ),
    )

    # ------------------------------------------------------------ initiatives, authors, benefits
    initiatives: list[tuple[int, int, dt.date, str]] = []  # union, year, recognised on, level
    for year in span:
        for union in unions:
            members = members_of.get(union, [])
            expected = len(members) * INITIATIVES_PER_PERSON_YEAR
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _ in range(count):
                level = rng.choices(("grassroots", "provincial", "national"), (0.85, 0.13, 0.02))[0]
                initiatives.append((union, year, dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29)), level))
    initiative_ids = reserve_ids(Initiative, len(initiatives))
    initiative_columns, initiative_rest = with_defaults(
        Initiative,
        [
            "id",
            "unit_id",
            "title",
            "field",
            "first_applied_on",
            "status",
            "level",
            "recognised_on",
            "certificate_number",
        ],
    )
    initiative_columns, initiative_rest = _with_times(Initiative, initiative_columns, initiative_rest, now)
    history.rows["initiatives"] = bulk_insert(
        Initiative,
        initiative_columns,
        (
            (
                pk,
                union,
                f"Sáng kiến {pk}",
                "technical",
                on - dt.timedelta(days=90),
                "recognised",
                level,
                on,
                f"SK-{pk}",
                *initiative_rest,
            )
            for pk, (union, _year, on, level) in zip(initiative_ids, initiatives, strict=True)
        ),
    )
    authors: list[tuple[int, int, Decimal]] = []
    benefits: list[tuple[int, int, int, int]] = []
    for pk, (union, year, _on, _level) in zip(initiative_ids, initiatives, strict=True):
        members = members_of.get(union, [])
        chosen = rng.sample(members, min(len(members), rng.choice((1, 2, 2, 3))))
        shares = {1: (100,), 2: (60, 40), 3: (50, 30, 20)}[len(chosen)]
        authors.extend((pk, person, Decimal(share)) for person, share in zip(chosen, shares, strict=True))
        amount = int(rng.lognormvariate(17.5, 1.0)) // 1000 * 1000  # a median around 40 million VND
        for index, benefit_year in enumerate(range(year, min(year + 3, last_year + 1)), 1):
            benefits.append((pk, benefit_year, index, min(amount, 10**12)))
    history.rows["authors"] = bulk_insert(InitiativeAuthor, ["initiative_id", "person_id", "share"], authors)
    benefit_columns, benefit_rest = with_defaults(
        InitiativeBenefit, ["initiative_id", "year", "year_index", "amount_vnd"]
    )
    benefit_columns, benefit_rest = _with_times(InitiativeBenefit, benefit_columns, benefit_rest, now)
    history.rows["benefits"] = bulk_insert(InitiativeBenefit, benefit_columns, (b + benefit_rest for b in benefits))

    # ------------------------------------------------------------ pledges for the last year
    movement = Movement.objects.create(
        code=f"bench-eligibility-{province.pk}-{seed}-{Movement.objects.count() + 1}",
        title="Lao động giỏi, Lao động sáng tạo (dữ liệu tổng hợp)",
        kind="regular",
        launcher=province,
        start_date=dt.date(span[0], 1, 1),
    )
    registration_columns, registration_rest = with_defaults(
        Registration, ["movement_id", "unit_id", "person_id", "year", "titles", "registered_on"]
    )
    registration_columns, registration_rest = _with_times(Registration, registration_columns, registration_rest, now)
    history.rows["registrations"] = bulk_insert(
        Registration,
        registration_columns,
        (
            (movement.pk, union_of[pk], pk, last_year, "[]", dt.date(last_year, 2, 1), *registration_rest)
            for pk in person_ids
            if rng.random() < REGISTERED_SHARE
        ),
    )
    record(
        actor=None,
        action="award_history.generate",
        obj=province,
        after={"people": people, "years": span, **history.rows},
        reason="Synthetic award history for benchmarks",
    )
    analyze(
        [
            Person,
            Membership,
            OfficerTerm,
            Decision,
            Award,
            Initiative,
            InitiativeAuthor,
            InitiativeBenefit,
            Registration,
        ]
    )
    history.seconds = time.perf_counter() - started
    return history


def _with_times(model: Any, columns: list[str], rest: tuple, now: dt.datetime) -> tuple[list[str], tuple]:
    """The creation and update times set to `now` (their fields have no default to fall back on)."""
    values = list(rest)
    for name in ("created_at", "updated_at"):
        if name in columns:
            values[columns.index(name) - (len(columns) - len(rest))] = now
    return columns, tuple(values)


def _people(rng: random.Random, ids: list[int]) -> Iterator[tuple]:
    levels, weights = zip(*EDUCATION, strict=True)
    for pk in ids:
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        female = rng.random() < 0.5
        name = f"{surname} {'Thị' if female else 'Văn'} {given}"
        code = member_code_new(_code_serial(pk))
        yield (
            pk,
            name,
            f"{name.lower()} {code.lower()}",
            dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365)),
            "female" if female else "male",
            rng.choices(levels, weights)[0],
            code,
        )


def _joined(rng: random.Random, last_year: int) -> dt.date:
    """Most joined years ago; a few during the last year (fewer than ten months by its end)."""
    if rng.random() < 0.03:
        return dt.date(last_year, rng.randrange(4, 13), 1)
    return dt.date(rng.randrange(2000, last_year), rng.randrange(1, 13), rng.randrange(1, 29))
