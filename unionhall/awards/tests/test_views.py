"""Award pages: the permission matrix of every page, and each form doing its one service call."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user
from unionhall.awards import services
from unionhall.awards.models import Award, Decision, Nomination

from .awarding import TODAY, YEAR, decide, english, kind, member, state  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
CAST = ["officer", "parent", "sibling", "outsider", "admin"]


@pytest.fixture
def lan(cast):
    return member(cast, cast.unit, "Nguyễn Thị Lan")


@pytest.fixture
def nomination(cast, lan):
    return services.nomination_create(
        actor=cast.officer,
        award_type=kind("chien_si_thi_dua_co_so"),
        year=YEAR,
        proposing_unit=cast.unit,
        person=lan,
        today=TODAY,
    )


@pytest.fixture
def award(cast, lan):
    return decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="07/QĐ-CĐ").awards.get()


def login(client, cast, who):
    user = getattr(cast, who)
    client.force_login(user)
    return user


def expect(who, allowed):
    return 200 if who in allowed else 404


# ---------------------------------------------------------------- catalogue


@pytest.mark.parametrize("who", CAST)
def test_everyone_with_award_view_reads_the_catalogue(client, cast, who):
    login(client, cast, who)
    page = client.get(reverse("awards:catalogue"))
    assert page.status_code == 200
    assert "Advanced Worker" in page.content.decode()
    detail = client.get(reverse("awards:award_type", args=["chien_si_thi_dua_co_so"]))
    text = detail.content.decode()
    assert "Holds Advanced Worker for the same year" in text
    assert "At most 15% of Advanced Worker" in text


def test_the_catalogue_is_not_found_without_any_role(client, db, cast):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("awards:catalogue")).status_code == 404
    assert client.get(reverse("awards:nominations")).status_code == 404
    assert client.get(reverse("awards:decisions")).status_code == 404


def test_the_pages_need_a_login(client, db):
    page = client.get(reverse("awards:decisions"))
    assert page.status_code == 302 and "login" in page["Location"]


# ---------------------------------------------------------------- nominations


@pytest.mark.parametrize("who", CAST)
def test_nomination_pages_matrix(client, cast, nomination, who):
    login(client, cast, who)
    allowed = {"officer", "parent", "admin"}
    page = client.get(reverse("awards:nomination", args=[nomination.pk]))
    assert page.status_code == expect(who, allowed)
    listing = client.get(reverse("awards:nominations")).content.decode()
    assert (f'data-nomination="{nomination.pk}"' in listing) == (who in allowed)


def test_the_nomination_page_shows_the_check_rule_by_rule(client, cast, nomination):
    nomination.eligibility_check = {
        "eligible": False,
        "checked_on": "2025-03-15",
        "reasons": [
            {"code": "holds", "outcome": "fail", "message": "Does not hold Advanced Worker for 2024."},
            {"code": "manual", "outcome": "review", "message": "Confirm: completed the tasks excellently."},
        ],
    }
    nomination.save()
    login(client, cast, "officer")
    text = client.get(reverse("awards:nomination", args=[nomination.pk])).content.decode()
    assert 'data-outcome="fail"' in text and "Does not hold Advanced Worker for 2024." in text
    assert 'data-outcome="review"' in text and "Not eligible" in text


def test_an_officer_creates_a_nomination_through_the_form(client, cast, lan):
    login(client, cast, "officer")
    response = client.post(
        reverse("awards:nomination_create"),
        {
            "award_type": kind("lao_dong_tien_tien").pk,
            "year": YEAR,
            "proposing_unit": cast.unit.code,
            "member_code": lan.member_code,
            "note": "Hoàn thành tốt",
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert (nomination.person, nomination.note, nomination.status) == (lan, "Hoàn thành tốt", "draft")


def test_a_nomination_form_outside_the_scope_writes_nothing(client, cast, lan):
    login(client, cast, "sibling")
    before = state()
    response = client.post(
        reverse("awards:nomination_create"),
        {
            "award_type": kind("lao_dong_tien_tien").pk,
            "year": YEAR,
            "proposing_unit": cast.unit.code,
            "member_code": lan.member_code,
        },
    )
    assert response.status_code == 200
    assert "was not found" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("who", CAST)
def test_submit_matrix(client, cast, nomination, who):
    login(client, cast, who)
    response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]))
    nomination.refresh_from_db()
    if who in ("officer", "parent", "admin"):
        assert response.status_code == 302
        assert nomination.status == "submitted"
    else:
        assert response.status_code == 404
        assert nomination.status == "draft"


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 403), ("parent", 302), ("sibling", 404), ("outsider", 404), ("admin", 302)]
)
def test_approve_matrix(client, cast, nomination, who, status):
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    login(client, cast, who)
    before = state()
    response = client.post(reverse("awards:nomination_approve", args=[nomination.pk]), {"note": "OK"})
    assert response.status_code == status
    nomination.refresh_from_db()
    assert nomination.status == ("approved" if status == 302 else "submitted")
    if status != 302:
        assert state() == before


def test_a_rejection_through_the_form_needs_a_reason(client, cast, nomination):
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    login(client, cast, "parent")
    response = client.post(reverse("awards:nomination_reject", args=[nomination.pk]), {"note": ""})
    assert response.status_code == 200
    response = client.post(reverse("awards:nomination_reject", args=[nomination.pk]), {"note": "Thiếu hồ sơ"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.review_note) == ("rejected", "Thiếu hồ sơ")


def test_edit_a_draft_through_the_form(client, cast, nomination):
    login(client, cast, "officer")
    url = reverse("awards:nomination_edit", args=[nomination.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2023, "note": "Sửa", "initiatives": "", "version": nomination.version})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.year, nomination.note) == (2023, "Sửa")


# ---------------------------------------------------------------- decisions


def test_a_decision_through_the_form_from_approved_nominations(client, cast, lan):
    decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="00/QĐ")
    nomination = services.nomination_create(
        actor=cast.officer, award_type=kind("giay_khen"), year=YEAR, proposing_unit=cast.unit, person=lan, today=TODAY
    )
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    services.nomination_approve(actor=cast.parent, nomination=nomination, today=TODAY)
    login(client, cast, "parent")
    form = client.get(reverse("awards:decision_create") + f"?nominations={nomination.pk}").content.decode()
    assert f"{lan.member_code} {YEAR} {nomination.pk}" in form
    response = client.post(
        reverse("awards:decision_create"),
        {
            "award_type": kind("giay_khen").pk,
            "number": "12/QĐ-CĐP",
            "signed_on": "20/01/2025",
            "signer": "Lê Thị Hoa",
            "granting_unit": cast.commune.code,
            "awardees": f"{lan.member_code} {YEAR} {nomination.pk}\n{cast.section.code} {YEAR}",
        },
    )
    decision = Decision.objects.get(number="12/QĐ-CĐP")
    assert response.status_code == 302 and response["Location"] == reverse("awards:decision", args=[decision.pk])
    assert sorted(decision.awards.values_list("bonus_vnd", flat=True)) == [702_000, 1_404_000]
    nomination.refresh_from_db()
    assert nomination.status == "decided"


def test_a_decision_form_with_a_unit_that_may_not_grant_shows_the_error(client, cast, lan):
    login(client, cast, "officer")
    before = state()
    response = client.post(
        reverse("awards:decision_create"),
        {
            "award_type": kind("chien_si_thi_dua_tinh").pk,
            "number": "1",
            "signed_on": "20/01/2025",
            "signer": "X",
            "granting_unit": cast.unit.code,
            "awardees": f"{lan.member_code} {YEAR}",
        },
    )
    assert response.status_code == 200
    assert "may not grant" in response.content.decode()
    assert state() == before


def test_a_decision_form_with_a_bad_awardee_line_names_the_line(client, cast):
    login(client, cast, "parent")
    response = client.post(
        reverse("awards:decision_create"),
        {
            "award_type": kind("giay_khen").pk,
            "number": "1",
            "signed_on": "20/01/2025",
            "signer": "X",
            "granting_unit": cast.commune.code,
            "awardees": "NOPE 2024",
        },
    )
    assert "Line 1: NOPE is neither a member code nor a unit code." in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", CAST)
def test_decision_and_award_pages_matrix(client, cast, award, who):
    login(client, cast, who)
    allowed = {"officer", "parent", "admin"}
    assert client.get(reverse("awards:decision", args=[award.decision_id])).status_code == expect(who, allowed)
    listing = client.get(reverse("awards:decisions")).content.decode()
    assert (f'data-decision="{award.decision_id}"' in listing) == (who in allowed)
    pdf = client.get(reverse("awards:certificate", args=[award.pk]) + "?language=vi")
    assert pdf.status_code == expect(who, allowed)
    if who in allowed:
        assert pdf["Content-Type"] == "application/pdf"
    history = client.get(reverse("awards:person_history", args=[award.person.member_code]))
    assert history.status_code == expect(who, allowed)
    units = client.get(reverse("awards:unit_history", args=[cast.unit.code]))
    assert units.status_code == expect(who, allowed)


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 404), ("parent", 302), ("sibling", 404), ("outsider", 404), ("admin", 302)]
)
def test_revoke_matrix(client, cast, award, who, status):
    login(client, cast, who)
    before = state()
    response = client.post(
        reverse("awards:award_revoke", args=[award.pk]),
        {"reason": "fraud", "revoked_on": TODAY.strftime("%d/%m/%Y"), "recovered_vnd": "702000"},
    )
    assert response.status_code == status
    award.refresh_from_db()
    if status == 302:
        assert (award.revocation_reason, award.recovered_vnd) == ("fraud", 702_000)
    else:
        assert award.revoked_on is None and state() == before


def test_a_negative_recovery_in_the_form_is_refused(client, cast, award):
    login(client, cast, "parent")
    response = client.post(
        reverse("awards:award_revoke", args=[award.pk]),
        {"reason": "fraud", "revoked_on": "01/03/2025", "recovered_vnd": "-5"},
    )
    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert Award.objects.get(pk=award.pk).revoked_on is None


def test_the_history_shows_revoked_awards_too(client, cast, award):
    services.award_revoke(actor=cast.admin, award=award, reason="fraud", revoked_on=dt.date(2025, 3, 1), today=TODAY)
    login(client, cast, "officer")
    text = client.get(reverse("awards:person_history", args=[award.person.member_code])).content.decode()
    assert "Advanced Worker" in text and "Revoked" in text and "07/QĐ-CĐ" in text


def test_every_form_page_renders(client, cast, nomination, award):
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    login(client, cast, "parent")
    for url in (
        reverse("awards:nomination_create"),
        reverse("awards:nomination_approve", args=[nomination.pk]),
        reverse("awards:nomination_reject", args=[nomination.pk]),
        reverse("awards:decision_create"),
        reverse("awards:award_revoke", args=[award.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_pages_in_vietnamese_and_persian(client, cast, award):
    for language, expected in (("vi", "Lao động tiên tiến"), ("fa", "کارگر پیشرو")):
        cast.parent.language = language
        cast.parent.save()
        client.force_login(cast.parent)
        text = client.get(reverse("awards:decision", args=[award.decision_id])).content.decode()
        assert expected in text
        assert client.get(reverse("awards:catalogue")).status_code == 200


def test_the_nomination_form_is_filled_from_the_query_string(client, cast, lan):
    login(client, cast, "officer")
    query = f"?unit={cast.unit.code}&award_type=lao_dong_tien_tien&year=2024&member_code={lan.member_code}"
    form = client.get(reverse("awards:nomination_create") + query).context["form"]
    assert form.initial["award_type"] == kind("lao_dong_tien_tien").pk
    assert (form.initial["year"], form.initial["member_code"], form.initial["proposing_unit"]) == (
        2024,
        lan.member_code,
        cast.unit.code,
    )
