"""The democracy pages: the permission matrix, the dashboard's content, recording with the composition warning."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from unionhall.audit.models import AuditEntry
from unionhall.democracy.models import Dialogue, EmployeeConference
from unionhall.democracy.tests.fixtures import kind, record_dialogue, state

ROLES = ("officer", "parent", "sibling", "outsider", "admin")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(url: str, expected: dict[str, int], cast) -> None:
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role in ROLES:
        assert client_for(getattr(cast, role)).get(url).status_code == expected.get(role, 200), (role, url)


def test_dashboard_matrix(cast, world):
    matrix("/democracy/?unit=DN-TB", {"officer": 404, "sibling": 404, "outsider": 404}, cast)
    matrix("/democracy/?unit=DN-TB-001", {"sibling": 404, "outsider": 404}, cast)
    matrix("/democracy/?unit=NOPE", dict.fromkeys(ROLES, 404), cast)


def test_dashboard_lists_the_overdue_employers_with_counts(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2020, 6, 1))
    page = client_for(cast.parent).get("/democracy/?unit=DN-TB")
    assert page.status_code == 200
    html = page.content.decode()
    result = page.context["result"]
    # Both overdue, both last met (or founded) before 2020-06-01 counts: the conference never held, by id.
    assert [row.employer.code for row in result.rows] == ["DN-TB-E001", "DN-TB-E002"]
    assert (result.counts.employers, result.counts.overall["overdue"]) == (2, 2)
    assert f'href="/activities/{dialogue.pk}/"' in html
    assert 'data-minutes="missing"' in html
    assert f'href="{reverse("orgunits:detail", args=["DN-TB-E002"])}"' in html


def test_dashboard_starts_at_the_actors_top_unit_and_refuses_bad_input(cast, world):
    page = client_for(cast.officer).get("/democracy/")
    assert page.context["unit"].code == "DN-TB-001"
    assert [r.employer.code for r in page.context["result"].rows] == ["DN-TB-E001"]
    assert client_for(cast.parent).get("/democracy/?unit=DN-TB&cursor=%00").status_code == 400
    bad = client_for(cast.parent).get("/democracy/?unit=DN-TB&state=nonsense")
    assert bad.status_code == 200
    assert bad.context["result"] is None
    broken_cursor = client_for(cast.parent).get("/democracy/?unit=DN-TB&cursor=abc")
    assert broken_cursor.status_code == 200
    assert "The page link is not valid." in broken_cursor.content.decode()


def _post(employer_side="3", confirm=False, employer="DN-TB-E001"):
    data = {
        "unit": "DN-TB-001",
        "kind": str(kind("workplace_dialogue").pk),
        "title": "Đối thoại định kỳ năm 2025",
        "starts_at": "10/03/2025",
        "starts_time": "08:00",
        "status": "held",
        "attendance_mode": "counted",
        "employer": employer,
        "trigger": "periodic",
        "headcount": "120",
        "employer_side": employer_side,
        "employer_side_women": "0",
        "legal_representative_present": "on",
        "employee_side": "5",
        "employee_side_women": "2",
    }
    if confirm:
        data["confirm_composition"] = "on"
    return data


def test_record_a_dialogue_through_the_form(cast, world):
    client = client_for(cast.officer)
    assert client.get("/democracy/dialogues/new/?unit=DN-TB-001").status_code == 200
    response = client.post("/democracy/dialogues/new/", _post())
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/democracy/dialogues/{dialogue.pk}/"
    assert (dialogue.employer_id, dialogue.held_on, dialogue.employee_side) == (
        world.song_may.pk,
        dt.date(2025, 3, 10),
        5,
    )
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert 'id="uh-no-minutes"' in detail.content.decode()


def test_a_composition_warning_is_shown_and_nothing_written_until_confirmed(cast, world):
    client = client_for(cast.officer)
    before = state()
    response = client.post("/democracy/dialogues/new/", _post(employer_side="2"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="uh-composition-warning"' in html
    assert "The employer side has 2 participants; at least 3 are required." in html
    assert state() == before
    response = client.post("/democracy/dialogues/new/", _post(employer_side="2", confirm=True))
    assert response.status_code == 302
    dialogue = Dialogue.objects.get()
    assert (dialogue.composition_confirmed_by, len(dialogue.composition_issues)) == (cast.officer.pk, 1)
    assert AuditEntry.objects.filter(action="dialogue.composition_confirm").count() == 1
    assert "The employer side has 2 participants" in client.get(response["Location"]).content.decode()


def test_an_employer_outside_the_scope_is_not_found_on_the_form(cast, world):
    before = state()
    response = client_for(cast.officer).post("/democracy/dialogues/new/", _post(employer="KH-E001"))
    assert response.status_code == 200
    assert "Unit KH-E001 was not found." in response.content.decode()
    assert state() == before


def test_dialogue_pages_matrix(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    matrix(f"/democracy/dialogues/{dialogue.pk}/", {"sibling": 404, "outsider": 404}, cast)
    matrix(f"/democracy/dialogues/{dialogue.pk}/edit/", {"sibling": 404, "outsider": 404}, cast)
    matrix("/democracy/dialogues/999999/", dict.fromkeys(ROLES, 404), cast)


def test_edit_a_dialogue_through_the_form(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    data = _post()
    del data["unit"]
    data.update(version="1", employee_side="6")
    response = client_for(cast.officer).post(f"/democracy/dialogues/{dialogue.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dialogue.refresh_from_db()
    assert dialogue.employee_side == 6


def test_record_a_conference_and_its_page(cast, world):
    client = client_for(cast.officer)
    assert client.get("/democracy/conferences/new/").status_code == 200
    data = _post()
    data.update(kind=str(kind("employee_conference").pk), title="Hội nghị người lao động", form="all", attended="100")
    response = client.post("/democracy/conferences/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    conference = EmployeeConference.objects.get()
    assert (conference.attended, conference.form) == (100, "all")
    matrix(f"/democracy/conferences/{conference.pk}/", {"sibling": 404, "outsider": 404}, cast)


def test_forms_are_not_found_without_activity_change(cast, world):
    nobody = client_for(make_user("nobody"))
    assert nobody.get("/democracy/dialogues/new/").status_code == 404
    assert nobody.get("/democracy/conferences/new/").status_code == 404
    assert nobody.get("/democracy/").status_code == 404
    assert Client().get("/democracy/dialogues/new/").status_code == 302


pytestmark = pytest.mark.django_db
