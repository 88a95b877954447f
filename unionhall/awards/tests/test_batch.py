"""Batch eligibility: the list for a unit's subtree, its page and API, scoping (out of scope is "not found",
nothing written), and turning ticked rows into draft nominations all-or-none."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from python_calamine import CalamineWorkbook

from unionhall.api.tests.conftest import token_client
from unionhall.audit.models import AuditEntry
from unionhall.awards.eligibility import FAIL, PASS, REVIEW, batch_eligibility, batch_nominate
from unionhall.awards.models import AwardType, Nomination
from unionhall.core.errors import DomainError, NotFound
from unionhall.movements.models import Movement, Registration

from .test_eligibility import award_type, bulk_people, give, person, rule

TODAY = dt.date(2025, 3, 15)
YEAR = 2024
ROLES = ("officer", "parent", "sibling", "outsider", "admin")
SEES = {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def state() -> dict[str, int]:
    return {"nominations": Nomination.objects.count(), "audit": AuditEntry.objects.count()}


@pytest.fixture
def pledged(cast) -> AwardType:
    """A test title whose rule needs a pledge for the year and ten months of membership."""
    kind = award_type("t_pledged", en="Pledged Worker", rank=1)
    rule(kind, [{"check": "registered"}, {"check": "membership_months", "months": 10}])
    return kind


@pytest.fixture
def team(cast, pledged):
    """An (pledged), Bình (no pledge), Chi (in the section, pledged, joined too late), Dũng (sibling union)."""
    an = person(cast.unit, "An")
    binh = person(cast.unit, "Bình")
    chi = person(cast.section, "Chi", joined=dt.date(2024, 6, 1))
    dung = person(cast.sibling_unit, "Dũng")
    movement = Movement.objects.create(
        code="ldg", title="Lao động giỏi", kind="regular", launcher=cast.province, start_date=dt.date(2023, 1, 1)
    )
    for who, unit in ((an, cast.unit), (chi, cast.section), (dung, cast.sibling_unit)):
        Registration.objects.create(
            movement=movement, unit=unit, person=who, year=YEAR, registered_on=dt.date(2024, 2, 1)
        )
    return {"an": an, "binh": binh, "chi": chi, "dung": dung}


# ---------------------------------------------------------------- the function


def test_batch_lists_every_active_member_of_the_subtree(cast, team, pledged):
    rows = batch_eligibility(actor=cast.officer, unit=cast.unit, year=YEAR, award_types=["t_pledged"], today=TODAY)
    by_name = {row.name: row for row in rows}
    assert sorted(by_name) == ["An", "Bình", "Chi"]
    assert by_name["An"].eligible is True
    assert by_name["An"].key == f"t_pledged:p:{team['an'].pk}"
    assert by_name["An"].unit_code == "DN-TB-001"
    assert by_name["Chi"].unit_code == "DN-TB-001-S1"
    assert [(r.code, r.outcome) for r in by_name["Bình"].verdict.reasons] == [
        ("registered", FAIL),
        ("membership_months", PASS),
        ("already_awarded", PASS),
    ]
    assert by_name["Chi"].verdict.reasons[1].message == "Member for 7 months by Dec 31, 2024; 10 months needed."
    assert by_name["Chi"].eligible is False


def test_batch_defaults_to_the_annual_and_once_only_types(cast, team):
    rows = batch_eligibility(actor=cast.officer, unit=cast.unit, year=YEAR, today=TODAY)
    codes = list(dict.fromkeys(row.award_type.code for row in rows))
    kinds = AwardType.objects.filter(code__in=codes)
    assert {k.recurrence for k in kinds} == {"annual", "once"}
    assert "lao_dong_tien_tien" in codes and "tap_the_lao_dong_tien_tien" in codes
    assert "giay_khen" not in codes  # ad hoc
    units = {row.code for row in rows if row.unit_id is not None}
    assert units == {"DN-TB-001", "DN-TB-001-S1"}
    advanced = [row for row in rows if row.award_type.code == "lao_dong_tien_tien"]
    assert {row.name for row in advanced} == {"An", "Bình", "Chi"}
    # Two manual items (the reviewer confirms), ten months of membership.
    an = next(row for row in advanced if row.name == "An")
    assert [r.outcome for r in an.verdict.reasons] == [REVIEW, REVIEW, PASS, PASS]
    assert an.eligible is None


@pytest.mark.parametrize("who", ROLES)
def test_batch_scoping(cast, team, who):
    actor = getattr(cast, who)
    if SEES[who]:
        rows = batch_eligibility(actor=actor, unit=cast.unit, year=YEAR, award_types=["t_pledged"], today=TODAY)
        assert len(rows) == 3
    else:
        with pytest.raises(NotFound):
            batch_eligibility(actor=actor, unit=cast.unit, year=YEAR, award_types=["t_pledged"], today=TODAY)


def test_batch_refuses_unknown_types_and_years(cast, team):
    with pytest.raises(DomainError) as error:
        batch_eligibility(actor=cast.officer, unit=cast.unit, year=YEAR, award_types=["nope"], today=TODAY)
    assert (error.value.field, str(error.value)) == ("award_type", "Unknown award type: nope.")
    with pytest.raises(DomainError) as error:
        batch_eligibility(actor=cast.officer, unit=cast.unit, year=1800, today=TODAY)
    assert error.value.field == "year"


def test_batch_queries_do_not_grow_with_the_number_of_people(cast, pledged):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = batch_eligibility(actor=cast.admin, unit=cast.commune, year=YEAR, today=TODAY)
        assert rows
        return len(queries)

    bulk_people(cast.unit, 5)
    few = count()
    bulk_people(cast.sibling_unit, 50)
    assert count() == few


# ---------------------------------------------------------------- the page


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGE = "/awards/eligibility/?unit=DN-TB-001&year=2024&award_types=t_pledged"


@pytest.mark.parametrize("who", ROLES)
def test_page_matrix(cast, team, who):
    response = client_for(getattr(cast, who)).get(PAGE)
    if SEES[who]:
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('data-row="t_pledged:p:') == 3
        assert "Registered an emulation pledge for 2024." in html
    else:
        assert response.status_code == 404


def test_page_needs_sign_in(cast, team):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_filters_eligible_only(cast, team):
    response = client_for(cast.officer).get(PAGE + "&show=eligible")
    html = response.content.decode()
    assert html.count('data-row="t_pledged:p:') == 1
    assert f'data-row="t_pledged:p:{team["an"].pk}"' in html


def test_page_without_a_unit_starts_at_the_top_unit(cast, team):
    response = client_for(cast.officer).get("/awards/eligibility/")
    assert response.status_code == 200
    assert 'value="DN-TB-001"' in response.content.decode()


def test_page_export_xlsx(cast, team):
    before = AuditEntry.objects.count()
    response = client_for(cast.officer).get(PAGE.replace("/eligibility/?", "/eligibility/list.xlsx?"))
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["Award type", "Name", "Code", "Unit", "Result", "Reasons"]
    assert [row[1] for row in sheet[1:]] == ["An", "Bình", "Chi"]
    assert sheet[1][4] == "Eligible"
    assert AuditEntry.objects.count() == before + 1
    assert client_for(cast.outsider).get(PAGE.replace("/eligibility/?", "/eligibility/list.xlsx?")).status_code == 404
    assert AuditEntry.objects.count() == before + 1


# ---------------------------------------------------------------- nominations from the list


def nominate(who, cast, rows, *, unit="DN-TB-001", year=YEAR):
    return client_for(who).post(
        "/awards/eligibility/nominate/", {"unit": unit, "year": year, "rows": rows, "back": PAGE}
    )


def test_creating_nominations_from_the_list(cast, team):
    before = state()
    keys = [f"t_pledged:p:{team['an'].pk}", f"t_pledged:p:{team['chi'].pk}"]
    response = nominate(cast.officer, cast, keys)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    created = Nomination.objects.order_by("pk")
    assert [(n.person_id, n.award_type.code, n.year, n.proposing_unit.code, n.status) for n in created] == [
        (team["an"].pk, "t_pledged", YEAR, "DN-TB-001", "draft"),
        (team["chi"].pk, "t_pledged", YEAR, "DN-TB-001", "draft"),
    ]
    assert created[0].eligibility_check["eligible"] is True
    assert created[1].eligibility_check["eligible"] is False
    assert state() == {"nominations": 2, "audit": before["audit"] + 2}
    # The list now shows them as nominated: to review, not to nominate again.
    html = client_for(cast.officer).get(PAGE + "&show=eligible").content.decode()
    assert 'data-row="t_pledged:p:' not in html


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_nominating_out_of_scope_is_not_found_and_writes_nothing(cast, team, who):
    before = state()
    response = nominate(getattr(cast, who), cast, [f"t_pledged:p:{team['an'].pk}"])
    assert response.status_code == 404
    assert state() == before


def test_nominating_a_person_outside_the_unit_writes_nothing(cast, team):
    """Dũng belongs to the sibling union: the whole selection is refused."""
    before = state()
    keys = [f"t_pledged:p:{team['an'].pk}", f"t_pledged:p:{team['dung'].pk}"]
    response = nominate(cast.parent, cast, keys)
    assert response.status_code == 302
    assert state() == before


def test_nominating_is_all_or_none(cast, team, pledged):
    give(pledged, YEAR, to=team["chi"], granting=cast.unit)  # already awarded: the service refuses it
    before = state()
    keys = [f"t_pledged:p:{team['an'].pk}", f"t_pledged:p:{team['chi'].pk}"]
    response = nominate(cast.officer, cast, keys)
    assert response.status_code == 302
    assert state() == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1 and messages[0].startswith("Nothing was created:")


@pytest.mark.parametrize("keys", [[], ["garbage"], ["t_pledged:x:1"], ["t_pledged:p:0"], ["t_pledged:p:1:2"]])
def test_nominating_bad_rows_writes_nothing(cast, team, keys):
    before = state()
    with pytest.raises(DomainError) as error:
        batch_nominate(actor=cast.officer, unit=cast.unit, year=YEAR, keys=keys, today=TODAY)
    assert error.value.field == "rows"
    assert state() == before


def test_viewer_without_nominate_sees_no_checkboxes(cast, team):
    from conftest import grant, make_user

    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    html = client_for(viewer).get(PAGE).content.decode()
    assert 'name="rows"' not in html
    before = state()
    assert nominate(viewer, cast, [f"t_pledged:p:{team['an'].pk}"]).status_code == 404
    assert state() == before


# ---------------------------------------------------------------- the API


def test_api_check_a_person(cast, team):
    response = token_client(cast.officer).post(
        "/api/v1/eligibility/check/",
        {"award_type": "t_pledged", "year": YEAR, "person": team["binh"].member_code},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is False
    assert body["person"] == team["binh"].member_code and body["unit"] is None
    assert body["reasons"][0] == {
        "code": "registered",
        "outcome": "fail",
        "message": "No emulation pledge registered for 2024.",
        "children": [],
    }
    assert body["rule"]["valid_from"] == "2000-01-01"


def test_api_check_a_unit(cast, team):
    response = token_client(cast.officer).post(
        "/api/v1/eligibility/check/",
        {"award_type": "tap_the_lao_dong_tien_tien", "year": YEAR, "unit": "DN-TB-001"},
        format="json",
    )
    assert response.status_code == 200, response.content
    reasons = response.json()["reasons"]
    assert reasons[0]["message"] == "0% of members hold Advanced Worker (0 of 3); more than 50% needed."


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_api_check_out_of_scope_is_not_found(cast, team, who):
    before = state()
    response = token_client(getattr(cast, who)).post(
        "/api/v1/eligibility/check/",
        {"award_type": "t_pledged", "year": YEAR, "person": team["an"].member_code},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["person"]
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"award_type": "t_pledged", "year": YEAR},
        {"award_type": "nope", "year": YEAR, "unit": "DN-TB-001"},
        {"award_type": "t_pledged", "year": 1800, "unit": "DN-TB-001"},
        {"award_type": "t_pledged", "year": YEAR, "unit": "DN-TB-001", "extra": 1},
    ],
)
def test_api_check_bad_input(cast, team, body):
    response = token_client(cast.officer).post("/api/v1/eligibility/check/", body, format="json")
    assert response.status_code == 400


def test_api_check_needs_a_token(cast, team):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/eligibility/check/", {}, format="json")
    assert response.status_code == 401


def test_api_batch_in_pages(cast, team):
    client = token_client(cast.officer)
    url = "/api/v1/eligibility/?unit=DN-TB-001&year=2024&award_type=t_pledged&page_size=2"
    first = client.get(url).json()
    assert [row["name"] for row in first["results"]] == ["An", "Bình"]
    assert first["results"][0]["person"] == team["an"].member_code
    assert first["results"][0]["eligible"] is True
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [row["name"] for row in second["results"]] == ["Chi"]
    assert second["next"] is None and second["previous"] is not None
    only = client.get(url.replace("page_size=2", "eligible=true")).json()
    assert [row["name"] for row in only["results"]] == ["An"]


@pytest.mark.parametrize("who", ROLES)
def test_api_batch_matrix(cast, team, who):
    response = token_client(getattr(cast, who)).get("/api/v1/eligibility/?unit=DN-TB-001&year=2024")
    if SEES[who]:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["unit"]


def test_api_batch_bad_cursor(cast, team):
    response = token_client(cast.officer).get("/api/v1/eligibility/?unit=DN-TB-001&year=2024&cursor=%%%")
    assert response.status_code == 400
