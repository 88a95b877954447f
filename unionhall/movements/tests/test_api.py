"""The movements endpoints of /api/v1/: the permission matrix, exact bodies, and nothing changed on a denial."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.movements import results, services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.tests.fixtures import TODAY, state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]
YEAR = 2025  # inside every test movement's period, whatever the day the tests run


@pytest.fixture(name="api")
def api_fixture(cast):
    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state() == before
    return response.json()["error"]


SEES = {
    "province_mv": {None: 401, "officer": 200, "parent": 200, "sibling": 200, "outsider": 404, "admin": 200},
    "unit_mv": {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200},
    "joint_mv": {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200},
}
RUNS = {
    "province_mv": {None: 401, "officer": 404, "parent": 404, "sibling": 404, "outsider": 404, "admin": 200},
    "unit_mv": {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200},
    "joint_mv": {None: 401, "officer": 404, "parent": 404, "sibling": 404, "outsider": 404, "admin": 200},
}


# ---------------------------------------------------------------- movements


@pytest.mark.parametrize("name", list(SEES))
def test_movement_retrieve_matrix(api, cast, world, name):
    movement = getattr(world, name)
    before = state()
    for who in EVERYONE:
        response = api(who).get(f"/api/v1/movements/{movement.code}/")
        if SEES[name][who] != 200:
            error = denied(response, SEES[name][who], before)
            assert error["code"] == ("not_authenticated" if who is None else "not_found"), who
            continue
        body = response.json()
        assert body["code"] == movement.code
        assert (body["launcher"], body["status"], body["version"]) == (movement.launcher.code, "running", 1)


@pytest.mark.parametrize("name", list(SEES))
def test_movement_change_matrix(api, cast, world, name):
    movement = getattr(world, name)
    for who in EVERYONE:
        before = state()
        client = api(who)
        version = Movement.objects.get(pk=movement.pk).version
        url = f"/api/v1/movements/{movement.code}/"
        response = client.patch(url, {"version": version, "criteria": f"Sửa bởi {who}"}, format="json")
        if RUNS[name][who] != 200:
            denied(response, RUNS[name][who], before)
            denied(client.post(f"{url}close/", {}, format="json"), RUNS[name][who], before)
            continue
        assert response.status_code == 200, response.content
        assert (response.json()["criteria"], response.json()["version"]) == (f"Sửa bởi {who}", version + 1)
    closed = api("admin").post(f"/api/v1/movements/{movement.code}/close/", {"closed_on": "2025-03-01"}, format="json")
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["end_date"]) == ("closed", "2025-03-01")


def test_movement_retrieve_body(api, cast, world):
    services.milestone_add(
        actor=cast.admin, movement=world.joint_mv, kind="preliminary", due_date=dt.date(2024, 6, 30), today=TODAY
    )
    results.register(results.Result("test_api_count", "Count", lambda ids: dict.fromkeys(ids, 3)))
    try:
        body = api("officer").get("/api/v1/movements/bao-ve-an-ninh/").json()
    finally:
        results.unregister("test_api_count")
    milestone = Milestone.objects.get()
    assert {k: body[k] for k in ("title", "kind", "launcher", "start_date", "end_date", "scope", "units")} == {
        "title": "Toàn dân bảo vệ an ninh Tổ quốc",
        "kind": "campaign",
        "launcher": "DN-CA",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "scope": "listed",
        "units": ["DN-CA", "DN-TB-001"],
    }
    assert body["milestones"] == [
        {
            "id": milestone.pk,
            "movement": "bao-ve-an-ninh",
            "kind": "preliminary",
            "due_date": "2024-06-30",
            "held_on": None,
            "note": "",
            "state": "overdue",
        }
    ]
    assert body["due"][0] == {"code": "milestone", "day": "2024-06-30", "overdue": True, "milestone": milestone.pk}
    assert {"code": "test_api_count", "label": "Count", "value": 3, "money": False} in body["results"]
    assert body["year_counts"] == []


def test_movement_list_and_filters(api, cast, world):
    assert [m["code"] for m in api("sibling").get("/api/v1/movements/").json()["results"]] == ["ldg-ldst-dn"]
    listed = api("officer").get("/api/v1/movements/?kind=campaign").json()["results"]
    assert [m["code"] for m in listed] == ["bao-ve-an-ninh"]
    under = api("admin").get("/api/v1/movements/?unit=DN-TB&status=running&year=2025").json()["results"]
    assert [m["code"] for m in under] == ["xanh-sach-dep"]
    assert api(None).get("/api/v1/movements/").status_code == 401
    bad = api("officer").get("/api/v1/movements/?unit=DN")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"unit": ["Unit DN was not found."]}


def test_launch_through_the_api(api, cast, world):
    body = {
        "code": "Lien-Tich-2025",
        "launcher": "DN-TB",
        "title": "Liên tịch phường",
        "kind": "campaign",
        "start_date": "2025-01-01",
        "scope": "listed",
        "units": ["DN-TB-001", "DN-TB-002"],
    }
    response = api("parent").post("/api/v1/movements/", body, format="json")
    assert response.status_code == 201, response.content
    assert response["Location"].endswith("/api/v1/movements/lien-tich-2025/")
    assert (response.json()["units"], response.json()["end_date"]) == (["DN-TB-001", "DN-TB-002"], None)
    assert Movement.objects.get(code="lien-tich-2025").launcher == cast.commune


@pytest.mark.parametrize(
    ("who", "change", "status", "fields"),
    [
        ("officer", {"launcher": "DN-TB"}, 400, {"launcher": ["Unit DN-TB was not found."]}),
        ("sibling", {}, 400, {"launcher": ["Unit DN-TB-001 was not found."]}),
        (
            "officer",
            {"end_date": "2024-12-31"},
            400,
            {"end_date": ["The end date (Dec 31, 2024) is before the start date (Jan 1, 2025)."]},
        ),
        ("officer", {"code": "ldg-ldst-dn"}, 409, {"code": ["The code ldg-ldst-dn is already taken."]}),
        ("officer", {"status": "closed"}, 400, {"status": ["This field is not accepted here."]}),
        ("officer", {"scope": "listed"}, 400, {"units": ["A joint movement lists at least one unit."]}),
    ],
)
def test_launch_refusals_write_nothing(api, cast, world, who, change, status, fields):
    body = {"code": "moi", "launcher": "DN-TB-001", "title": "Mới", "kind": "thematic", "start_date": "2025-01-01"}
    before = state()
    error = denied(api(who).post("/api/v1/movements/", {**body, **change}, format="json"), status, before)
    assert error["fields"] == fields


def test_a_stale_patch_is_a_conflict(api, cast, world):
    before = state()
    response = api("officer").patch("/api/v1/movements/xanh-sach-dep/", {"version": 9, "title": "X"}, format="json")
    assert denied(response, 409, before)["code"] == "stale"


# ---------------------------------------------------------------- milestones


MILESTONE_READ = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


def test_milestone_matrix(api, cast, world):
    milestone = services.milestone_add(
        actor=cast.admin, movement=world.unit_mv, kind="final", due_date=dt.date(2025, 3, 1), today=TODAY
    )
    url = f"/api/v1/movement-milestones/{milestone.pk}/"
    for who in EVERYONE:
        client = api(who)
        before = state()
        response = client.get(url)
        if MILESTONE_READ[who] != 200:
            denied(response, MILESTONE_READ[who], before)
            denied(client.post(f"{url}hold/", {"held_on": "2025-03-02"}, format="json"), MILESTONE_READ[who], before)
            continue
        assert response.json()["id"] == milestone.pk
    # Those who see a movement they do not run do not find its reviews to hold.
    joint = services.milestone_add(
        actor=cast.admin, movement=world.joint_mv, kind="final", due_date=dt.date(2025, 3, 1), today=TODAY
    )
    before = state()
    assert api("officer").get(f"/api/v1/movement-milestones/{joint.pk}/").status_code == 200
    hold = {"held_on": "2025-03-02"}
    denied(api("officer").post(f"/api/v1/movement-milestones/{joint.pk}/hold/", hold, format="json"), 404, before)
    held = api("parent").post(f"{url}hold/", {"held_on": "2025-03-02"}, format="json")
    assert held.status_code == 200, held.content
    assert (held.json()["held_on"], held.json()["state"]) == ("2025-03-02", "held")


def test_milestone_create_and_list(api, cast, world):
    body = {"movement": "xanh-sach-dep", "kind": "preliminary", "due_date": "2025-06-30", "note": "Sơ kết"}
    response = api("officer").post("/api/v1/movement-milestones/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": Milestone.objects.get().pk,
        "movement": "xanh-sach-dep",
        "kind": "preliminary",
        "due_date": "2025-06-30",
        "held_on": None,
        "note": "Sơ kết",
        "state": "due" if timezone.localdate() <= dt.date(2025, 6, 30) else "overdue",
    }
    assert [m["id"] for m in api("parent").get("/api/v1/movement-milestones/").json()["results"]] == [
        response.json()["id"]
    ]
    assert api("sibling").get("/api/v1/movement-milestones/").json()["results"] == []
    before = state()
    outside = api("officer").post("/api/v1/movement-milestones/", {**body, "due_date": "2030-01-01"}, format="json")
    assert denied(outside, 400, before)["code"] == "dates_out_of_order"
    forbidden = api("officer").post("/api/v1/movement-milestones/", {**body, "movement": "ldg-ldst-dn"}, format="json")
    assert denied(forbidden, 403, before)["code"] == "forbidden"
    unseen = api("sibling").post("/api/v1/movement-milestones/", body, format="json")
    assert denied(unseen, 400, before)["fields"] == {"movement": ["Movement xanh-sach-dep was not found."]}


# ---------------------------------------------------------------- registrations


REG_READ = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


def test_registration_matrix(api, cast, world):
    for who in EVERYONE:
        registration = services.registration_create(
            actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=YEAR
        )
        url = f"/api/v1/movement-registrations/{registration.pk}/"
        client = api(who)
        before = state()
        response = client.get(url)
        if REG_READ[who] != 200:
            denied(response, REG_READ[who], before)
            denied(client.post(f"{url}withdraw/", {}, format="json"), REG_READ[who], before)
            services.registration_withdraw(actor=cast.admin, registration=registration)
            continue
        assert response.json()["unit"] == "DN-TB-001"
        withdrawn = client.post(f"{url}withdraw/", {"reason": "Nhầm"}, format="json")
        assert withdrawn.status_code == 204
        assert not Registration.objects.exists()


CREATES = [
    ("officer", "DN-TB-001", 201),
    ("parent", "DN-TB-001", 201),
    ("sibling", "DN-TB-001", 400),
    ("outsider", "DN-TB-001", 400),
    ("sibling", "DN-TB-002", 201),
    ("outsider", "KH", 400),
    (None, "DN-TB-001", 401),
]


def test_registration_create_matrix(api, cast, world):
    for who, unit, status in CREATES:
        before = state()
        body = {"movement": "ldg-ldst-dn", "unit": unit, "year": YEAR}
        response = api(who).post("/api/v1/movement-registrations/", body, format="json")
        if status != 201:
            denied(response, status, before)
            continue
        assert response.status_code == 201, response.content
        registration = Registration.objects.get()
        assert registration.unit.code == unit
        services.registration_withdraw(actor=cast.admin, registration=registration)


def test_a_member_pledge_through_the_api(api, cast, world):
    body = {"movement": "bao-ve-an-ninh", "member_code": world.member.member_code, "year": YEAR, "titles": ["LDTT"]}
    response = api("officer").post("/api/v1/movement-registrations/", body, format="json")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert response.json() == {
        "id": registration.pk,
        "movement": "bao-ve-an-ninh",
        "unit": "DN-TB-001",
        "unit_name": "Công đoàn cơ sở Công ty Sông Mây",
        "member_code": world.member.member_code,
        "full_name": "Nguyễn Văn Đệ",
        "year": YEAR,
        "titles": ["ldtt"],
        "initiatives_pledged": 0,
        "note": "",
        "registered_on": timezone.localdate().isoformat(),
    }
    before = state()
    again = api("parent").post("/api/v1/movement-registrations/", body, format="json")
    error = denied(again, 409, before)
    assert error["code"] == "duplicate_registration"


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"year": 2030}, {"year": ["The year 2030 is outside the movement's period (2024–2026)."]}),
        ({"unit": "DN-TB-002"}, {"unit": ["Unit DN-TB-002 was not found."]}),
        (
            {"titles": ["bad code"]},
            {"titles": ["bad code is not a title code (lower-case letters, digits, hyphens or underscores)."]},
        ),
        ({"initiatives_pledged": -1}, {"initiatives_pledged": ["Ensure this value is greater than or equal to 0."]}),
        ({"person": "x"}, {"person": ["This field is not accepted here."]}),
    ],
)
def test_registration_bad_input_writes_nothing(api, cast, world, change, fields):
    body = {"movement": "ldg-ldst-dn", "unit": "DN-TB-001", "year": YEAR, **change}
    before = state()
    error = denied(api("officer").post("/api/v1/movement-registrations/", body, format="json"), 400, before)
    assert error["fields"] == fields


def test_registration_list_filters(api, cast, world):
    services.registration_create(actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=2025, today=TODAY)
    services.registration_create(actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=2024, today=TODAY)
    services.registration_create(
        actor=cast.admin, movement=world.province_mv, unit=cast.sibling_unit, year=2025, today=TODAY
    )
    services.registration_create(actor=cast.admin, movement=world.unit_mv, unit=cast.section, year=2025, today=TODAY)

    def find(who, query=""):
        rows = api(who).get(f"/api/v1/movement-registrations/{query}").json()["results"]
        return sorted((r["movement"], r["unit"], r["year"]) for r in rows)

    assert find("sibling") == [("ldg-ldst-dn", "DN-TB-002", 2025)]
    assert find("parent", "?movement=ldg-ldst-dn&year=2025") == [
        ("ldg-ldst-dn", "DN-TB-001", 2025),
        ("ldg-ldst-dn", "DN-TB-002", 2025),
    ]
    assert find("officer", "?unit=DN-TB-001&subtree=false") == [
        ("ldg-ldst-dn", "DN-TB-001", 2024),
        ("ldg-ldst-dn", "DN-TB-001", 2025),
    ]
    assert find("officer", "?unit=DN-TB-001") == [
        ("ldg-ldst-dn", "DN-TB-001", 2024),
        ("ldg-ldst-dn", "DN-TB-001", 2025),
        ("xanh-sach-dep", "DN-TB-001-S1", 2025),
    ]
    assert api("sibling").get("/api/v1/movement-registrations/?movement=xanh-sach-dep").status_code == 400
