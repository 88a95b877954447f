"""The model pages: permission matrix for every page and form, exact effects, nothing changed on a denial."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from unionhall.practices import services
from unionhall.practices.models import Practice, PracticeEvaluation, PracticeMember

from .fixtures import ROLES, TODAY, details, state


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(url: str, expected: dict[str, int], cast, world) -> None:
    assert Client().get(url).status_code == 302
    for role in (*ROLES, "admin", "police"):
        user = world.police_officer if role == "police" else getattr(cast, role)
        assert client_for(user).get(url).status_code == expected.get(role, 200), (role, url)


SEES = {
    "unit_practice": {"sibling": 404, "outsider": 404},
    "commune_practice": {"officer": 404, "sibling": 404, "outsider": 404, "police": 404},
}
KEEPS = {
    "unit_practice": {"sibling": 404, "outsider": 404, "police": 404},
    "commune_practice": {"officer": 404, "sibling": 404, "outsider": 404, "police": 404},
}


@pytest.mark.parametrize("name", list(SEES))
def test_pages_matrix(cast, world, models_world, name):
    practice = getattr(models_world, name)
    base = f"/models/{practice.code}"
    matrix(f"{base}/", SEES[name], cast, world)
    for page in ("edit/", "members/new/", "discontinue/", "evaluate/"):
        matrix(f"{base}/{page}", KEEPS[name], cast, world)
    # practice.recognise: unit administrators only; all of the cast are.
    matrix(f"{base}/recognise/", KEEPS[name], cast, world)


def test_lists_and_bad_query_strings(cast, world, models_world):
    client = client_for(cast.parent)
    page = client.get("/models/")
    assert [r.practice.code for r in page.context["rows"]] == ["dan-van-kheo-tb", "tu-quan-nha-tro"]
    for query in ("?year=abc", "?unit=KH", "?cursor=abc", "?status=x", "?movement=nope", "?programme=" + "x" * 70):
        assert client.get(f"/models/{query}").status_code == 200, query
    assert client.get("/models/?movement=nope").context["form"].errors == {"movement": ["Movement nope was not found."]}
    PracticeEvaluation.objects.create(
        practice=models_world.unit_practice,
        year=2024,
        result="effective",
        evaluated_on=models_world.unit_practice.registered_on,
        evaluated_by=cast.unit,
    )
    effective = client.get("/models/effective/?year=2024")
    assert [r.practice.code for r in effective.context["rows"]] == ["tu-quan-nha-tro"]
    assert client.get("/models/effective/?year=abc").status_code == 200
    assert client.get("/models/effective/").status_code == 200


def test_forms_register_evaluate_recognise(cast, world, models_world):
    client = client_for(cast.officer)
    data = {
        "code": "tu-quan-2",
        "unit": "DN-TB-001",
        "title": "Tổ tự quản 2",
        "kind": "model",
        "field": "economy",
        "movement": "xanh-sach-dep",
        "started_on": "01/02/2024",
        "registered_on": "15/02/2024",
    }
    before = state()
    refused = client.post("/models/new/", {**data, "movement": "bao-ve-khong-co"})
    assert refused.context["form"].errors == {"movement": ["Movement bao-ve-khong-co was not found."]}
    refused = client.post("/models/new/", {**data, "registered_on": "15/02/2099"})
    assert refused.status_code == 200 and "registered_on" in refused.context["form"].errors
    assert state() == before
    done = client.post("/models/new/", data)
    assert done.status_code == 302 and done["Location"] == "/models/tu-quan-2/"
    assert client.post("/models/tu-quan-2/members/new/", {"name": "Bà Năm", "role": "Tổ viên"}).status_code == 302
    assert list(PracticeMember.objects.values_list("name", flat=True)) == ["Bà Năm"]
    evaluated = client.post(
        "/models/tu-quan-2/evaluate/",
        {"unit": str(cast.unit.pk), "year": "2024", "result": "effective", "evaluated_on": "10/01/2025"},
    )
    assert evaluated.status_code == 302
    recognised = client.post("/models/tu-quan-2/recognise/", {"unit": str(cast.unit.pk), "recognised_on": "20/01/2025"})
    assert recognised.status_code == 302
    practice = Practice.objects.get(code="tu-quan-2")
    assert (practice.recognised_by_id, str(practice.recognised_on)) == (cast.unit.pk, "2025-01-20")
    detail = client.get("/models/tu-quan-2/")
    assert detail.context["d"].status == "recognised"
    assert client.get("/models/tu-quan-2/recognise/").status_code == 404


def test_the_list_page_reads_a_fixed_number_of_queries(cast, world, models_world):

    client = client_for(cast.admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/models/").status_code == 200
    for n in range(5):
        services.practice_register(
            actor=cast.admin, code=f"m-{n}", unit=cast.unit, details=details(movement=world.province_mv), today=TODAY
        )
    with CaptureQueriesContext(connection) as more:
        assert len(client.get("/models/").context["rows"]) == 7
    assert len(more.captured_queries) == len(few.captured_queries)
