"""The programmes endpoints of /api/v1/: the permission matrix, exact bodies, and nothing changed on a denial."""

import pytest

from unionhall.api.tests.conftest import token_client
from unionhall.members.tests.people import register
from unionhall.programmes import results
from unionhall.programmes.models import Programme, ProgrammeOfficer
from unionhall.programmes.results import Line, Result

from .fixtures import state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin", "police"]
SEES = {
    "province_pg": {
        None: 401,
        "officer": 200,
        "parent": 200,
        "sibling": 200,
        "outsider": 404,
        "admin": 200,
        "police": 200,
    },
    "unit_pg": {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200, "police": 200},
}
CHANGES = {
    "province_pg": {
        None: 401,
        "officer": 404,
        "parent": 404,
        "sibling": 404,
        "outsider": 404,
        "admin": 200,
        "police": 404,
    },
    "unit_pg": {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200, "police": 404},
}


@pytest.fixture(name="api")
def api_fixture(cast, pworld):
    from rest_framework.test import APIClient

    def client(who):
        if who is None:
            return APIClient()
        return token_client(pworld.police_officer if who == "police" else getattr(cast, who))

    return client


@pytest.fixture
def counted():
    """A registered result, as the apps above register theirs."""
    results.register(
        Result(
            "fake", "Sessions", lambda ids: {pk: [Line("Sessions", 3022), Line("Participants", 164654)] for pk in ids}
        )
    )
    yield
    results.unregister("fake")


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert state() == before
    return response.json()["error"]


@pytest.mark.parametrize("name", list(SEES))
def test_retrieve_matrix_and_totals(api, cast, pworld, name, counted):
    programme = getattr(pworld, name)
    before = state()
    for who in EVERYONE:
        response = api(who).get(f"/api/v1/programmes/{programme.code}/")
        if SEES[name][who] != 200:
            denied(response, SEES[name][who], before)
            continue
        body = response.json()
        assert (body["code"], body["owner"], body["version"]) == (programme.code, programme.owner.code, 1)
        assert [p["unit"] for p in body["parties"]] == [programme.owner.code, "DN-CA"]
        fake = next(s for s in body["totals"] if s["code"] == "fake")
        assert fake["lines"] == [
            {"label": "Sessions", "value": 3022, "money": False},
            {"label": "Participants", "value": 164654, "money": False},
        ]


@pytest.mark.parametrize("name", list(CHANGES))
def test_change_matrix(api, cast, pworld, name):
    programme = getattr(pworld, name)
    for who in EVERYONE:
        before = state()
        version = Programme.objects.get(pk=programme.pk).version
        url = f"/api/v1/programmes/{programme.code}/"
        response = api(who).patch(url, {"version": version, "goals": f"Sửa bởi {who}"}, format="json")
        if CHANGES[name][who] != 200:
            denied(response, CHANGES[name][who], before)
            denied(api(who).post(f"{url}parties/", {"unit": "DN-TB-002"}, format="json"), CHANGES[name][who], before)
            continue
        assert response.status_code == 200, response.content
        assert (response.json()["goals"], response.json()["version"]) == (f"Sửa bởi {who}", version + 1)


def test_create_and_its_refusals(api, cast, pworld):
    body = {
        "code": "ca-tb-2025",
        "title": "Phối hợp tuyên truyền pháp luật",
        "owner": "DN-TB-001",
        "start_date": "2025-01-01",
        "end_date": "2029-12-31",
        "parties": [{"unit": "DN-CA", "role": "lead", "signatory": "Đại tá A"}, {"unit": "DN-TB-001"}],
    }
    before = state()
    bad = api("officer").post(
        "/api/v1/programmes/", {**body, "parties": [{"unit": "DN-TB-001", "role": "lead"}]}, format="json"
    )
    assert denied(bad, 400, before)["fields"] == {"parties": ["A joint programme has at least 2 parties."]}
    bad = api("officer").post("/api/v1/programmes/", {**body, "end_date": "2024-12-31"}, format="json")
    assert denied(bad, 400, before)["fields"] == {
        "end_date": ["The end date (Dec 31, 2024) is before the start date (Jan 1, 2025)."]
    }
    bad = api("officer").post("/api/v1/programmes/", {**body, "owner": "DN-TB-002"}, format="json")
    assert denied(bad, 400, before)["fields"] == {"owner": ["Unit DN-TB-002 was not found."]}
    bad = api("officer").post("/api/v1/programmes/", {**body, "secret": 1}, format="json")
    assert denied(bad, 400, before)["fields"] == {"secret": ["This field is not accepted here."]}
    created = api("officer").post("/api/v1/programmes/", body, format="json")
    assert created.status_code == 201, created.content
    assert created["Location"].endswith("/api/v1/programmes/ca-tb-2025/")
    assert created.json()["parties"] == [
        {"unit": "DN-CA", "unit_name": "Công an tỉnh Đồng Nai", "role": "lead", "signatory": "Đại tá A"},
        {"unit": "DN-TB-001", "unit_name": "Công đoàn cơ sở Công ty Sông Mây", "role": "partner", "signatory": ""},
    ]


def test_list_filters(api, cast, pworld):
    def codes(query: str, who: str = "admin") -> list[str]:
        response = api(who).get(f"/api/v1/programmes/{query}")
        assert response.status_code == 200, response.content
        return [p["code"] for p in response.json()["results"]]

    assert codes("") == ["ca-songmay", "ca-ldld-2018"]
    assert codes("?year=2019") == ["ca-ldld-2018"]
    assert codes("?unit=DN-TB-002") == ["ca-ldld-2018"]  # it takes part through the province
    assert codes("?unit=DN-TB-001-S1&year=2025") == ["ca-songmay"]
    assert codes("", "sibling") == ["ca-ldld-2018"]
    assert api("officer").get("/api/v1/programmes/?unit=KH").status_code == 400
    assert api("officer").get("/api/v1/programmes/?year=abc").status_code == 400


def test_officers_endpoint(api, cast, pworld):
    member = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    before = state()
    bad = api("officer").post(
        "/api/v1/programme-officers/", {"programme": "ca-songmay", "unit": "DN-TB-002", "name": "X"}, format="json"
    )
    assert denied(bad, 400, before)["fields"] == {"unit": ["Unit DN-TB-002 is not a party of this programme."]}
    forbidden = api("police").post(
        "/api/v1/programme-officers/", {"programme": "ca-songmay", "unit": "DN-TB-001", "name": "X"}, format="json"
    )
    denied(forbidden, 403, before)
    created = api("officer").post(
        "/api/v1/programme-officers/",
        {"programme": "ca-songmay", "unit": "DN-TB-001", "member_code": member.member_code, "role_title": "Tổ trưởng"},
        format="json",
    )
    assert created.status_code == 201, created.content
    officer = ProgrammeOfficer.objects.get()
    assert created.json() == {
        "id": officer.pk,
        "programme": "ca-songmay",
        "unit": "DN-TB-001",
        "member_code": member.member_code,
        "name": "Nguyễn Văn Đệ",
        "role_title": "Tổ trưởng",
    }
    assert api("sibling").get(f"/api/v1/programme-officers/{officer.pk}/").status_code == 404
    assert (
        api("parent").get("/api/v1/programme-officers/?programme=ca-songmay").json()["results"][0]["id"] == officer.pk
    )
    before = state()
    denied(api("police").delete(f"/api/v1/programme-officers/{officer.pk}/"), 403, before)
    assert api("officer").delete(f"/api/v1/programme-officers/{officer.pk}/").status_code == 204
    assert not ProgrammeOfficer.objects.exists()
