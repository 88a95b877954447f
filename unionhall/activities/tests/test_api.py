"""The activities endpoints of /api/v1/: the permission matrix, exact bodies, and nothing changed on a denial."""

import pytest

from unionhall.activities import services
from unionhall.activities.models import Activity, Attendee, Headcount
from unionhall.api.tests.conftest import token_client

from .fixtures import create, state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin", "police"]


@pytest.fixture(name="api")
def api_fixture(cast, world):
    type(cast.admin).objects.update(language="en")
    people = {
        "officer": cast.officer,
        "parent": cast.parent,
        "sibling": cast.sibling,
        "outsider": cast.outsider,
        "admin": cast.admin,
        "police": world.police_officer,
    }

    def client(who):
        from rest_framework.test import APIClient

        return APIClient() if who is None else token_client(people[who])

    return client


@pytest.fixture
def session(cast, world):
    """The grassroots union's session, co-organised by the police department."""
    return create(cast.officer, cast.unit, reference="TT-01", co_organisers=(world.police,))


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state() == before
    return response.json()["error"]


# ---------------------------------------------------------------- kinds


def test_kinds_are_listed_for_anyone_who_sees_activities(api, cast):
    body = api("officer").get("/api/v1/activity-kinds/").json()
    assert [k["code"] for k in body["results"]][:3] == ["dissemination", "training", "conference"]
    assert len(body["results"]) == 10
    assert body["results"][0] == {
        "code": "dissemination",
        "name": "Dissemination / propaganda session",
        "role": "general",
        "rank": 10,
        "active": True,
    }
    assert api("officer").get("/api/v1/activity-kinds/workplace_dialogue/").json()["role"] == "workplace_dialogue"
    assert api("officer").get("/api/v1/activity-kinds/nope/").status_code == 404
    assert api(None).get("/api/v1/activity-kinds/").status_code == 401


# ---------------------------------------------------------------- activities


SEES = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200, "police": 200}
CHANGES = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200, "police": 403}


def test_activity_retrieve_matrix(api, cast, world, session):
    before = state()
    for who in EVERYONE:
        response = api(who).get(f"/api/v1/activities/{session.pk}/")
        if SEES[who] != 200:
            error = denied(response, SEES[who], before)
            assert error["code"] == ("not_authenticated" if who is None else "not_found"), who
            continue
        body = response.json()
        assert (body["id"], body["unit"], body["reference"], body["organisers"]) == (
            session.pk,
            "DN-TB-001",
            "TT-01",
            ["DN-CA", "DN-TB-001"],
        ), who


