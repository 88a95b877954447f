"""The awards endpoints of /api/v1/: the permission matrix, exact values, strict input, the error shape.

On every denial the awards' tables and the audit log are exactly as before.
"""

import pytest
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.awards import services
from unionhall.awards.models import Decision, Nomination

from .awarding import TODAY, YEAR, decide, english, initiative, kind, member, state  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]
READ = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.fixture(name="api")
def api_fixture(cast):
    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


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
    return decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="07/QĐ").awards.get()


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state() == before
    return response.json()["error"]


# ---------------------------------------------------------------- catalogue


@pytest.mark.parametrize("who", EVERYONE)
def test_the_catalogue_for_everyone_signed_in(api, cast, who):
    response = api(who).get("/api/v1/award-types/")
    if who is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    types = {t["code"]: t for t in response.json()["results"]}
    assert len(types) >= 18
    cstdcs = types["chien_si_thi_dua_co_so"]
    assert cstdcs["recipient"] == "individual" and cstdcs["names"]["en"] == "Grassroots Emulation Fighter"
    current = next(r for r in cstdcs["rules"] if r["valid_from"] == "2024-01-01")
    assert current["quota_of"] == "lao_dong_tien_tien" and current["quota_percent"] == "15.00"
    assert current["verified"] == "M" and current["bonus_multiple"] == "1.00"
    assert current["criteria"][0] == {"check": "holds", "award": "lao_dong_tien_tien"}


def test_one_award_type_and_the_base_salaries(api, cast):
    client = api("officer")
    body = client.get("/api/v1/award-types/bang_lao_dong_sang_tao/").json()
    assert body["system"] == "union"
    assert client.get("/api/v1/award-types/nope/").status_code == 404
    salaries = client.get("/api/v1/base-salaries/").json()["results"]
    assert salaries[0] == {
        "valid_from": "2024-07-01",
        "amount_vnd": 2_340_000,
        "legal_basis": "Nghị định 73/2024/NĐ-CP",
    }


# ---------------------------------------------------------------- nominations


@pytest.mark.parametrize("who", EVERYONE)
def test_read_a_nomination_matrix(api, cast, nomination, who):
    response = api(who).get(f"/api/v1/nominations/{nomination.pk}/")
    assert response.status_code == READ[who]
    if who is not None:
        listed = [n["id"] for n in api(who).get("/api/v1/nominations/").json()["results"]]
        assert listed == ([nomination.pk] if READ[who] == 200 else [])


