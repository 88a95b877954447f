"""Nominations: scope of the proposing unit, the stored eligibility check, the workflow up to a decision."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.awards import services
from unionhall.awards.models import Nomination
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound

from .awarding import TODAY, YEAR, decide, english, initiative, kind, member, state  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def lan(cast):
    return member(cast, cast.unit, "Nguyễn Thị Lan")


def nominate(cast, person=None, *, actor=None, code="chien_si_thi_dua_co_so", unit=None, proposing=None, **extra):
    return services.nomination_create(
        actor=actor or cast.officer,
        award_type=kind(code),
        year=extra.pop("year", YEAR),
        proposing_unit=proposing or cast.unit,
        person=person,
        unit=unit,
        today=TODAY,
        **extra,
    )


def submitted(cast, person):
    nomination = nominate(cast, person)
    return services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)


# ---------------------------------------------------------------- create


def test_an_officer_nominates_a_member_of_their_unit(cast, lan):
    evidence = initiative(cast.unit, lan)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    nomination = nominate(cast, lan, initiatives=[evidence], note="Hoàn thành xuất sắc")
    assert (nomination.status, nomination.year, nomination.proposing_unit) == ("draft", YEAR, cast.unit)
    assert list(nomination.initiatives.all()) == [evidence]
    assert nomination.checked_on == TODAY
    check = nomination.eligibility_check
    assert set(check) >= {"eligible", "reasons"}
    assert all(
        {"code", "outcome", "message"} <= set(r) <= {"code", "outcome", "message", "children"} for r in check["reasons"]
    )
    assert {r["outcome"] for r in check["reasons"]} <= {"pass", "fail", "review"}
    entry = AuditEntry.objects.get(pk__gt=before)
    assert entry.action == "nomination.create"
    assert entry.after["person"] == lan.member_code and entry.after["initiatives"] == [evidence.pk]
    assert entry.unit_id == cast.unit.pk


def test_a_member_of_a_sub_unit_may_be_nominated(cast):
    worker = member(cast, cast.section, "Trần Văn Bình")
    assert nominate(cast, worker).person == worker


def test_the_parent_level_may_nominate_for_its_subtree(cast, lan):
    nomination = nominate(cast, lan, actor=cast.parent, proposing=cast.commune)
    assert nomination.proposing_unit == cast.commune


def test_a_unit_may_be_nominated_for_a_collective_title(cast):
    nomination = nominate(cast, code="tap_the_lao_dong_tien_tien", unit=cast.section)
    assert nomination.unit == cast.section


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_a_nomination_outside_the_actors_scope_is_not_found(cast, lan, who):
    before = state()
    with pytest.raises(NotFound) as caught:
        nominate(cast, lan, actor=getattr(cast, who))
    assert caught.value.field == "proposing_unit"
    assert state() == before


def test_a_nominee_outside_the_proposing_unit_is_not_found(cast):
    stranger = member(cast, cast.sibling_unit, "Lê Văn Cường")
    before = state()
    with pytest.raises(NotFound) as caught:
        nominate(cast, stranger)
    assert caught.value.field == "person"
    assert state() == before


def test_a_nominee_unit_outside_the_proposing_unit_is_not_found(cast):
    with pytest.raises(NotFound) as caught:
        nominate(cast, code="tap_the_lao_dong_tien_tien", unit=cast.sibling_unit)
    assert caught.value.field == "unit"
    assert not Nomination.objects.exists()


def test_a_person_who_joined_after_the_year_is_not_a_nominee_for_it(cast):
    newcomer = member(cast, cast.unit, "Phạm Thị Dung", join_date=dt.date(2025, 2, 1))
    with pytest.raises(NotFound):
        nominate(cast, newcomer)


def test_a_future_achievement_year_is_refused(cast, lan):
    with pytest.raises(DomainError) as caught:
        nominate(cast, lan, year=2026)
    assert caught.value.code == "date_order"
    assert not Nomination.objects.exists()


def test_either_a_person_or_a_unit(cast, lan):
    with pytest.raises(DomainError) as caught:
        nominate(cast, lan, unit=cast.unit, code="giay_khen")
    assert caught.value.code == "one_nominee"
    with pytest.raises(DomainError):
        nominate(cast, None)


def test_nominating_twice_for_the_same_achievement_is_refused(cast, lan):
    nominate(cast, lan)
    before = state()
    with pytest.raises(Conflict) as caught:
        nominate(cast, lan)
    assert caught.value.code == "already_nominated"
    assert state() == before


def test_nominating_for_an_achievement_already_awarded_is_refused(cast, lan):
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    before = state()
    with pytest.raises(Conflict) as caught:
        nominate(cast, lan, code="lao_dong_tien_tien")
    assert caught.value.code == "already_awarded"
    assert state() == before


def test_a_once_only_prize_already_received_blocks_a_new_nomination(cast, lan):
    decide(cast, "ky_niem_chuong", [(lan, 2022, None)], unit=cast.root)
    with pytest.raises(Conflict) as caught:
        nominate(cast, lan, code="ky_niem_chuong")
    assert caught.value.code == "once_only"


def test_evidence_must_be_the_nominees_initiative(cast, lan):
    other = member(cast, cast.unit, "Võ Văn Em")
    theirs = initiative(cast.unit, other)
    with pytest.raises(NotFound) as caught:
        nominate(cast, lan, initiatives=[theirs])
    assert caught.value.field == "initiatives"
    assert not Nomination.objects.exists()


# ---------------------------------------------------------------- workflow


def test_a_draft_is_edited_with_its_version(cast, lan):
    nomination = nominate(cast, lan)
    evidence = initiative(cast.unit, lan)
    changed = services.nomination_update(
        actor=cast.officer,
        nomination=nomination,
        version=nomination.version,
        year=2023,
        initiatives=[evidence],
        note="Sửa",
        today=TODAY,
    )
    assert (changed.year, changed.note, changed.version) == (2023, "Sửa", 2)
    assert AuditEntry.objects.latest("id").before["year"] == YEAR
    with pytest.raises(Conflict) as caught:
        services.nomination_update(actor=cast.officer, nomination=changed, version=1, note="x", today=TODAY)
    assert caught.value.code == "stale"


def test_submit_approve_and_decide(cast, lan):
    nomination = submitted(cast, lan)
    assert (nomination.status, nomination.submitted_on) == ("submitted", TODAY)
    approved = services.nomination_approve(actor=cast.parent, nomination=nomination, note="Đồng ý", today=TODAY)
    assert (approved.status, approved.reviewed_on, approved.review_note) == ("approved", TODAY, "Đồng ý")
    decision = decide(
        cast,
        "chien_si_thi_dua_co_so",
        [(lan, YEAR, approved)],
        quota_override=True,
        quota_justification="Chưa có LĐTT trong dữ liệu",
    )
    assert decision.awards.get().nomination == approved
    approved.refresh_from_db()
    assert approved.status == "decided"
    assert AuditEntry.objects.filter(action="nomination.decide", object_id=str(approved.pk)).exists()


def test_the_proposing_unit_may_not_approve_its_own_nomination(cast, lan):
    nomination = submitted(cast, lan)
    before = state()
    with pytest.raises(Forbidden):
        services.nomination_approve(actor=cast.officer, nomination=nomination, today=TODAY)
    assert state() == before


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_a_reviewer_outside_the_scope_does_not_find_the_nomination(cast, lan, who):
    nomination = submitted(cast, lan)
    before = state()
    with pytest.raises(NotFound):
        services.nomination_reject(actor=getattr(cast, who), nomination=nomination, reason="x", today=TODAY)
    assert state() == before


def test_a_rejection_needs_a_reason(cast, lan):
    nomination = submitted(cast, lan)
    with pytest.raises(DomainError) as caught:
        services.nomination_reject(actor=cast.parent, nomination=nomination, reason=" ", today=TODAY)
    assert caught.value.field == "note"
    rejected = services.nomination_reject(
        actor=cast.parent, nomination=nomination, reason="Thiếu minh chứng", today=TODAY
    )
    assert (rejected.status, rejected.review_note) == ("rejected", "Thiếu minh chứng")
    # A rejected nomination does not block a new one for the same achievement.
    assert nominate(cast, lan).status == "draft"


def test_only_a_draft_can_be_submitted_and_only_a_submitted_one_reviewed(cast, lan):
    nomination = nominate(cast, lan)
    with pytest.raises(Conflict):
        services.nomination_approve(actor=cast.parent, nomination=nomination, today=TODAY)
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    with pytest.raises(Conflict):
        services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    with pytest.raises(Conflict):
        services.nomination_update(actor=cast.officer, nomination=nomination, note="late", today=TODAY)


def test_a_nomination_not_yet_approved_cannot_be_decided(cast, lan):
    nomination = submitted(cast, lan)
    before = state()
    with pytest.raises(Conflict) as caught:
        decide(cast, "chien_si_thi_dua_co_so", [(lan, YEAR, nomination)], quota_override=True, quota_justification="x")
    assert caught.value.code == "status"
    assert state() == before


def test_a_nomination_for_another_year_does_not_match(cast, lan):
    nomination = submitted(cast, lan)
    services.nomination_approve(actor=cast.parent, nomination=nomination, today=TODAY)
    with pytest.raises(DomainError) as caught:
        decide(cast, "chien_si_thi_dua_co_so", [(lan, 2023, nomination)], quota_override=True, quota_justification="x")
    assert caught.value.code == "nomination_mismatch"


def test_a_check_again_stores_a_fresh_verdict(cast, lan):
    nomination = nominate(cast, lan)
    later = dt.date(2025, 3, 20)
    checked = services.nomination_check(actor=cast.officer, nomination=nomination, today=later)
    assert checked.checked_on == later
    assert checked.eligibility_check["checked_on"] == "2025-03-20"
    assert AuditEntry.objects.latest("id").action == "nomination.check"


def test_the_stored_check_follows_the_award_history(cast, lan):
    without = nominate(cast, lan)
    assert without.eligibility_check["eligible"] is False
    assert "fail" in {r["outcome"] for r in without.eligibility_check["reasons"]}
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    initiative(cast.unit, lan)
    checked = services.nomination_check(actor=cast.officer, nomination=without, today=TODAY)
    assert checked.eligibility_check["eligible"] is not False