def test_activity_body(api, cast, world, session):
    body = api("officer").get(f"/api/v1/activities/{session.pk}/").json()
    assert body == {
        "id": session.pk,
        "kind": "dissemination",
        "kind_name": "Dissemination / propaganda session",
        "unit": "DN-TB-001",
        "unit_name": cast.unit.name,
        "reference": "TT-01",
        "title": "Tuyên truyền Bộ luật Lao động 2019",
        "starts_at": "2025-03-10T08:00:00+07:00",
        "ends_at": "2025-03-10T11:00:00+07:00",
        "place": "Hội trường công ty",
        "status": "held",
        "attendance_mode": "roster",
        "movement": None,
        "programme": None,
        "participants": 0,
        "women": 0,
        "version": 1,
        "topic": "",
        "chair": "",
        "agenda": "",
        "planned_participants": None,
        "organisers": ["DN-CA", "DN-TB-001"],
        "speakers": [],
        "headcounts": [],
        "files": [],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def test_activity_change_matrix(api, cast, world, session):
    for who in EVERYONE:
        before = state()
        version = Activity.objects.get(pk=session.pk).version
        url = f"/api/v1/activities/{session.pk}/"
        response = api(who).patch(url, {"version": version, "chair": f"Chủ trì {who}"}, format="json")
        if CHANGES[who] != 200:
            denied(response, CHANGES[who], before)
            denied(api(who).delete(url), CHANGES[who], before)
            continue
        assert response.status_code == 200, response.content
        assert (response.json()["chair"], response.json()["version"]) == (f"Chủ trì {who}", version + 1)
        # What PATCH leaves out stays: the police still co-organise.
        assert response.json()["organisers"] == ["DN-CA", "DN-TB-001"]


def test_a_stale_version_is_a_conflict(api, cast, world, session):
    before = state()
    response = api("officer").patch(f"/api/v1/activities/{session.pk}/", {"version": 7, "chair": "X"}, format="json")
    assert denied(response, 409, before)["code"] == "stale"


def test_create_records_an_activity(api, cast, world):
    body = {
        "unit": "DN-TB-001",
        "kind": "training",
        "title": "Tập huấn an toàn lao động",
        "starts_at": "2025-05-02T08:00:00+07:00",
        "ends_at": "2025-05-02T16:30:00+07:00",
        "reference": "TH-05",
        "co_organisers": ["dn-ca"],
        "speakers": [{"name": "Đại tá Nguyễn Văn Hùng", "title": "Phó Giám đốc Công an tỉnh"}],
        "attendance_mode": "counted",
    }
    response = api("officer").post("/api/v1/activities/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"].endswith(f"/api/v1/activities/{created['id']}/")
    assert (created["kind"], created["reference"], created["organisers"], created["attendance_mode"]) == (
        "training",
        "TH-05",
        ["DN-CA", "DN-TB-001"],
        "counted",
    )
    assert created["speakers"] == [
        {"name": "Đại tá Nguyễn Văn Hùng", "title": "Phó Giám đốc Công an tỉnh", "member_code": None}
    ]

    counts = {"counts": [{"category": "member", "total": 40, "women": 25}, {"category": "citizen", "total": 10}]}
    response = api("officer").post(f"/api/v1/activities/{created['id']}/headcounts/", counts, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["participants"], response.json()["women"]) == (50, 25)
    assert response.json()["headcounts"] == [
        {"category": "citizen", "total": 10, "women": 0},
        {"category": "member", "total": 40, "women": 25},
    ]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"unit": "DN-TB-002"}, 400, "unit"),
        ({"unit": "DN-TB-001", "ends_at": "2025-05-01T08:00:00+07:00"}, 400, "ends_at"),
        ({"starts_at": "yesterday"}, 400, "starts_at"),
        ({"planned_participants": "many"}, 400, "planned_participants"),
        ({"planned_participants": -1}, 400, "planned_participants"),
        ({"co_organisers": "DN-CA"}, 400, "co_organisers"),
        ({"co_organisers": ["NOPE"]}, 400, "co_organisers"),
        ({"kind": "workplace_dialogue2"}, 400, "kind"),
        ({"speakers": [{"name": "A", "rank": "general"}]}, 400, "speakers.0.rank"),
        ({"participants": 5000}, 400, "participants"),
        ({"movement": "khong-co"}, 400, "movement"),
    ],
)
def test_create_refuses_bad_bodies_and_writes_nothing(api, cast, world, change, status, field):
    body = {"unit": "DN-TB-001", "kind": "training", "title": "Tập huấn", "starts_at": "2025-05-02T08:00:00+07:00"}
    body.update(change)
    before = state()
    error = denied(api("officer").post("/api/v1/activities/", body, format="json"), status, before)
    assert field in error["fields"], error


def test_negative_counts_are_refused(api, cast, world):
    activity = create(cast.officer, cast.unit, attendance_mode="counted")
    before = state()
    counts = {"counts": [{"category": "member", "total": -3, "women": 0}]}
    error = denied(
        api("officer").post(f"/api/v1/activities/{activity.pk}/headcounts/", counts, format="json"), 400, before
    )
    assert error["fields"] == {"counts.0.total": ["Ensure this value is greater than or equal to 0."]}
    counts = {"counts": [{"category": "member", "total": 3, "women": 4}]}
    error = denied(
        api("officer").post(f"/api/v1/activities/{activity.pk}/headcounts/", counts, format="json"), 400, before
    )
    assert error["message"] == "The women (4) cannot outnumber the participants (3)."
    assert not Headcount.objects.exists()


def test_a_roster_activity_takes_no_counts(api, cast, world, session):
    before = state()
    counts = {"counts": [{"category": "member", "total": 3, "women": 0}]}
    error = denied(
        api("officer").post(f"/api/v1/activities/{session.pk}/headcounts/", counts, format="json"), 400, before
    )
    assert error["message"] == "This activity keeps a roster; participants are checked in, not counted."


def test_list_and_filters(api, cast, world, session):
    create(cast.officer, cast.section, reference="S-1", title="Sinh hoạt chuyên đề", kind=session.kind)
    create(cast.sibling, cast.sibling_unit, reference="X-1")
    listed = api("officer").get("/api/v1/activities/").json()["results"]
    assert sorted(a["reference"] for a in listed) == ["S-1", "TT-01"]
    assert [a["reference"] for a in api("parent").get("/api/v1/activities/?unit=DN-TB-001-S1").json()["results"]] == [
        "S-1"
    ]
    assert len(api("parent").get("/api/v1/activities/").json()["results"]) == 3
    assert api("police").get("/api/v1/activities/").json()["results"][0]["reference"] == "TT-01"
    assert api("officer").get("/api/v1/activities/?kind=training").json()["results"] == []
    assert api("officer").get("/api/v1/activities/?date_from=2025-03-11").json()["results"] == []
    before = state()
    for query in ("kind=nope", "unit=DN-TB-002", "date_from=soon", "status=done", "cursor=%00"):
        denied(api("officer").get(f"/api/v1/activities/?{query}"), 400, before)


