"""The democracy endpoints of /api/v1/: the permission matrix, exact bodies, nothing changed on a refusal."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.democracy.models import Dialogue, EmployeeConference
from unionhall.democracy.tests.fixtures import record_conference, record_dialogue, state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]


@pytest.fixture(name="api")
def api_fixture(cast):
    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


def body(**extra):
    values = {
        "unit": "DN-TB-001",
        "title": "Đối thoại định kỳ năm 2025",
        "starts_at": "2025-03-10T08:00:00+07:00",
        "employer": "DN-TB-E001",
        "headcount": 120,
        "employer_side": 3,
        "legal_representative_present": True,
        "employee_side": 5,
        "employee_side_women": 2,
    }
    values.update(extra)
    return values


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state() == before
    return response.json()["error"]


def test_record_a_dialogue(api, cast, world):
    response = api("officer").post("/api/v1/dialogues/", body(), format="json")
    assert response.status_code == 201, response.content
    dialogue = Dialogue.objects.get()
    assert response["Location"].endswith(f"/api/v1/dialogues/{dialogue.pk}/")
    assert response.json() == {
        "id": dialogue.pk,
        "title": "Đối thoại định kỳ năm 2025",
        "unit": "DN-TB-001",
        "status": "held",
        "employer": "DN-TB-E001",
        "employer_name": "Công ty TNHH Sông Mây",
        "held_on": "2025-03-10",
        "headcount": 120,
        "trigger": "periodic",
        "trigger_article": "",
        "employer_side": 3,
        "employer_side_women": 0,
        "legal_representative_present": True,
        "employee_side": 5,
        "employee_side_women": 2,
        "agreements": "",
        "published_on": None,
        "composition_issues": [],
        "composition_confirmed_at": None,
        "version": 1,
    }
    assert dialogue.activity.kind.code == "workplace_dialogue"


def test_a_composition_warning_then_a_confirmation(api, cast, world):
    before = state()
    error = denied(api("officer").post("/api/v1/dialogues/", body(employee_side=2), format="json"), 400, before)
    assert error["code"] == "composition"
    assert "The employee side has 2 representatives; with 120 employees at least 4 are required." in error["message"]
    assert "confirm_composition" in error["fields"]
    response = api("officer").post("/api/v1/dialogues/", body(employee_side=2, confirm_composition=True), format="json")
    assert response.status_code == 201
    assert response.json()["composition_issues"] == [
        {
            "code": "employee_side_short",
            "actual": 2,
            "limit": 4,
            "headcount": 120,
            "message": "The employee side has 2 representatives; with 120 employees at least 4 are required.",
        }
    ]


@pytest.mark.parametrize(
    ("who", "sent", "status", "field"),
    [
        (None, {}, 401, None),
        ("officer", {"employer": "KH-E001"}, 400, "employer"),
        ("sibling", {}, 400, "unit"),
        ("outsider", {}, 400, "unit"),
        ("officer", {"headcount": -1}, 400, "headcount"),
        ("officer", {"ends_at": "2025-03-10T07:00:00+07:00"}, 400, "ends_at"),
        ("officer", {"surprise": 1}, 400, "surprise"),
        ("officer", {"kind": "training"}, 400, "kind"),
    ],
)
def test_refused_dialogues_write_nothing(api, cast, world, who, sent, status, field):
    before = state()
    error = denied(api(who).post("/api/v1/dialogues/", body(**sent), format="json"), status, before)
    if field:
        assert field in error["fields"], error


def test_dialogue_read_matrix(api, cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    expected = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}
    for who in EVERYONE:
        assert api(who).get(f"/api/v1/dialogues/{dialogue.pk}/").status_code == expected[who], who
        listed = api(who).get("/api/v1/dialogues/")
        if expected[who] == 200:
            assert [r["id"] for r in listed.json()["results"]] == [dialogue.pk]
        elif who is not None:
            assert listed.json()["results"] == []


def test_record_and_read_an_employee_conference(api, cast, world):
    response = api("officer").post(
        "/api/v1/employee-conferences/",
        body(title="Hội nghị người lao động", form="delegates", attended=40, agreement_reviewed=True),
        format="json",
    )
    # Dialogue-only keys are refused here.
    assert response.status_code == 400
    sent = {
        k: v
        for k, v in body(title="Hội nghị người lao động").items()
        if k not in ("employer_side", "legal_representative_present", "employee_side", "employee_side_women")
    }
    response = api("officer").post(
        "/api/v1/employee-conferences/", {**sent, "form": "delegates", "attended": 40}, format="json"
    )
    assert response.status_code == 201, response.content
    conference = EmployeeConference.objects.get()
    assert (response.json()["attended"], response.json()["form"], conference.activity.kind.code) == (
        40,
        "delegates",
        "employee_conference",
    )
    assert api("sibling").get(f"/api/v1/employee-conferences/{conference.pk}/").status_code == 404


def test_workplace_compliance(api, cast, world):
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2020, 6, 1))
    record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2020, 6, 1))
    response = api("parent").get("/api/v1/workplace-compliance/?unit=DN-TB&state=overdue")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["unit"], data["counts"]["employers"], data["counts"]["overall"]["overdue"], data["next"]) == (
        "DN-TB",
        2,
        2,
        None,
    )
    assert [r["employer"] for r in data["results"]] == ["DN-TB-E002", "DN-TB-E001"]
    assert data["results"][1]["last_dialogue"] == "2020-06-01"
    assert data["results"][1]["last_dialogue_minutes"] is False
    assert api("officer").get("/api/v1/workplace-compliance/").json()["unit"] == "DN-TB-001"
    assert api("officer").get("/api/v1/workplace-compliance/?unit=DN-TB").status_code == 400
    assert api("outsider").get("/api/v1/workplace-compliance/?unit=DN-TB-001").status_code == 400
    assert api("parent").get("/api/v1/workplace-compliance/?state=nonsense").status_code == 400
    assert api("parent").get("/api/v1/workplace-compliance/?cursor=abc").status_code == 400
    assert api(None).get("/api/v1/workplace-compliance/").status_code == 401
