"""Decisions and awards: bonus, granting unit types, quotas, one award per achievement, once-only, revocation."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.awards import services
from unionhall.awards.models import Award, AwardRule, BaseSalary, Decision
from unionhall.core.errors import Conflict, DomainError, NotFound

from .awarding import SIGNED, TODAY, YEAR, decide, english, kind, member, state  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def lan(cast):
    return member(cast, cast.unit, "Nguyễn Thị Lan")


# ---------------------------------------------------------------- bonus


def test_advanced_worker_bonus_is_three_tenths_of_the_base_salary(cast, lan):
    decision = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    award = decision.awards.get()
    assert decision.base_salary_vnd == 2_340_000
    assert award.bonus_vnd == 702_000
    assert award.award_type.code == "lao_dong_tien_tien"
    assert award.awardee_unit == cast.unit
    assert decision.rule.legal_basis.startswith("Luật Thi đua, khen thưởng 06/2022/QH15")


def test_the_base_salary_in_force_on_the_signing_day_applies(cast, lan):
    decision = decide(cast, "lao_dong_tien_tien", [(lan, 2023, None)], signed_on=dt.date(2024, 1, 25))
    assert decision.base_salary_vnd == 1_800_000
    assert decision.awards.get().bonus_vnd == 540_000


def test_a_rule_from_decree_152_applies_from_july_2025(cast, lan):
    decision = decide(
        cast, "lao_dong_tien_tien", [(lan, 2025, None)], signed_on=dt.date(2025, 7, 2), today=dt.date(2025, 8, 1)
    )
    assert "152/2025" in decision.rule.legal_basis


def test_collective_bonus_uses_the_collective_multiple(cast):
    decision = decide(cast, "tap_the_lao_dong_xuat_sac", [(cast.unit, YEAR, None)])
    assert decision.awards.get().bonus_vnd == 3_510_000  # 1.5 × 2,340,000


def test_a_form_with_a_collective_bonus_goes_to_a_unit_at_double_rate(cast):
    decision = decide(cast, "giay_khen", [(cast.unit, YEAR, None)])
    assert decision.awards.get().bonus_vnd == 1_404_000  # 0.6 × 2,340,000


def test_bonus_rounds_half_up_to_a_whole_dong(cast, lan):
    BaseSalary.objects.create(valid_from=dt.date(2025, 1, 1), amount_vnd=2_340_005, legal_basis="test")
    decision = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    assert decision.awards.get().bonus_vnd == 702_002  # 702,001.5 rounds up


def test_a_bonus_that_would_overflow_is_a_clear_error(cast, lan):
    rule = AwardRule.objects.in_force(SIGNED).get(award_type__code="lao_dong_tien_tien")
    rule.bonus_multiple = 9999
    rule.save()
    BaseSalary.objects.create(valid_from=dt.date(2025, 1, 1), amount_vnd=10**15, legal_basis="test")
    before = state()
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    assert caught.value.code == "amount_range"
    assert state() == before


def test_the_decision_and_each_award_are_audited(cast, lan):
    before = AuditEntry.objects.count()
    decision = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["decision.create", "award.grant"]
    assert entries[0].after["number"] == "01/QĐ"
    assert entries[1].after["bonus_vnd"] == 702_000
    assert entries[1].unit_id == cast.unit.pk
    assert entries[0].object_id == str(decision.pk)


# ---------------------------------------------------------------- bad input


def test_a_unit_whose_type_may_not_grant_the_award_is_refused(cast, lan):
    before = state()
    with pytest.raises(DomainError) as caught:
        decide(cast, "chien_si_thi_dua_tinh", [(lan, YEAR, None)], unit=cast.unit)
    assert caught.value.code == "granting_unit_type"
    assert caught.value.field == "granting_unit"
    assert "Grassroots union may not grant" in str(caught.value)
    assert state() == before


def test_a_grassroots_union_may_grant_its_giay_khen(cast, lan):
    decision = decide(cast, "giay_khen", [(lan, YEAR, None)], unit=cast.unit)
    assert decision.awards.get().bonus_vnd == 702_000


def test_an_award_for_an_achievement_already_awarded_is_refused(cast, lan):
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    before = state()
    with pytest.raises(Conflict) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="02/QĐ")
    assert caught.value.code == "already_awarded"
    assert "one achievement is awarded only once" in str(caught.value)
    assert state() == before


def test_the_same_award_for_another_year_is_fine(cast, lan):
    decide(cast, "lao_dong_tien_tien", [(lan, 2023, None)])
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="02/QĐ")
    assert Award.objects.filter(person=lan).count() == 2


def test_after_a_revocation_the_achievement_can_be_awarded_again(cast, lan):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    services.award_revoke(
        actor=cast.admin, award=award, reason="false_dossier", revoked_on=dt.date(2025, 2, 1), today=TODAY
    )
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="02/QĐ")
    assert Award.objects.active().filter(person=lan).count() == 1


def test_an_awardee_listed_twice_is_refused(cast, lan):
    before = state()
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None), (lan, YEAR, None)])
    assert caught.value.code == "duplicate_awardee"
    assert caught.value.field == "awardees.1"
    assert state() == before


def test_an_achievement_year_after_the_decision_is_refused(cast, lan):
    before = state()
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, 2025, None)], signed_on=dt.date(2024, 12, 30))
    assert caught.value.code == "date_order"
    assert state() == before


def test_a_decision_signed_in_the_future_is_refused(cast, lan):
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], signed_on=dt.date(2025, 3, 16))
    assert caught.value.field == "signed_on"
    assert not Decision.objects.exists()


def test_a_decision_before_any_rule_is_refused(cast, lan):
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, 2010, None)], signed_on=dt.date(2011, 1, 10))
    assert caught.value.code == "no_rule"


def test_an_awardee_outside_the_granting_unit_is_not_found(cast, lan):
    other = member(cast, cast.sibling_unit, "Lê Văn Bình")
    before = state()
    with pytest.raises(NotFound) as caught:
        decide(cast, "giay_khen", [(other, YEAR, None)], unit=cast.unit)
    assert caught.value.field == "awardees.0"
    assert state() == before


def test_a_decision_outside_the_actors_scope_is_not_found(cast, lan):
    before = state()
    with pytest.raises(NotFound):
        services.decision_create(
            actor=cast.sibling,
            number="1",
            signed_on=SIGNED,
            signer="X",
            granting_unit=cast.commune,
            award_type=kind("lao_dong_tien_tien"),
            awardees=[(lan, YEAR, None)],
            today=TODAY,
        )
    assert state() == before


def test_a_person_cannot_receive_a_collective_title(cast, lan):
    with pytest.raises(DomainError) as caught:
        decide(cast, "tap_the_lao_dong_tien_tien", [(lan, YEAR, None)])
    assert caught.value.code == "recipient"


def test_a_unit_cannot_receive_an_individual_title(cast):
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(cast.unit, YEAR, None)])
    assert caught.value.code == "recipient"


def test_an_empty_decision_number_is_refused(cast, lan):
    with pytest.raises(DomainError) as caught:
        decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="  ")
    assert caught.value.field == "number"


def test_the_same_decision_number_twice_is_refused(cast, lan):
    other = member(cast, cast.unit, "Lê Văn Bình")
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)])
    with pytest.raises(Conflict):
        decide(cast, "lao_dong_tien_tien", [(other, YEAR, None)])


# ---------------------------------------------------------------- quotas


def test_grassroots_fighters_are_capped_at_fifteen_percent_of_advanced_workers(cast):
    people = [member(cast, cast.unit, f"Người {i:02d}") for i in range(14)]
    decide(cast, "lao_dong_tien_tien", [(p, YEAR, None) for p in people])
    # 14 advanced workers: 15 % allows 2 grassroots fighters.
    decide(cast, "chien_si_thi_dua_co_so", [(p, YEAR, None) for p in people[:2]], number="02/QĐ")
    before = state()
    with pytest.raises(DomainError) as caught:
        decide(cast, "chien_si_thi_dua_co_so", [(people[2], YEAR, None)], number="03/QĐ")
    assert caught.value.code == "quota"
    assert "allows 2 awards" in str(caught.value) and "there would be 3" in str(caught.value)
    assert state() == before


def test_a_quota_override_needs_a_justification_and_is_recorded(cast):
    people = [member(cast, cast.unit, f"Người {i:02d}") for i in range(3)]
    decide(cast, "lao_dong_tien_tien", [(p, YEAR, None) for p in people])
    with pytest.raises(DomainError) as caught:
        decide(cast, "chien_si_thi_dua_co_so", [(people[0], YEAR, None)], number="02/QĐ", quota_override=True)
    assert caught.value.field == "quota_justification"
    decision = decide(
        cast,
        "chien_si_thi_dua_co_so",
        [(people[0], YEAR, None)],
        number="02/QĐ",
        quota_override=True,
        quota_justification="Thành tích đột xuất trong phòng chống bão",
    )
    assert decision.quota_override is True
    entry = AuditEntry.objects.filter(action="decision.create").latest("id")
    assert entry.reason == "Thành tích đột xuất trong phòng chống bão"


def test_an_override_not_needed_is_not_recorded(cast, lan):
    decision = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], quota_override=True, quota_justification="x")
    assert decision.quota_override is False
    assert decision.quota_justification == ""


def test_a_yearly_cap_counts_the_awards_already_given(cast):
    rule = AwardRule.objects.in_force(SIGNED).get(award_type__code="giay_khen")
    rule.quota_per_year = 1
    rule.save()
    first, second = member(cast, cast.unit, "A"), member(cast, cast.unit, "B")
    decide(cast, "giay_khen", [(first, YEAR, None)])
    with pytest.raises(DomainError) as caught:
        decide(cast, "giay_khen", [(second, YEAR, None)], number="02/QĐ")
    assert caught.value.code == "quota"


# ---------------------------------------------------------------- once-only


def test_a_once_only_prize_cannot_be_given_twice(cast, lan):
    decide(cast, "ky_niem_chuong", [(lan, 2023, None)], unit=cast.root)
    before = state()
    with pytest.raises(Conflict) as caught:
        decide(cast, "ky_niem_chuong", [(lan, YEAR, None)], unit=cast.root, number="02/QĐ")
    assert caught.value.code == "once_only"
    assert state() == before


def test_a_once_only_prize_listed_for_two_years_in_one_decision_is_refused(cast, lan):
    with pytest.raises(Conflict) as caught:
        decide(cast, "ky_niem_chuong", [(lan, 2023, None), (lan, YEAR, None)], unit=cast.root)
    assert caught.value.code == "once_only"


# ---------------------------------------------------------------- revocation


def test_a_revocation_records_reason_date_and_recovery(cast, lan):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    award = services.award_revoke(
        actor=cast.admin,
        award=award,
        reason="fraud",
        revoked_on=dt.date(2025, 3, 1),
        recovered_vnd=702_000,
        note="Kê khai gian dối",
        today=TODAY,
    )
    award.refresh_from_db()
    assert (award.revoked_on, award.revocation_reason, award.recovered_vnd) == (dt.date(2025, 3, 1), "fraud", 702_000)
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "award.revoke"
    assert entry.before["revoked_on"] is None and entry.after["recovered_vnd"] == 702_000


@pytest.mark.parametrize(
    ("recovered", "message"),
    [
        (-1, "cannot be negative"),
        (10**15 + 1, "cannot exceed"),
        (702_001, "cannot exceed the bonus paid"),
    ],
)
def test_a_recovered_amount_out_of_range_is_refused(cast, lan, recovered, message):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    before = state()
    with pytest.raises(DomainError) as caught:
        services.award_revoke(
            actor=cast.admin,
            award=award,
            reason="fraud",
            revoked_on=dt.date(2025, 3, 1),
            recovered_vnd=recovered,
            today=TODAY,
        )
    assert caught.value.field == "recovered_vnd"
    assert message in str(caught.value)
    assert state() == before


def test_a_revocation_before_the_decision_is_refused(cast, lan):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    with pytest.raises(DomainError) as caught:
        services.award_revoke(
            actor=cast.admin, award=award, reason="fraud", revoked_on=dt.date(2025, 1, 19), today=TODAY
        )
    assert caught.value.code == "date_order"
    assert Award.objects.get(pk=award.pk).revoked_on is None


def test_a_revocation_needs_a_listed_reason_and_happens_once(cast, lan):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    with pytest.raises(DomainError):
        services.award_revoke(actor=cast.admin, award=award, reason="bored", revoked_on=TODAY, today=TODAY)
    services.award_revoke(actor=cast.admin, award=award, reason="fraud", revoked_on=TODAY, today=TODAY)
    with pytest.raises(Conflict):
        services.award_revoke(actor=cast.admin, award=award, reason="fraud", revoked_on=TODAY, today=TODAY)


@pytest.mark.parametrize("who", ["officer", "sibling", "outsider"])
def test_only_the_granting_level_may_revoke(cast, lan, who):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    before = state()
    with pytest.raises(NotFound):
        services.award_revoke(actor=getattr(cast, who), award=award, reason="fraud", revoked_on=TODAY, today=TODAY)
    assert state() == before


def test_the_parent_level_may_revoke(cast, lan):
    award = decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)]).awards.get()
    services.award_revoke(actor=cast.parent, award=award, reason="fraud", revoked_on=TODAY, today=TODAY)
    assert Award.objects.get(pk=award.pk).revoked_on == TODAY


def test_a_decision_reads_a_fixed_number_of_queries_whatever_its_size(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [member(cast, cast.unit, f"Người {i:02d}") for i in range(24)]
    counted = []
    for number, group in (("A", people[:3]), ("B", people[3:])):
        with CaptureQueriesContext(connection) as queries:
            decide(cast, "lao_dong_tien_tien", [(p, YEAR, None) for p in group], number=number)
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert Award.objects.count() == 24