def test_create_a_nomination(api, cast, lan):
    evidence = initiative(cast.unit, lan)
    response = api("officer").post(
        "/api/v1/nominations/",
        {
            "award_type": "chien_si_thi_dua_co_so",
            "year": YEAR,
            "proposing_unit": cast.unit.code,
            "person": lan.member_code,
            "initiatives": [evidence.pk],
            "note": "Xuất sắc",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/nominations/{body['id']}/")
    assert (body["person"], body["unit"], body["status"], body["initiatives"]) == (
        lan.member_code,
        None,
        "draft",
        [evidence.pk],
    )
    assert {"eligible", "reasons", "checked_on"} <= set(body["check"])


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_a_nomination_outside_the_scope_is_refused_and_nothing_written(api, cast, lan, who):
    before = state()
    response = api(who).post(
        "/api/v1/nominations/",
        {"award_type": "lao_dong_tien_tien", "year": YEAR, "proposing_unit": cast.unit.code, "person": lan.member_code},
        format="json",
    )
    error = denied(response, 400, before)
    assert error["fields"]["proposing_unit"] == ["Unit DN-TB-001 was not found."]


def test_unknown_keys_are_refused(api, cast, lan):
    before = state()
    response = api("officer").post(
        "/api/v1/nominations/",
        {
            "award_type": "lao_dong_tien_tien",
            "year": YEAR,
            "proposing_unit": cast.unit.code,
            "person": lan.member_code,
            "status": "approved",
        },
        format="json",
    )
    assert denied(response, 400, before)["fields"]["status"] == ["This field is not accepted here."]


def test_a_future_year_is_refused(api, cast, lan):
    before = state()
    response = api("officer").post(
        "/api/v1/nominations/",
        {"award_type": "lao_dong_tien_tien", "year": 2099, "proposing_unit": cast.unit.code, "person": lan.member_code},
        format="json",
    )
    assert denied(response, 400, before)["code"] == "date_order"


def test_patch_needs_the_version(api, cast, nomination):
    client = api("officer")
    url = f"/api/v1/nominations/{nomination.pk}/"
    assert client.patch(url, {"note": "x"}, format="json").status_code == 400
    response = client.patch(url, {"note": "Sửa", "version": nomination.version}, format="json")
    assert response.status_code == 200 and response.json()["note"] == "Sửa" and response.json()["version"] == 2
    stale = client.patch(url, {"note": "again", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"


@pytest.mark.parametrize(("who", "status"), [("officer", 200), ("parent", 200), ("sibling", 404), ("outsider", 404)])
def test_submit_matrix(api, cast, nomination, who, status):
    before = state()
    response = api(who).post(f"/api/v1/nominations/{nomination.pk}/submit/", {}, format="json")
    assert response.status_code == status
    if status == 200:
        assert response.json()["status"] == "submitted"
    else:
        denied(response, status, before)


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 403), ("parent", 200), ("sibling", 404), ("outsider", 404), ("admin", 200)]
)
def test_approve_matrix(api, cast, nomination, who, status):
    services.nomination_submit(actor=cast.officer, nomination=nomination, today=TODAY)
    before = state()
    response = api(who).post(f"/api/v1/nominations/{nomination.pk}/approve/", {"note": "OK"}, format="json")
    if status == 200:
        assert response.status_code == 200 and response.json()["status"] == "approved"
    else:
        denied(response, status, before)


def test_reject_needs_a_reason_and_check_refreshes(api, cast, nomination):
    client = api("officer")
    assert client.post(f"/api/v1/nominations/{nomination.pk}/check/").status_code == 200
    client.post(f"/api/v1/nominations/{nomination.pk}/submit/", {}, format="json")
    parent = api("parent")
    assert parent.post(f"/api/v1/nominations/{nomination.pk}/reject/", {}, format="json").status_code == 400
    response = parent.post(f"/api/v1/nominations/{nomination.pk}/reject/", {"reason": "Thiếu"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["review_note"] == "Thiếu"


# ---------------------------------------------------------------- decisions


def decision_body(cast, lan, **extra):
    body = {
        "number": "21/QĐ-CĐ",
        "signed_on": "2025-01-20",
        "signer": "Lê Thị Hoa",
        "granting_unit": cast.commune.code,
        "award_type": "lao_dong_tien_tien",
        "awardees": [{"person": lan.member_code, "year": YEAR}],
    }
    return {**body, **extra}


def test_create_a_decision_computes_the_bonus(api, cast, lan):
    response = api("parent").post("/api/v1/decisions/", decision_body(cast, lan), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["base_salary_vnd"] == 2_340_000
    assert [(a["person"], a["year"], a["bonus_vnd"], a["awardee_unit"]) for a in body["awards"]] == [
        (lan.member_code, YEAR, 702_000, cast.unit.code)
    ]
    assert response["Location"].endswith(f"/api/v1/decisions/{body['id']}/")


@pytest.mark.parametrize("who", ["officer", "sibling", "outsider"])
def test_a_decision_outside_the_decide_scope_is_refused(api, cast, lan, who):
    before = state()
    response = api(who).post("/api/v1/decisions/", decision_body(cast, lan), format="json")
    denied(response, 400, before)


def test_a_decision_by_a_unit_type_that_may_not_grant(api, cast, lan):
    before = state()
    body = decision_body(cast, lan, award_type="chien_si_thi_dua_tinh", granting_unit=cast.unit.code)
    error = denied(api("officer").post("/api/v1/decisions/", body, format="json"), 400, before)
    assert error["code"] == "granting_unit_type" and "granting_unit" in error["fields"]


def test_a_decision_for_an_achievement_already_awarded(api, cast, lan, award):
    before = state()
    body = decision_body(cast, lan, number="99/QĐ")
    error = denied(api("parent").post("/api/v1/decisions/", body, format="json"), 409, before)
    assert error["code"] == "already_awarded" and "awardees.0" in error["fields"]


def test_a_decision_with_dates_out_of_order(api, cast, lan):
    before = state()
    body = decision_body(cast, lan, signed_on="2024-12-20", awardees=[{"person": lan.member_code, "year": 2025}])
    error = denied(api("parent").post("/api/v1/decisions/", body, format="json"), 400, before)
    assert error["code"] == "date_order"


def test_an_awardee_needs_a_person_or_a_unit(api, cast, lan):
    before = state()
    body = decision_body(cast, lan, awardees=[{"year": YEAR}])
    denied(api("parent").post("/api/v1/decisions/", body, format="json"), 400, before)


@pytest.mark.parametrize("who", EVERYONE)
def test_read_a_decision_matrix(api, cast, award, who):
    response = api(who).get(f"/api/v1/decisions/{award.decision_id}/")
    assert response.status_code == READ[who]
    if READ[who] == 200:
        assert [a["id"] for a in response.json()["awards"]] == [award.pk]
        listed = [d["id"] for d in api(who).get("/api/v1/decisions/?year=2025").json()["results"]]
        assert listed == [award.decision_id]


# ---------------------------------------------------------------- awards


@pytest.mark.parametrize("who", EVERYONE)
def test_read_awards_matrix(api, cast, award, who):
    response = api(who).get(f"/api/v1/awards/{award.pk}/")
    assert response.status_code == READ[who]
    if READ[who] == 200:
        assert response.json()["bonus_vnd"] == 702_000
        listed = api(who).get(f"/api/v1/awards/?person={award.person.member_code}").json()["results"]
        assert [a["id"] for a in listed] == [award.pk]


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 404), ("parent", 200), ("sibling", 404), ("outsider", 404), ("admin", 200)]
)
def test_revoke_matrix(api, cast, award, who, status):
    before = state()
    body = {"revocation_reason": "false_dossier", "revoked_on": "2025-03-01", "recovered_vnd": 702_000}
    response = api(who).post(f"/api/v1/awards/{award.pk}/revoke/", body, format="json")
    if status == 200:
        assert response.status_code == 200
        assert (response.json()["revoked_on"], response.json()["recovered_vnd"]) == ("2025-03-01", 702_000)
    else:
        denied(response, status, before)


@pytest.mark.parametrize(
    ("amount", "message"), [(-1, "The amount cannot be negative."), (10**16, "The amount cannot exceed")]
)
def test_a_recovery_out_of_range_is_a_clear_error(api, cast, award, amount, message):
    before = state()
    body = {"revocation_reason": "fraud", "revoked_on": "2025-03-01", "recovered_vnd": amount}
    error = denied(api("parent").post(f"/api/v1/awards/{award.pk}/revoke/", body, format="json"), 400, before)
    assert error["fields"]["recovered_vnd"][0].startswith(message)


def test_a_revocation_dated_before_the_decision(api, cast, award):
    before = state()
    body = {"revocation_reason": "fraud", "revoked_on": "2025-01-01"}
    error = denied(api("parent").post(f"/api/v1/awards/{award.pk}/revoke/", body, format="json"), 400, before)
    assert error["code"] == "date_order"


@pytest.mark.parametrize("who", EVERYONE)
def test_certificate_matrix(api, cast, award, who):
    response = api(who).get(f"/api/v1/awards/{award.pk}/certificate/?language=vi")
    assert response.status_code == READ[who]
    if READ[who] == 200:
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")


def test_nothing_leaks_between_provinces(api, cast, award):
    assert Decision.objects.count() == 1 and not Nomination.objects.exists()
    assert api("outsider").get("/api/v1/awards/").json()["results"] == []
    assert api("outsider").get("/api/v1/decisions/").json()["results"] == []


def test_dates_are_parsed_strictly(api, cast, lan):
    before = state()
    body = decision_body(cast, lan, signed_on="20/01/2025")
    denied(api("parent").post("/api/v1/decisions/", body, format="json"), 400, before)