def test_delete(api, cast, world, session):
    services.check_in_member(actor=cast.officer, activity=session, member_code=world.member.member_code)
    before = state()
    error = denied(api("officer").delete(f"/api/v1/activities/{session.pk}/"), 409, before)
    assert error["code"] == "has_attendees"
    empty = create(cast.officer, cast.unit, reference="TT-02")
    assert api("officer").delete(f"/api/v1/activities/{empty.pk}/").status_code == 204
    assert not Activity.objects.filter(pk=empty.pk).exists()


# ---------------------------------------------------------------- attendees


def test_check_in_by_code_then_again_then_unknown(api, cast, world, session):
    client = api("officer")
    response = client.post(
        "/api/v1/activity-attendees/",
        {"activity": session.pk, "member_code": world.woman.member_code, "method": "qr"},
        format="json",
    )
    assert response.status_code == 201, response.content
    attendee = Attendee.objects.get()
    assert response.json() == {
        "id": attendee.pk,
        "activity": session.pk,
        "member_code": world.woman.member_code,
        "name": "Lê Thị Hoa",
        "unit": "DN-TB-001-S1",
        "category": "member",
        "gender": "female",
        "method": "qr",
        "checked_in_at": response.json()["checked_in_at"],
    }
    session.refresh_from_db()
    assert (session.participants, session.women) == (1, 1)

    before = state()
    again = client.post(
        "/api/v1/activity-attendees/", {"activity": session.pk, "member_code": world.woman.member_code}, format="json"
    )
    error = denied(again, 409, before)
    assert (error["code"], error["message"]) == (
        "already_checked_in",
        f"Lê Thị Hoa ({world.woman.member_code}) is already checked in.",
    )
    for code in ("0000000000X", world.sibling_member.member_code):
        unknown = client.post(
            "/api/v1/activity-attendees/", {"activity": session.pk, "member_code": code}, format="json"
        )
        error = denied(unknown, 400, before)
        assert (error["code"], error["fields"]) == ("unknown_member", {"member_code": [f"No member with code {code}."]})


def test_check_in_a_guest_and_take_them_off(api, cast, world, session):
    client = api("police")  # a co-organiser checks people in at the door too
    body = {
        "activity": session.pk,
        "name": "Lê Văn Khách",
        "category": "citizen",
        "gender": "male",
        "phone": "0912345678",
    }
    response = client.post("/api/v1/activity-attendees/", body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["member_code"], response.json()["method"]) == (
        "Lê Văn Khách",
        None,
        "name",
    )
    before = state()
    assert denied(client.post("/api/v1/activity-attendees/", body, format="json"), 409, before)["fields"] == {
        "name": ["Lê Văn Khách is already checked in."]
    }
    listed = api("officer").get(f"/api/v1/activity-attendees/?activity={session.pk}").json()["results"]
    assert [a["name"] for a in listed] == ["Lê Văn Khách"]
    attendee_id = listed[0]["id"]
    for who in ("sibling", "outsider"):
        denied(api(who).delete(f"/api/v1/activity-attendees/{attendee_id}/"), 404, before)
    assert api("officer").delete(f"/api/v1/activity-attendees/{attendee_id}/").status_code == 204
    session.refresh_from_db()
    assert (session.participants, Attendee.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"member_code": "X"}, "activity"),
        ({"activity": "abc", "member_code": "X"}, "activity"),
        ({"activity": None}, "activity"),
        ({"activity": "{pk}"}, "member_code"),
        ({"activity": "{pk}", "name": "Khách"}, "category"),
        ({"activity": "{pk}", "name": "Khách", "category": "alien"}, "category"),
        ({"activity": "{pk}", "member_code": ["X"]}, "member_code"),
        ({"activity": "{pk}", "member_code": "X", "method": "import"}, "method"),
        ({"activity": "{pk}", "member_code": "X", "at": "now"}, "at"),
    ],
)
def test_check_in_refuses_bad_bodies(api, cast, world, session, body, field):
    body = {k: (session.pk if v == "{pk}" else v) for k, v in body.items()}
    before = state()
    error = denied(api("officer").post("/api/v1/activity-attendees/", body, format="json"), 400, before)
    assert field in error["fields"], error


def test_check_in_outside_the_scope_changes_nothing(api, cast, world, session):
    before = state()
    for who in ("sibling", "outsider"):
        body = {"activity": session.pk, "member_code": world.member.member_code}
        error = denied(api(who).post("/api/v1/activity-attendees/", body, format="json"), 400, before)
        assert error["fields"] == {"activity": [f"Activity {session.pk} was not found."]}
    assert api("sibling").get(f"/api/v1/activity-attendees/?activity={session.pk}").json()["results"] == []
