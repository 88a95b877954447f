"""The seeded catalogue (award types, dated rules, base salaries), its admin, and the movement result."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from unionhall.audit.models import AuditEntry
from unionhall.awards import rules, selectors
from unionhall.awards.admin import AwardRuleForm
from unionhall.awards.describe import criteria_problems, describe
from unionhall.awards.models import AwardRule, AwardType, BaseSalary
from unionhall.movements import results
from unionhall.movements.models import Movement

from .awarding import SIGNED, TODAY, YEAR, decide, english, kind, member  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
REQUIRED = [
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_tinh",
    "chien_si_thi_dua_toan_quoc",
    "tap_the_lao_dong_tien_tien",
    "tap_the_lao_dong_xuat_sac",
    "co_thi_dua",
    "giay_khen",
    "bang_khen_tinh",
    "bang_khen_thu_tuong",
    "huan_chuong_lao_dong",
    "bang_lao_dong_sang_tao",
    "giai_thuong_nguyen_duc_canh",
    "giai_thuong_nguyen_van_linh",
    "ky_niem_chuong",
    "doan_vien_cong_doan_xuat_sac",
    "cong_doan_co_so_vung_manh",
    "to_cong_doan_vung_manh",
]


def rule_on(code: str, day: dt.date = SIGNED) -> AwardRule:
    found = rules.rule_in_force(kind(code), day)
    assert found is not None
    return found


def test_every_award_of_the_issue_is_seeded_in_four_languages(db):
    found = {t.code: t for t in AwardType.objects.all()}
    assert set(REQUIRED) <= set(found)
    for code in REQUIRED:
        assert all(found[code].names().values()), code
        assert AwardRule.objects.filter(award_type__code=code).exists(), code


def test_every_seeded_rule_speaks_the_criteria_language(db):
    for rule in AwardRule.objects.all():
        assert criteria_problems(rule.criteria) == [], rule


@pytest.mark.parametrize(
    ("code", "individual", "collective"),
    [
        ("chien_si_thi_dua_toan_quoc", "4.50", None),
        ("chien_si_thi_dua_tinh", "3.00", None),
        ("chien_si_thi_dua_co_so", "1.00", None),
        ("lao_dong_tien_tien", "0.30", None),
        ("tap_the_lao_dong_xuat_sac", "0.00", "1.50"),
        ("tap_the_lao_dong_tien_tien", "0.00", "0.80"),
        ("giay_khen", "0.30", "0.60"),
        ("bang_khen_tinh", "1.00", "2.00"),
        ("bang_khen_thu_tuong", "1.50", "3.00"),
    ],
)
def test_bonus_multiples_of_the_table(db, code, individual, collective):
    rule = rule_on(code)
    assert rule.bonus_multiple == Decimal(individual)
    assert rule.collective_multiple == (None if collective is None else Decimal(collective))


def test_grassroots_fighter_under_the_2022_law(db):
    rule = rule_on("chien_si_thi_dua_co_so")
    assert (rule.valid_from, rule.valid_to, rule.verified) == (dt.date(2024, 1, 1), dt.date(2025, 7, 1), "M")
    assert rule.quota_of.code == "lao_dong_tien_tien" and rule.quota_percent == Decimal(15)
    assert rule.criteria == [
        {"check": "holds", "award": "lao_dong_tien_tien"},
        {
            "check": "any",
            "of": [
                {
                    "check": "manual",
                    "label_vi": "Hoàn thành xuất sắc nhiệm vụ",
                    "label_en": "Completed the assigned tasks excellently",
                },
                {"check": "initiatives", "count": 1, "level": "grassroots", "years": 1},
            ],
        },
    ]
    older = rule_on("chien_si_thi_dua_co_so", dt.date(2020, 6, 1))
    assert older.criteria[1] == {"check": "initiatives", "count": 1, "level": "grassroots", "years": 1}
    assert "152/2025" in rule_on("chien_si_thi_dua_co_so", dt.date(2025, 7, 1)).legal_basis


def test_titles_needing_consecutive_years(db):
    assert rule_on("chien_si_thi_dua_tinh").criteria[0] == {
        "check": "consecutive",
        "award": "chien_si_thi_dua_co_so",
        "years": 3,
    }
    assert rule_on("chien_si_thi_dua_toan_quoc").criteria[0]["years"] == 2
    assert rule_on("chien_si_thi_dua_toan_quoc").criteria[1]["level"] == "national"


def test_collective_titles_share_of_advanced_workers(db):
    assert rule_on("tap_the_lao_dong_tien_tien").criteria[0] == {
        "check": "share",
        "award": "lao_dong_tien_tien",
        "percent": 50,
        "strict": True,
    }
    excellent = rule_on("tap_the_lao_dong_xuat_sac").criteria
    assert excellent[0]["percent"] == 70 and excellent[0]["strict"] is False
    assert excellent[1] == {"check": "members_hold", "award": "chien_si_thi_dua_co_so", "count": 1}


def test_creative_labour_certificate_thresholds(db):
    branches = rule_on("bang_lao_dong_sang_tao").criteria[0]["of"]
    amounts = [[p["amount_vnd"] for p in _flatten(branch) if p.get("check") == "benefit"] for branch in branches]
    assert amounts == [[80_000_000, 120_000_000], [150_000_000], [200_000_000]]
    three_years = next(p for p in _flatten(branches[0]) if p.get("amount_vnd") == 120_000_000)
    assert (three_years["years"], three_years["single"]) == (3, False)


def _flatten(item):
    yield item
    for part in item.get("of", []):
        yield from _flatten(part)


def test_union_prizes(db):
    linh = rule_on("giai_thuong_nguyen_van_linh")
    assert kind("giai_thuong_nguyen_van_linh").recurrence == "once" and linh.quota_per_year == 10
    assert {"check": "unit_holds", "award": "cong_doan_co_so_vung_manh"} in linh.criteria
    assert {"check": "initiatives", "count": 2, "level": "grassroots", "years": 5} in linh.criteria
    assert kind("giai_thuong_nguyen_duc_canh").recurrence == "once"
    medal = rule_on("ky_niem_chuong", dt.date(2020, 1, 1))
    assert {"check": "service_years", "years": 20, "part_time_factor": 1.5} in medal.criteria
    assert medal.verified == "S" and rule_on("ky_niem_chuong").verified == "?"


def test_union_titles_are_granted_by_grassroots_unions_and_above(db):
    member_title = {t.code for t in rule_on("doan_vien_cong_doan_xuat_sac").granting_unit_types.all()}
    assert {"grassroots_union", "commune_union", "provincial_federation"} <= member_title
    assert "union_group" not in member_title
    strong = {t.code for t in rule_on("cong_doan_co_so_vung_manh").granting_unit_types.all()}
    assert "grassroots_union" not in strong and "commune_union" in strong


def test_base_salaries(db):
    assert BaseSalary.objects.in_force(dt.date(2024, 6, 30)).amount_vnd == 1_800_000
    assert BaseSalary.objects.in_force(dt.date(2024, 7, 1)).amount_vnd == 2_340_000
    assert rules.bonus_vnd(Decimal("0.3"), 2_340_000) == 702_000


def test_criteria_in_words(db):
    lines = describe(rule_on("chien_si_thi_dua_co_so").criteria)
    assert lines[0].text == "Holds Advanced Worker for the same year"
    assert lines[1].text == "One of:"
    assert lines[1].parts[1].text == (
        "Author of at least 1 initiatives recognised at grassroots level or above in the last 1 years"
    )


# ---------------------------------------------------------------- admin


def rule_data(**extra):
    data = {
        "award_type": kind("giay_khen").pk,
        "valid_from": "2020-01-01",
        "valid_to": "2024-01-01",
        "legal_basis": "Test",
        "verified": "M",
        "bonus_multiple": "0.3",
        "period_years": "1",
        "criteria": '[{"check": "once"}]',
    }
    return {**data, **extra}


def test_the_rule_form_refuses_an_overlap_and_bad_criteria(db):
    assert AwardRuleForm(rule_data()).is_valid()
    overlap = AwardRuleForm(rule_data(valid_from="2025-01-01", valid_to=""))
    assert not overlap.is_valid() and "valid_from" in overlap.errors
    bad = AwardRuleForm(rule_data(criteria='[{"check": "holds"}, {"check": "magic"}]'))
    assert not bad.is_valid()
    assert bad.errors["criteria"] == ["Criterion 1 (holds): missing award.", "Criterion 2: unknown check."]
    backwards = AwardRuleForm(rule_data(valid_to="2019-01-01"))
    assert not backwards.is_valid() and "valid_to" in backwards.errors


def test_the_admin_edits_the_catalogue_and_audits_inline_rules(client, cast):
    client.force_login(cast.admin)
    award_type = kind("giay_khen")
    assert client.get(reverse("admin:awards_awardtype_changelist")).status_code == 200
    url = reverse("admin:awards_awardtype_change", args=[award_type.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    formset = page.context["inline_admin_formsets"][0].formset
    data = {name: value for name, value in form.initial.items() if value is not None and name != "id"}
    data["name_en"] = "Certificate of Commendation (edited)"
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
            f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
            f"{formset.prefix}-MIN_NUM_FORMS": "0",
            f"{formset.prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, inline in enumerate(formset.forms):
        rule = inline.instance
        prefix = f"{formset.prefix}-{index}"
        data.update(
            {
                f"{prefix}-id": str(rule.pk),
                f"{prefix}-award_type": str(award_type.pk),
                f"{prefix}-valid_from": rule.valid_from.isoformat(),
                f"{prefix}-valid_to": rule.valid_to.isoformat() if rule.valid_to else "",
                f"{prefix}-legal_basis": rule.legal_basis,
                f"{prefix}-verified": rule.verified,
                f"{prefix}-bonus_multiple": "0.35" if index == 0 else str(rule.bonus_multiple),
                f"{prefix}-collective_multiple": str(rule.collective_multiple or ""),
                f"{prefix}-granting_unit_types": [str(t.pk) for t in rule.granting_unit_types.all()],
                f"{prefix}-quota_percent": "",
                f"{prefix}-quota_per_year": "",
                f"{prefix}-period_years": str(rule.period_years),
                f"{prefix}-criteria": json.dumps(rule.criteria),
                f"{prefix}-note": rule.note,
            }
        )
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    award_type.refresh_from_db()
    assert award_type.name_en == "Certificate of Commendation (edited)"
    changed = AwardRule.objects.get(pk=formset.forms[0].instance.pk)
    assert changed.bonus_multiple == Decimal("0.35")
    actions = list(AuditEntry.objects.filter(pk__gt=before).values_list("action", "object_type"))
    assert ("admin.change", "awards.awardtype") in actions and ("admin.change", "awards.awardrule") in actions


def test_decisions_are_only_read_in_the_admin(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("admin:awards_decision_changelist")).status_code == 200
    assert client.get(reverse("admin:awards_decision_add")).status_code == 403


# ---------------------------------------------------------------- movement result


def test_awards_decided_is_a_movement_result(cast):
    movement = Movement.objects.create(
        code="ldg-lds",
        title="Lao động giỏi, Lao động sáng tạo",
        kind="regular",
        launcher=cast.province,
        start_date=dt.date(2023, 1, 1),
    )
    lan, binh = member(cast, cast.unit, "A"), member(cast, cast.unit, "B")
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None), (binh, YEAR, None)], movement=movement)
    result = next(r for r in results.results() if r.code == "awards_decided")
    assert str(result.label) == "Awards decided"
    assert result.compute([movement.pk, 999_999]) == {movement.pk: 2}
    assert selectors.awards_per_movement([]) == {}
    assert TODAY > SIGNED
