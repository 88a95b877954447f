"""The eligibility engine: each criterion with exact outcomes and figures, combinators, the rule by date,
the checks always added (already awarded, nominated, quota), and a query count independent of the set size."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from unionhall.awards.eligibility import FAIL, PASS, REVIEW, Verdict, evaluate, judgement_day, rule_for
from unionhall.awards.models import Award, AwardRule, AwardType, Decision, Nomination
from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.movements.models import Movement, Registration
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 3, 15)
YEAR = 2024
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- set-up helpers (shared with test_batch*)


def person(unit: Unit, name: str = "Nguyễn Văn An", *, joined=dt.date(2020, 3, 1), ended=None, **extra) -> Person:
    """A person with one membership, written directly (the engine only reads)."""
    n = next(_serial)
    someone = Person.objects.create(
        full_name=name,
        search_name=f"{name.lower()} {n}",
        gender="male",
        member_code=f"{90000000000 + n}",
        **extra,
    )
    if ended is None:
        Membership.objects.create(person=someone, unit=unit, join_date=joined)
    else:
        Membership.objects.create(
            person=someone, unit=unit, join_date=joined, status="ended", end_reason="left_job", end_date=ended
        )
    return someone


def award_type(code: str = "t_title", *, en: str = "Test Title", recipient: str = "individual", **extra) -> AwardType:
    values = {"name_vi": en, "name_en": en, "kind": "title", "system": "state", "recurrence": "annual", "rank": 90}
    values.update(extra)
    return AwardType.objects.create(code=code, recipient=recipient, **values)


def rule(kind: AwardType, criteria: list, *, valid_from=dt.date(2000, 1, 1), **extra) -> AwardRule:
    return AwardRule.objects.create(
        award_type=kind, valid_from=valid_from, legal_basis="Test", criteria=criteria, **extra
    )


def give(
    kind: AwardType | str,
    year: int,
    *,
    to: Person | Unit,
    granting: Unit,
    at: Unit | None = None,
    revoked: bool = False,
    number: str | None = None,
) -> Award:
    """An award (with its own decision), written directly."""
    kind = kind if isinstance(kind, AwardType) else AwardType.objects.get(code=kind)
    decision = Decision.objects.create(
        number=number or f"{next(_serial)}/QĐ",
        signed_on=dt.date(year + 1, 1, 15),
        signer="Trần Văn Ký",
        granting_unit=granting,
        award_type=kind,
    )
    is_person = isinstance(to, Person)
    awardee_unit = at or (to.memberships.first().unit if is_person else to)
    extra = {"revoked_on": dt.date(year + 1, 6, 1), "revocation_reason": "fraud"} if revoked else {}
    return Award.objects.create(
        decision=decision,
        award_type=kind,
        person=to if is_person else None,
        unit=None if is_person else to,
        awardee_unit=awardee_unit,
        year=year,
        **extra,
    )


def recognised(
    unit: Unit,
    authors: dict[Person, int],
    *,
    level: str = "grassroots",
    on=dt.date(2024, 6, 1),
    benefits: dict[int, int] | None = None,
    status: str = "recognised",
) -> Initiative:
    n = next(_serial)
    done = status == "recognised"
    item = Initiative.objects.create(
        unit=unit,
        title=f"Sáng kiến {n}",
        field="technical",
        first_applied_on=dt.date(2020, 1, 10),
        status=status,
        level=level if done else None,
        recognised_on=on if done else None,
        certificate_number=f"SK-{n}" if done else "",
    )
    for author, share in authors.items():
        InitiativeAuthor.objects.create(initiative=item, person=author, share=Decimal(share))
    for index, (year, amount) in enumerate(sorted((benefits or {}).items()), 1):
        InitiativeBenefit.objects.create(initiative=item, year=year, year_index=index, amount_vnd=amount)
    return item


def one(kind: AwardType, who, *, year: int = YEAR, today: dt.date = TODAY, **extra) -> Verdict:
    if isinstance(who, Unit):
        return evaluate(award_type=kind, year=year, units=[who], today=today, **extra)[who.pk]
    return evaluate(award_type=kind, year=year, people=[who], today=today, **extra)[who.pk]


def lines(verdict: Verdict) -> list[tuple[str, str, str]]:
    return [(r.code, r.outcome, r.message) for r in verdict.reasons]


def first(verdict: Verdict) -> tuple[str, str]:
    reason = verdict.reasons[0]
    return reason.outcome, reason.message


@pytest.fixture
def title(db) -> AwardType:
    return award_type()


@pytest.fixture
def advanced(db) -> AwardType:
    """Lao động tiên tiến of the seeded catalogue (English name "Advanced Worker")."""
    return AwardType.objects.get(code="lao_dong_tien_tien")


# ---------------------------------------------------------------- award history


def test_holds(cast, title, advanced):
    rule(title, [{"check": "holds", "award": "lao_dong_tien_tien"}])
    an, binh, chi = person(cast.unit), person(cast.unit, "Lê Thị Bình"), person(cast.unit, "Phạm Chi")
    give(advanced, YEAR, to=an, granting=cast.commune)
    give(advanced, YEAR - 1, to=binh, granting=cast.commune)
    give(advanced, YEAR, to=chi, granting=cast.commune, revoked=True)
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Holds Advanced Worker for 2024.")
    assert first(verdicts[binh.pk]) == (FAIL, "Does not hold Advanced Worker for 2024.")
    assert first(verdicts[chi.pk]) == (FAIL, "Does not hold Advanced Worker for 2024.")
    assert verdicts[an.pk].eligible is True
    assert verdicts[binh.pk].eligible is False


def test_consecutive(cast, title):
    cstdcs = AwardType.objects.get(code="chien_si_thi_dua_co_so")
    rule(title, [{"check": "consecutive", "award": "chien_si_thi_dua_co_so", "years": 3}])
    people = [person(cast.unit, f"Người {i}") for i in range(5)]
    histories = [(2022, 2023, 2024), (2023, 2024), (2022, 2024), (), (2021, 2022, 2023)]
    for who, years in zip(people, histories, strict=True):
        for year in years:
            give(cstdcs, year, to=who, granting=cast.commune)
    give(cstdcs, 2024, to=people[4], granting=cast.commune, revoked=True)
    verdicts = evaluate(award_type=title, year=YEAR, people=people, today=TODAY)
    name = "Grassroots Emulation Fighter"
    assert [first(verdicts[p.pk]) for p in people] == [
        (PASS, f"3 consecutive years of {name} needed; 3 found (2022, 2023, 2024)."),
        (FAIL, f"3 consecutive years of {name} needed; 2 found (2023, 2024)."),
        (FAIL, f"3 consecutive years of {name} needed; 2 found (2022, 2024)."),
        (FAIL, f"3 consecutive years of {name} needed (2022–2024); none found."),
        (FAIL, f"3 consecutive years of {name} needed; 2 found (2022, 2023)."),
    ]


def test_once(cast):
    medal = award_type("t_medal", en="Test Medal", recurrence="once", kind="medal")
    rule(medal, [{"check": "once"}])
    an, binh, chi = (person(cast.unit, n) for n in ("An", "Bình", "Chi"))
    give(medal, 2019, to=an, granting=cast.province)
    give(medal, 2020, to=chi, granting=cast.province, revoked=True)
    verdicts = evaluate(award_type=medal, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert first(verdicts[an.pk]) == (FAIL, "Test Medal is awarded only once; already received for 2019.")
    assert first(verdicts[binh.pk]) == (PASS, "Has not received Test Medal before.")
    assert first(verdicts[chi.pk]) == (PASS, "Has not received Test Medal before.")


def test_unit_holds_looks_up_to_the_grassroots_union(cast, title):
    strong = award_type("t_strong", en="Strong Union", recipient="collective")
    rule(title, [{"check": "unit_holds", "award": "t_strong"}])
    in_section = person(cast.section, "An")
    in_unit = person(cast.unit, "Bình")
    elsewhere = person(cast.sibling_unit, "Chi")
    left = person(cast.unit, "Dũng", ended=dt.date(2024, 5, 1))
    give(strong, YEAR, to=cast.unit, granting=cast.commune)
    give(strong, YEAR, to=cast.commune, granting=cast.province)  # above the grassroots union: does not count
    verdicts = evaluate(award_type=title, year=YEAR, people=[in_section, in_unit, elsewhere, left], today=TODAY)
    unit_name, sibling_name = cast.unit.name_vi, cast.sibling_unit.name_vi
    assert first(verdicts[in_section.pk]) == (PASS, f"{unit_name} holds Strong Union for 2024.")
    assert first(verdicts[in_unit.pk]) == (PASS, f"{unit_name} holds Strong Union for 2024.")
    assert first(verdicts[elsewhere.pk]) == (FAIL, f"{sibling_name} does not hold Strong Union for 2024.")
    # Left in May: judged by the unit of the last membership.
    assert first(verdicts[left.pk]) == (PASS, f"{unit_name} holds Strong Union for 2024.")


# ---------------------------------------------------------------- initiatives and benefit


def test_initiatives_count_level_and_window(cast, title):
    rule(title, [{"check": "initiatives", "count": 2, "level": "provincial", "years": 2}])
    an, binh, chi, dung = (person(cast.unit, n) for n in ("An", "Bình", "Chi", "Dũng"))
    recognised(cast.unit, {an: 100}, level="provincial", on=dt.date(2023, 2, 1))
    recognised(cast.unit, {an: 50, binh: 50}, level="national", on=dt.date(2024, 12, 31))
    recognised(cast.unit, {binh: 100}, level="grassroots", on=dt.date(2024, 3, 1))  # level too low
    recognised(cast.unit, {chi: 100}, level="provincial", on=dt.date(2022, 12, 31))  # before the window
    recognised(cast.unit, {chi: 100}, level="national", on=dt.date(2025, 1, 1))  # after it
    recognised(cast.unit, {dung: 100}, status="submitted")
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi, dung], today=TODAY)
    text = "2 initiatives recognised at level “Province or ministry” or higher in 2023–2024 needed; %s found."
    assert first(verdicts[an.pk]) == (PASS, text % 2)
    assert first(verdicts[binh.pk]) == (FAIL, text % 1)
    assert first(verdicts[chi.pk]) == (FAIL, text % 0)
    assert first(verdicts[dung.pk]) == (FAIL, text % 0)


def test_benefit_from_one_initiative_is_share_weighted(cast, title):
    rule(title, [{"check": "benefit", "amount_vnd": 80_000_000, "years": 1, "single": True}])
    an, binh, chi = (person(cast.unit, n) for n in ("An", "Bình", "Chi"))
    recognised(cast.unit, {an: 100}, benefits={2024: 95_000_000, 2023: 500_000_000})
    recognised(cast.unit, {binh: 50, chi: 50}, benefits={2024: 150_000_000})
    recognised(cast.unit, {binh: 100}, benefits={2024: 60_000_000})
    recognised(cast.unit, {chi: 100}, benefits={2024: 900_000_000}, status="accepted")  # not recognised
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Benefit from one initiative in 2024: ₫95,000,000 ≥ ₫80,000,000.")
    # 75 million from the shared one, 60 from the other: no single initiative reaches 80.
    assert first(verdicts[binh.pk]) == (FAIL, "Benefit from one initiative in 2024: ₫75,000,000 < ₫80,000,000.")
    assert first(verdicts[chi.pk]) == (FAIL, "Benefit from one initiative in 2024: ₫75,000,000 < ₫80,000,000.")


def test_benefit_in_total_over_years(cast, title):
    rule(title, [{"check": "benefit", "amount_vnd": 120_000_000, "years": 3, "single": False}])
    an, binh = person(cast.unit, "An"), person(cast.unit, "Bình")
    recognised(cast.unit, {an: 100}, benefits={2022: 40_000_000, 2023: 40_000_000})
    recognised(cast.unit, {an: 40, binh: 60}, benefits={2024: 100_000_000, 2021: 900_000_000})
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Benefit from initiatives in 2022–2024: ₫120,000,000 ≥ ₫120,000,000.")
    assert first(verdicts[binh.pk]) == (FAIL, "Benefit from initiatives in 2022–2024: ₫60,000,000 < ₫120,000,000.")


# ---------------------------------------------------------------- the person


def test_education_in_and_not_in(cast, title):
    other = award_type("t_other", en="Other")
    rule(title, [{"check": "education", "in": ["college", "vocational"]}])
    rule(other, [{"check": "education", "not_in": ["university", "postgraduate"]}])
    an = person(cast.unit, "An", education_level="college")
    binh = person(cast.unit, "Bình", education_level="university")
    chi = person(cast.unit, "Chi")
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Education: College, one of College, Vocational training.")
    assert first(verdicts[binh.pk]) == (FAIL, "Education: University, not one of College, Vocational training.")
    assert first(verdicts[chi.pk]) == (REVIEW, "Education level not recorded; needed: College, Vocational training.")
    assert verdicts[chi.pk].eligible is None
    verdicts = evaluate(award_type=other, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Education: College, not one of University, Postgraduate.")
    assert first(verdicts[binh.pk]) == (FAIL, "Education: University, one of University, Postgraduate.")
    assert first(verdicts[chi.pk]) == (REVIEW, "Education level not recorded; excluded: University, Postgraduate.")


def appoint(who: Person, position: str, start: dt.date, end: dt.date | None = None, *, full_time=False) -> None:
    OfficerTerm.objects.create(
        membership=who.memberships.first(), position=position, term_start=start, term_end=end, full_time=full_time
    )


def test_officer_and_not_officer(cast, title):
    other = award_type("t_other", en="Other")
    rule(title, [{"check": "officer", "positions": ["chair", "vice_chair"]}])
    rule(other, [{"check": "not_officer", "positions": ["chair", "vice_chair"]}])
    an, binh, chi, dung = (person(cast.unit, n) for n in ("An", "Bình", "Chi", "Dũng"))
    appoint(an, "chair", dt.date(2023, 1, 1))
    appoint(binh, "vice_chair", dt.date(2020, 1, 1), dt.date(2023, 12, 31))  # ended before the year
    appoint(chi, "union_group_leader", dt.date(2024, 5, 1))
    appoint(dung, "vice_chair", dt.date(2024, 11, 1), dt.date(2025, 2, 1))
    people = [an, binh, chi, dung]
    verdicts = evaluate(award_type=title, year=YEAR, people=people, today=TODAY)
    none = (FAIL, "Holds none of: Chair, Vice-chair in 2024.")
    assert [first(verdicts[p.pk]) for p in people] == [
        (PASS, "Holds Chair in 2024."),
        none,
        none,
        (PASS, "Holds Vice-chair in 2024."),
    ]
    verdicts = evaluate(award_type=other, year=YEAR, people=people, today=TODAY)
    assert [first(verdicts[p.pk]) for p in people] == [
        (FAIL, "Holds Chair in 2024."),
        (PASS, "Holds none of: Chair, Vice-chair in 2024."),
        (PASS, "Holds none of: Chair, Vice-chair in 2024."),
        (FAIL, "Holds Vice-chair in 2024."),
    ]


def test_membership_months(cast, title):
    rule(title, [{"check": "membership_months", "months": 10}])
    an = person(cast.unit, "An", joined=dt.date(2024, 3, 1))  # 10 whole months by 31 December
    binh = person(cast.unit, "Bình", joined=dt.date(2024, 3, 2))
    chi = person(cast.unit, "Chi", joined=dt.date(2022, 1, 1), ended=dt.date(2024, 6, 30))
    # Transferred: the membership in the sibling union ended the day before the new one began.
    dung = person(cast.sibling_unit, "Dũng", joined=dt.date(2023, 11, 1), ended=dt.date(2024, 4, 30))
    Membership.objects.create(person=dung, unit=cast.unit, join_date=dt.date(2024, 5, 1))
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi, dung], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Member for 10 months by Dec 31, 2024; 10 months needed.")
    assert first(verdicts[binh.pk]) == (FAIL, "Member for 9 months by Dec 31, 2024; 10 months needed.")
    assert first(verdicts[chi.pk]) == (FAIL, "Not a member on Dec 31, 2024.")
    assert first(verdicts[dung.pk]) == (PASS, "Member for 14 months by Dec 31, 2024; 10 months needed.")


def test_registered(cast, title):
    rule(title, [{"check": "registered"}])
    an, binh = person(cast.unit, "An"), person(cast.unit, "Bình")
    movement = Movement.objects.create(
        code="ldg-ldst",
        title="Lao động giỏi, Lao động sáng tạo",
        kind="regular",
        launcher=cast.province,
        start_date=dt.date(2023, 1, 1),
    )
    Registration.objects.create(
        movement=movement, unit=cast.unit, person=an, year=YEAR, registered_on=dt.date(2024, 2, 1)
    )
    Registration.objects.create(
        movement=movement, unit=cast.unit, person=binh, year=2023, registered_on=dt.date(2023, 2, 1)
    )
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh], today=TODAY)
    assert first(verdicts[an.pk]) == (PASS, "Registered an emulation pledge for 2024.")
    assert first(verdicts[binh.pk]) == (FAIL, "No emulation pledge registered for 2024.")


def test_service_years_with_part_time_factor(cast):
    medal = award_type("t_medal", en="Test Medal", recurrence="once", kind="medal")
    rule(medal, [{"check": "service_years", "years": 20, "part_time_factor": 1.5}])
    an, binh = person(cast.unit, "An"), person(cast.unit, "Bình")
    appoint(an, "chair", dt.date(2005, 1, 1), dt.date(2014, 12, 31), full_time=True)  # 10 years
    appoint(an, "executive_committee", dt.date(2015, 1, 1))  # part-time 2015-2024: 10 years × 1.5
    appoint(binh, "chair", dt.date(2010, 1, 1), full_time=True)  # 15 years
    appoint(binh, "executive_committee", dt.date(2012, 1, 1))  # overlaps the full-time term: counts once
    verdicts = evaluate(award_type=medal, year=YEAR, people=[an, binh], today=TODAY)
    assert first(verdicts[an.pk]) == (
        PASS,
        "Officer service 25 years (full-time 10, part-time 10 × 1.5); 20 needed.",
    )
    assert first(verdicts[binh.pk]) == (
        FAIL,
        "Officer service 15 years (full-time 15, part-time 0 × 1.5); 20 needed.",
    )


def test_manual_is_for_the_reviewer(cast, title):
    rule(title, [{"check": "manual", "label_vi": "Hoàn thành xuất sắc nhiệm vụ", "label_en": "Excellent work"}])
    an = person(cast.unit, "An")
    verdict = one(title, an)
    assert first(verdict) == (REVIEW, "To be confirmed by the reviewer: Excellent work")
    assert verdict.eligible is None
    with translation.override("vi"):
        assert one(title, an).reasons[0].message.endswith("Hoàn thành xuất sắc nhiệm vụ")


# ---------------------------------------------------------------- units as nominees


@pytest.fixture
def collective(db) -> AwardType:
    return award_type("t_collective", en="Test Collective", recipient="collective")


def test_share_strict_and_not(cast, collective, advanced):
    other = award_type("t_other", en="Other", recipient="collective")
    rule(collective, [{"check": "share", "award": "lao_dong_tien_tien", "percent": 50, "strict": True}])
    rule(other, [{"check": "share", "award": "lao_dong_tien_tien", "percent": 50, "strict": False}])
    members = [person(cast.unit, f"A{i}") for i in range(3)] + [person(cast.section, "S")]
    give(advanced, YEAR, to=members[0], granting=cast.unit)
    give(advanced, YEAR, to=members[3], granting=cast.unit)
    person(cast.unit, "Gone", ended=dt.date(2024, 6, 1))
    verdicts = evaluate(
        award_type=collective, year=YEAR, units=[cast.unit, cast.section, cast.sibling_unit], today=TODAY
    )
    assert first(verdicts[cast.unit.pk]) == (
        FAIL,
        "50% of members hold Advanced Worker (2 of 4); more than 50% needed.",
    )
    assert first(verdicts[cast.section.pk]) == (
        PASS,
        "100% of members hold Advanced Worker (1 of 1); more than 50% needed.",
    )
    assert first(verdicts[cast.sibling_unit.pk]) == (FAIL, "The unit has no members on Dec 31, 2024.")
    verdicts = evaluate(award_type=other, year=YEAR, units=[cast.unit], today=TODAY)
    assert first(verdicts[cast.unit.pk]) == (
        PASS,
        "50% of members hold Advanced Worker (2 of 4); at least 50% needed.",
    )


def test_members_hold(cast, collective):
    cstdcs = AwardType.objects.get(code="chien_si_thi_dua_co_so")
    rule(collective, [{"check": "members_hold", "award": "chien_si_thi_dua_co_so", "count": 1}])
    an = person(cast.section, "An")
    person(cast.sibling_unit, "Bình")
    give(cstdcs, YEAR, to=an, granting=cast.unit)
    verdicts = evaluate(award_type=collective, year=YEAR, units=[cast.unit, cast.sibling_unit], today=TODAY)
    assert first(verdicts[cast.unit.pk]) == (PASS, "1 members hold Grassroots Emulation Fighter for 2024; 1 needed.")
    assert first(verdicts[cast.sibling_unit.pk]) == (
        FAIL,
        "0 members hold Grassroots Emulation Fighter for 2024; 1 needed.",
    )


def test_collective_history_checks_use_the_unit(cast, collective):
    rule(collective, [{"check": "consecutive", "award": "t_collective", "years": 2}])
    give(collective, 2023, to=cast.unit, granting=cast.commune)
    give(collective, 2024, to=cast.unit, granting=cast.commune)
    give(collective, 2024, to=cast.sibling_unit, granting=cast.commune)
    verdicts = evaluate(
        award_type=collective, year=2025, units=[cast.unit, cast.sibling_unit], today=dt.date(2026, 2, 1)
    )
    assert first(verdicts[cast.unit.pk]) == (FAIL, "2 consecutive years of Test Collective needed; 1 found (2024).")
    verdicts = evaluate(award_type=collective, year=2024, units=[cast.unit, cast.sibling_unit], today=TODAY)
    assert first(verdicts[cast.unit.pk]) == (
        PASS,
        "2 consecutive years of Test Collective needed; 2 found (2023, 2024).",
    )
    assert first(verdicts[cast.sibling_unit.pk]) == (
        FAIL,
        "2 consecutive years of Test Collective needed; 1 found (2024).",
    )


def test_criteria_for_the_other_kind_of_nominee_need_review(cast, title, collective):
    rule(title, [{"check": "share", "award": "lao_dong_tien_tien", "percent": 50}])
    rule(collective, [{"check": "education", "in": ["college"]}])
    an = person(cast.unit, "An")
    assert first(one(title, an)) == (REVIEW, "The criterion “share” applies only to units; check by hand.")
    assert first(one(collective, cast.unit)) == (
        REVIEW,
        "The criterion “education” applies only to individuals; check by hand.",
    )


def test_wrong_recipient_fails(cast, title, collective):
    rule(title, [])
    rule(collective, [])
    an = person(cast.unit, "An")
    assert lines(one(collective, an)) == [
        ("recipient", FAIL, "Test Collective is awarded to collectives, not to individuals.")
    ]
    assert lines(one(title, cast.unit)) == [
        ("recipient", FAIL, "Test Title is awarded to individuals, not to collectives.")
    ]


# ---------------------------------------------------------------- bad data, combinators


def test_unknown_and_malformed_criteria_need_review(cast, title):
    rule(
        title,
        [
            {"check": "levitation", "height": 3},
            {"check": "consecutive", "award": "lao_dong_tien_tien", "years": "three"},
            {"check": "holds", "award": "no_such_award"},
            "not even a dict",
            {"check": "any", "of": []},
            {"check": "initiatives", "count": 1, "years": 10**9},
            {"check": "benefit", "amount_vnd": "lots"},
        ],
    )
    an = person(cast.unit, "An")
    verdict = one(title, an)
    assert lines(verdict)[5:7] == [
        ("initiatives", REVIEW, "The criterion “initiatives” is incomplete or malformed (years); check by hand."),
        ("benefit", REVIEW, "The criterion “benefit” is incomplete or malformed (amount_vnd); check by hand."),
    ]
    assert lines(verdict)[:5] == [
        ("unknown", REVIEW, "Unknown criterion “levitation” in the rule; check by hand."),
        ("consecutive", REVIEW, "The criterion “consecutive” is incomplete or malformed (years); check by hand."),
        (
            "holds",
            REVIEW,
            "The criterion “holds” names the award type “no_such_award”, which does not exist; check by hand.",
        ),
        ("unknown", REVIEW, "Unknown criterion “not even a dict” in the rule; check by hand."),
        ("any", REVIEW, "The criterion “any” is incomplete or malformed (of); check by hand."),
    ]
    assert verdict.eligible is None


def test_nesting_too_deep_needs_review(cast, title):
    item: dict = {"check": "registered"}
    for _ in range(30):
        item = {"check": "all", "of": [item]}
    rule(title, [item])
    verdict = one(title, person(cast.unit, "An"))
    assert verdict.eligible is None
    deepest = verdict.reasons[0]
    while deepest.children:
        deepest = deepest.children[0]
    assert deepest.message == "The criterion “all” is incomplete or malformed (of); check by hand."


def test_combinators_with_reasons(cast, title, advanced):
    rule(
        title,
        [
            {
                "check": "any",
                "of": [
                    {"check": "holds", "award": "lao_dong_tien_tien"},
                    {"check": "all", "of": [{"check": "registered"}, {"check": "membership_months", "months": 10}]},
                ],
            }
        ],
    )
    an, binh = person(cast.unit, "An"), person(cast.unit, "Bình", joined=dt.date(2024, 6, 1))
    give(advanced, YEAR, to=an, granting=cast.commune)
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh], today=TODAY)
    top = verdicts[an.pk].reasons[0]
    assert (top.code, top.outcome, top.message) == ("any", PASS, "At least one of 2 alternatives is met.")
    assert [(c.code, c.outcome) for c in top.children] == [("holds", PASS), ("all", FAIL)]
    top = verdicts[binh.pk].reasons[0]
    assert (top.code, top.outcome, top.message) == ("any", FAIL, "None of 2 alternatives is met.")
    inner = top.children[1]
    assert (inner.outcome, inner.message) == (FAIL, "2 of 2 conditions are not met.")
    assert [c.message for c in inner.children] == [
        "No emulation pledge registered for 2024.",
        "Member for 7 months by Dec 31, 2024; 10 months needed.",
    ]
    assert verdicts[binh.pk].as_dict()["reasons"][0]["children"][1]["outcome"] == FAIL


def test_any_with_only_a_manual_alternative_left_needs_review(cast, title):
    rule(title, [{"check": "any", "of": [{"check": "registered"}, {"check": "manual", "label_en": "Excellent"}]}])
    verdict = one(title, person(cast.unit, "An"))
    assert first(verdict) == (REVIEW, "No alternative is met outright; 1 of 2 need review.")
    assert verdict.eligible is None


# ---------------------------------------------------------------- the rule in force


def test_rule_chosen_by_date_cstdcs_2003_law_then_2022(cast, advanced):
    """Under the 2003 law an initiative was mandatory; under the 2022 law excellent work may stand for it."""
    cstdcs = AwardType.objects.get(code="chien_si_thi_dua_co_so")
    an = person(cast.unit, "An")
    give(advanced, 2023, to=an, granting=cast.unit)
    give(advanced, 2024, to=an, granting=cast.unit)
    assert rule_for(cstdcs, 2023, TODAY).valid_from == dt.date(2017, 7, 31)
    assert rule_for(cstdcs, 2024, TODAY).valid_from == dt.date(2024, 1, 1)
    old = one(cstdcs, an, year=2023)
    assert [r.code for r in old.reasons[:2]] == ["holds", "initiatives"]
    assert old.reasons[1].outcome == FAIL
    assert old.eligible is False
    new = one(cstdcs, an, year=2024)
    assert [r.code for r in new.reasons[:2]] == ["holds", "any"]
    assert new.reasons[1].outcome == REVIEW
    assert new.eligible is None
    # With an initiative recognised in 2023, the 2003 rule passes too.
    recognised(cast.unit, {an: 100}, on=dt.date(2023, 5, 1))
    assert one(cstdcs, an, year=2023).reasons[1].outcome == PASS


def test_rule_of_the_current_year_is_the_one_in_force_today(cast, title):
    rule(title, [{"check": "registered"}], valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2025, 3, 1))
    rule(title, [{"check": "manual", "label_en": "New rule"}], valid_from=dt.date(2025, 3, 1))
    an = person(cast.unit, "An")
    assert judgement_day(2025, dt.date(2025, 2, 1)) == dt.date(2025, 2, 1)
    assert one(title, an, year=2025, today=dt.date(2025, 2, 1)).reasons[0].code == "registered"
    assert one(title, an, year=2025, today=dt.date(2025, 6, 1)).reasons[0].code == "manual"
    assert one(title, an, year=2024, today=dt.date(2025, 6, 1)).reasons[0].code == "registered"


def test_no_rule_in_force_needs_review(cast, title):
    rule(title, [], valid_from=dt.date(2030, 1, 1))
    verdict = one(title, person(cast.unit, "An"))
    assert first(verdict) == (REVIEW, "No rule for Test Title is in force on Dec 31, 2024; check by hand.")
    assert verdict.eligible is None


# ---------------------------------------------------------------- checks always added


def test_not_already_awarded_for_the_same_achievement(cast, title):
    rule(title, [])
    an, binh, chi = (person(cast.unit, n) for n in ("An", "Bình", "Chi"))
    give(title, YEAR, to=an, granting=cast.commune, number="17/QĐ-CĐ")
    give(title, YEAR, to=binh, granting=cast.commune, revoked=True)
    give(title, YEAR - 1, to=chi, granting=cast.commune)
    verdicts = evaluate(award_type=title, year=YEAR, people=[an, binh, chi], today=TODAY)
    assert lines(verdicts[an.pk]) == [
        ("already_awarded", FAIL, "Already awarded Test Title for 2024 (decision 17/QĐ-CĐ).")
    ]
    assert lines(verdicts[binh.pk]) == [("already_awarded", PASS, "Not yet awarded Test Title for 2024.")]
    assert lines(verdicts[chi.pk]) == [("already_awarded", PASS, "Not yet awarded Test Title for 2024.")]
    assert verdicts[binh.pk].eligible is True


def test_already_awarded_within_a_multi_year_period(cast, title):
    rule(title, [], period_years=3)
    an = person(cast.unit, "An")
    give(title, 2022, to=an, granting=cast.commune, number="5/QĐ")
    assert lines(one(title, an)) == [("already_awarded", FAIL, "Already awarded Test Title for 2022 (decision 5/QĐ).")]
    assert lines(one(title, an, year=2025, today=dt.date(2026, 1, 10))) == [
        ("already_awarded", PASS, "Not yet awarded Test Title for 2023–2025.")
    ]


def test_open_nominations_need_review_except_the_one_checked(cast, title):
    rule(title, [])
    an, binh = person(cast.unit, "An"), person(cast.unit, "Bình")
    mine = Nomination.objects.create(award_type=title, person=an, year=YEAR, proposing_unit=cast.unit)
    Nomination.objects.create(award_type=title, person=binh, year=YEAR, proposing_unit=cast.unit, status="rejected")
    verdict = one(title, an)
    assert lines(verdict)[-1] == (
        "already_nominated",
        REVIEW,
        f"Already nominated for Test Title for 2024 (nomination {mine.pk}, Draft).",
    )
    assert verdict.eligible is None
    assert [r.code for r in one(title, an, exclude_nomination=mine).reasons] == ["already_awarded"]
    assert [r.code for r in one(title, binh).reasons] == ["already_awarded"]


def test_quota_share_of_the_base_award_in_the_grassroots_union(cast, advanced):
    cstdcs = AwardType.objects.get(code="chien_si_thi_dua_co_so")
    workers = [person(cast.unit, f"W{i}") for i in range(13)] + [person(cast.section, "S")]
    for who in workers:
        give(advanced, YEAR, to=who, granting=cast.unit)
    give(cstdcs, YEAR, to=workers[0], granting=cast.unit)
    outsider = person(cast.sibling_unit, "O")
    give(advanced, YEAR, to=outsider, granting=cast.sibling_unit)
    verdicts = evaluate(award_type=cstdcs, year=YEAR, people=[workers[1], workers[13], outsider], today=TODAY)
    quota_of = {v.reasons[-1].code for v in verdicts.values()}
    assert quota_of == {"quota"}
    name = cast.unit.name_vi
    # 14 × 15 % = 2.1: at most 2; one is decided.
    expected = (PASS, f"Quota of {name} for 2024: 1 of at most 2 (15% of 14 Advanced Worker).")
    assert (verdicts[workers[1].pk].reasons[-1].outcome, verdicts[workers[1].pk].reasons[-1].message) == expected
    assert (verdicts[workers[13].pk].reasons[-1].outcome, verdicts[workers[13].pk].reasons[-1].message) == expected
    sibling = verdicts[outsider.pk].reasons[-1]
    assert (sibling.outcome, sibling.message) == (
        REVIEW,
        f"Quota of {cast.sibling_unit.name_vi} for 2024 used up: 0 of at most 0 (15% of 1 Advanced Worker).",
    )


def test_quota_per_year(cast, title):
    rule(title, [], quota_per_year=2)
    an, binh, chi = (person(cast.unit, n) for n in ("An", "Bình", "Chi"))
    give(title, YEAR, to=an, granting=cast.unit)
    assert lines(one(title, binh))[-1] == (
        "quota",
        PASS,
        f"Quota of {cast.unit.name_vi} for 2024: 1 of at most 2 a year.",
    )
    give(title, YEAR, to=binh, granting=cast.unit)
    assert lines(one(title, chi))[-1] == (
        "quota",
        REVIEW,
        f"Quota of {cast.unit.name_vi} for 2024 used up: 2 of at most 2 a year.",
    )


# ---------------------------------------------------------------- set-wise


def bulk_people(unit: Unit, count: int) -> list[Person]:
    start = next(_serial) * 1000
    people = Person.objects.bulk_create(
        [
            Person(full_name=f"P{i}", search_name=f"p{i}", gender="female", member_code=f"{80000000000 + start + i}")
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create([Membership(person=p, unit=unit, join_date=dt.date(2020, 1, 1)) for p in people])
    return people


def test_query_count_does_not_grow_with_the_number_of_people(cast, advanced):
    """Every criterion of the language in one rule: 5 people and 50 people cost the same queries."""
    kind = award_type("t_everything", en="Everything")
    strong = award_type("t_strong", en="Strong Union", recipient="collective")
    rule(
        kind,
        [
            {"check": "holds", "award": "lao_dong_tien_tien"},
            {"check": "consecutive", "award": "lao_dong_tien_tien", "years": 3},
            {"check": "initiatives", "count": 1, "level": "grassroots", "years": 1},
            {"check": "any", "of": [{"check": "benefit", "amount_vnd": 1, "years": 3, "single": False}]},
            {"check": "all", "of": [{"check": "education", "in": ["college"]}, {"check": "officer", "positions": []}]},
            {"check": "not_officer", "positions": ["chair"]},
            {"check": "membership_months", "months": 10},
            {"check": "registered"},
            {"check": "once"},
            {"check": "unit_holds", "award": "t_strong"},
            {"check": "service_years", "years": 5},
            {"check": "manual", "label_en": "Excellent"},
        ],
        quota_of=advanced,
        quota_percent=Decimal(15),
    )
    give(strong, YEAR, to=cast.unit, granting=cast.commune)

    def count(people: list[Person]) -> int:
        for i, who in enumerate(people):
            give(advanced, YEAR - i % 3, to=who, granting=cast.unit)
            if i % 2:
                recognised(cast.unit, {who: 100}, benefits={YEAR: 1_000_000 * i})
                appoint(who, "chair" if i % 4 == 1 else "executive_committee", dt.date(2015, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            verdicts = evaluate(award_type=kind, year=YEAR, people=people, today=TODAY)
        assert len(verdicts) == len(people)
        return len(queries)

    five = count(bulk_people(cast.unit, 5))
    fifty = count(bulk_people(cast.section, 50))
    assert five == fifty
    assert five <= 20, five


def test_a_queryset_is_used_as_a_subquery(cast, title, advanced):
    rule(title, [{"check": "holds", "award": "lao_dong_tien_tien"}])
    people = bulk_people(cast.unit, 3)
    give(advanced, YEAR, to=people[1], granting=cast.unit)
    verdicts = evaluate(
        award_type=title, year=YEAR, people=Person.objects.filter(pk__in=[p.pk for p in people]), today=TODAY
    )
    assert [verdicts[p.pk].eligible for p in people] == [False, True, False]


def test_people_and_units_together_are_refused(cast, title):
    with pytest.raises(TypeError):
        evaluate(award_type=title, year=YEAR, people=[1], units=[1], today=TODAY)
    assert evaluate(award_type=title, year=YEAR, today=TODAY) == {}
