"""The models endpoints of /api/v1/: the permission matrix, exact bodies, and nothing changed on a denial."""

import pytest
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.practices.models import Practice, PracticeEvaluation

from .fixtures import state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin", "police"]
SEES = {
    "unit_practice": {
        None: 401,
        "officer": 200,
        "parent": 200,
        "sibling": 404,
        "outsider": 404,
        "admin": 200,
        "police": 200,
    },
    "commune_practice": {
        None: 401,
        "officer": 404,
        "parent": 200,
        "sibling": 404,
        "outsider": 404,
        "admin": 200,
        "police": 404,
    },
}
KEEPS = {
    "unit_practice": {
        None: 401,
        "officer": 200,
        "parent": 200,
        "sibling": 404,
        "outsider": 404,
        "admin": 200,
        "police": 404,
    },
    "commune_practice": {
        None: 401,
        "officer": 404,
        "parent": 200,
        "sibling": 404,
        "outsider": 404,
        "admin": 200,
        "police": 404,
    },
}


@pytest.fixture(name="api")
def api_fixture(cast, world):
    def client(who):
        if who is None:
            return APIClient()
        return token_client(world.police_officer if who == "police" else getattr(cast, who))

    return client


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert state() == before
    return response.json()["error"]


@pytest.mark.parametrize("name", list(SEES))
def test_retrieve_and_change_matrix(api, cast, models_world, name):
    practice = getattr(models_world, name)
    url = f"/api/v1/models/{practice.code}/"
    for who in EVERYONE:
        before = state()
        response = api(who).get(url)
        if SEES[name][who] != 200:
            denied(response, SEES[name][who], before)
        else:
            body = response.json()
            assert (body["code"], body["status"], body["members"], body["evaluations"]) == (
                practice.code,
                "registered",
                [],
                [],
            )
        version = Practice.objects.get(pk=practice.pk).version
        patched = api(who).patch(url, {"version": version, "description": f"Sửa bởi {who}"}, format="json")
        if KEEPS[name][who] != 200:
            denied(patched, KEEPS[name][who], before)
            denied(api(who).post(f"{url}members/", {"name": "X"}, format="json"), KEEPS[name][who], before)
            continue
        assert patched.status_code == 200, patched.content
        assert (patched.json()["description"], patched.json()["version"]) == (f"Sửa bởi {who}", version + 1)


def test_register_evaluate_recognise(api, cast, world, models_world):
    body = {
        "code": "tu-quan-s1",
        "unit": "DN-TB-001-S1",
        "title": "Tổ tự quản bộ phận",
        "field": "defence_security",
        "movement": "ldg-ldst-dn",
        "started_on": "2024-03-01",
        "registered_on": "2024-03-05",
    }
    before = state()
    bad = api("officer").post("/api/v1/models/", {**body, "movement": "xanh-sach-dep", "unit": "DN-TB"}, format="json")
    assert denied(bad, 400, before)["fields"] == {"unit": ["Unit DN-TB was not found."]}
    bad = api("parent").post("/api/v1/models/", {**body, "movement": "xanh-sach-dep", "unit": "DN-TB"}, format="json")
    assert denied(bad, 400, before)["fields"] == {
        "movement": ["Unit DN-TB does not take part in movement xanh-sach-dep."]
    }
    created = api("officer").post("/api/v1/models/", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["unit"], created.json()["movement"], created.json()["status"]) == (
        "DN-TB-001-S1",
        "ldg-ldst-dn",
        "registered",
    )
    before = state()
    future = api("officer").post(
        "/api/v1/model-evaluations/", {"practice": "tu-quan-s1", "year": 2099, "result": "effective"}, format="json"
    )
    assert denied(future, 400, before)["fields"] == {"year": ["The year 2099 has not come yet."]}
    evaluation = api("officer").post(
        "/api/v1/model-evaluations/",
        {"practice": "tu-quan-s1", "year": 2024, "result": "effective", "evaluated_on": "2025-01-05"},
        format="json",
    )
    assert evaluation.status_code == 201, evaluation.content
    row = PracticeEvaluation.objects.get(practice__code="tu-quan-s1")
    assert evaluation.json() == {
        "id": row.pk,
        "practice": "tu-quan-s1",
        "year": 2024,
        "result": "effective",
        "note": "",
        "evaluated_on": "2025-01-05",
        "evaluated_by": "DN-TB-001-S1",
    }
    before = state()
    below = api("officer").post("/api/v1/models/dan-van-kheo-tb/recognise/", {"by": "DN-TB-001"}, format="json")
    denied(below, 404, before)  # the officer does not see the commune's model
    recognised = api("officer").post(
        "/api/v1/models/tu-quan-s1/recognise/", {"by": "DN-TB-001", "reference": "7/QĐ"}, format="json"
    )
    assert recognised.status_code == 200, recognised.content
    assert (recognised.json()["status"], recognised.json()["recognised_by"]) == ("recognised", "DN-TB-001")
    listed = api("admin").get("/api/v1/models/?effective_in=2024")
    assert [p["code"] for p in listed.json()["results"]] == ["tu-quan-s1"]
    assert api("admin").get("/api/v1/models/?status=nonsense").status_code == 400
    assert api("officer").get("/api/v1/model-evaluations/?practice=dan-van-kheo-tb").status_code == 400


def test_recognition_by_a_unit_below_is_forbidden(api, cast, models_world):
    PracticeEvaluation.objects.create(
        practice=models_world.commune_practice,
        year=2024,
        result="effective",
        evaluated_on=models_world.commune_practice.registered_on,
        evaluated_by=cast.commune,
    )
    before = state()
    response = api("parent").post("/api/v1/models/dan-van-kheo-tb/recognise/", {"by": "DN-TB-001"}, format="json")
    assert denied(response, 403, before)["code"] == "forbidden"
