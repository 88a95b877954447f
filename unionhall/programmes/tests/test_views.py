"""The programme pages: permission matrix for every page and form, exact effects, nothing changed on a denial."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from unionhall.programmes.models import Programme, ProgrammeOfficer, ProgrammeParty

from .fixtures import ROLES, create, parties, state


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(url: str, expected: dict[str, int], cast, pworld) -> None:
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    for role in (*ROLES, "admin", "police"):
        user = pworld.police_officer if role == "police" else getattr(cast, role)
        assert client_for(user).get(url).status_code == expected.get(role, 200), (role, url)


SEES = {"province_pg": {"outsider": 404}, "unit_pg": {"sibling": 404, "outsider": 404}}
CHANGES = {
    "province_pg": {"officer": 404, "parent": 404, "sibling": 404, "outsider": 404, "police": 404},
    "unit_pg": {"sibling": 404, "outsider": 404, "police": 404},
}
MOBILISES = {
    "province_pg": {"officer": 404, "parent": 404, "sibling": 404, "outsider": 404},
    "unit_pg": {"sibling": 404, "outsider": 404},
}


@pytest.mark.parametrize("name", list(SEES))
def test_pages_matrix(cast, pworld, name):
    programme = getattr(pworld, name)
    base = f"/programmes/{programme.code}"
    matrix(f"{base}/", SEES[name], cast, pworld)
    for page in ("edit/", "parties/new/", "parties/DN-CA/remove/", "parties/DN-CA/lead/"):
        matrix(f"{base}/{page}", CHANGES[name], cast, pworld)
    matrix(f"{base}/officers/new/", MOBILISES[name], cast, pworld)


def test_list_page_and_bad_query_strings(cast, pworld):
    client = client_for(cast.officer)
    page = client.get("/programmes/")
    assert page.status_code == 200
    assert [p.code for p in page.context["programmes"]] == ["ca-songmay", "ca-ldld-2018"]
    for query in ("?year=abc", "?unit=KH", "?cursor=abc", "?unit=" + "X" * 50):
        assert client.get(f"/programmes/{query}").status_code == 200, query
    assert client.get("/programmes/?unit=KH").context["form"].errors == {"unit": ["Unit KH was not found."]}


def test_create_page_records_a_programme_and_refusals_show_on_the_form(cast, pworld):
    client = client_for(cast.officer)
    data = {
        "code": "tb-2025",
        "owner": "DN-TB-001",
        "parties": "DN-CA; DN-TB-001",
        "title": "Tuyên truyền pháp luật",
        "start_date": "01/01/2025",
        "end_date": "31/12/2024",
    }
    before = state()
    refused = client.post("/programmes/new/", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "end_date": ["The end date (Dec 31, 2024) is before the start date (Jan 1, 2025)."]
    }
    refused = client.post("/programmes/new/", {**data, "end_date": "", "parties": "DN-TB-001"})
    assert refused.context["form"].errors == {"parties": ["A joint programme has at least 2 parties."]}
    assert state() == before
    done = client.post("/programmes/new/", {**data, "end_date": ""})
    assert done.status_code == 302 and done["Location"] == "/programmes/tb-2025/"
    assert list(
        ProgrammeParty.objects.filter(programme__code="tb-2025").order_by("pk").values_list("unit__code", "role")
    ) == [("DN-CA", "lead"), ("DN-TB-001", "partner")]
    detail = client.get("/programmes/tb-2025/")
    assert detail.status_code == 200
    assert [r.party.unit.code for r in detail.context["d"].parties] == ["DN-CA", "DN-TB-001"]


def test_officer_and_party_forms(cast, pworld):
    client = client_for(cast.officer)
    url = "/programmes/ca-songmay/"
    done = client.post(f"{url}officers/new/", {"unit": str(cast.unit.pk), "name": "Lê Thị Tư", "role_title": "Tổ phó"})
    assert done.status_code == 302, done.context and done.context["form"].errors
    officer = ProgrammeOfficer.objects.get()
    assert (officer.unit_id, officer.name) == (cast.unit.pk, "Lê Thị Tư")
    assert client.post(f"{url}parties/new/", {"unit": "DN-TB-002", "role": "partner"}).status_code == 302
    assert client.post(f"{url}parties/DN-TB-002/lead/", {"confirm": "on"}).status_code == 302
    assert ProgrammeParty.objects.get(programme__code="ca-songmay", role="lead").unit_id == cast.sibling_unit.pk
    assert client.post(f"{url}officers/{officer.pk}/remove/", {"confirm": "on"}).status_code == 302
    assert Programme.objects.get(code="ca-songmay").version == 3


def test_the_list_page_reads_a_fixed_number_of_queries(cast, pworld):

    client = client_for(cast.admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/programmes/").status_code == 200
    for n in range(5):
        create(cast.admin, cast.unit, f"p-{n}", parties(cast.unit, pworld.police))
    with CaptureQueriesContext(connection) as more:
        assert len(client.get("/programmes/").context["programmes"]) == 7
    assert len(more.captured_queries) == len(few.captured_queries)
