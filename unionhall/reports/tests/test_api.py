"""The reports endpoints of /api/v1/: exact bodies, the permission matrix, bad input, nothing written."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.audit.models import AuditEntry
from unionhall.members.tests.people import register
from unionhall.reports import catalogue
from unionhall.reports.figures import summary_build
from unionhall.reports.models import ReportedFigure, Submission, Target
from unionhall.reports.periods import Period
from unionhall.reports.summary import report_json

URL = "/api/v1/reports/summary/"
YEAR = {"from": "2024-01-01", "to": "2024-12-31"}
EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(name="api")
def api_fixture(cast):
    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


@pytest.fixture(name="members")
def members_fixture(cast):
    """Two members of the unit (one a woman) and one of its sibling, all joined in 2021 and 2024."""
    register(cast.admin, cast.unit, "Nguyễn Văn An")
    register(
        cast.admin,
        cast.unit,
        "Trần Thị Bình",
        gender="female",
        date_of_birth=dt.date(1992, 1, 2),
        join_date=dt.date(2024, 3, 1),
    )
    register(cast.admin, cast.sibling_unit, "Lê Văn Cường", date_of_birth=dt.date(1985, 7, 8))


def state() -> dict[str, int]:
    return {
        "audit": AuditEntry.objects.count(),
        "targets": Target.objects.count(),
        "reported": ReportedFigure.objects.count(),
        "submissions": Submission.objects.count(),
    }


def denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert state() == before
    return response.json()["error"]


def test_summary_of_a_commune_is_the_report_as_json(api, cast, members):
    response = api("parent").get(URL, {"unit": "dn-tb", **YEAR})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["name"], body["from"], body["to"]) == (
        "DN-TB",
        "Công đoàn phường Trấn Biên",
        "2024-01-01",
        "2024-12-31",
    )
    assert body["previous_period"] == {"from": "2023-01-01", "to": "2023-12-31"}
    assert body["indicators"]["members.active"] == 3
    assert body["indicators"]["members.women"] == 1
    assert body["indicators"]["members.joined"] == 1
    assert body["indicators"]["members.ended"] == {"total": 0, "by_reason": {}}
    assert body["indicators"]["units.grassroots.active"] == 2
    assert body["previous"]["members.active"] == 2
    assert [(c["unit"], c["indicators"]["members.active"]) for c in body["children"]] == [
        ("DN-TB-001", 2),
        ("DN-TB-002", 1),
    ]
    assert [len(point) for point in body["trend"]] == [3] * 5
    assert body["trend"][-1] == {
        "from": "2024-01-01",
        "to": "2024-12-31",
        "indicators": body["trend"][-1]["indicators"],
    }
    assert body["trend"][-1]["indicators"]["members.active"] == 3
    assert set(body["indicators"]) == {i.code for i in catalogue.INDICATORS}
    expected = report_json(
        summary_build(
            unit=cast.commune, period=Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), today=timezone.localdate()
        )
    )
    assert body == expected | {"as_of": body["as_of"]}


def test_summary_trend_length_is_chosen(api, cast, members):
    body = api("officer").get(URL, {"unit": "DN-TB-001", **YEAR, "trend": 0}).json()
    assert body["children"] == [
        {
            "unit": "DN-TB-001-S1",
            "name": "Công đoàn bộ phận Sản xuất",
            "indicators": body["children"][0]["indicators"],
            "previous": body["children"][0]["previous"],
            "reported": [],
            "targets": {},
        }
    ]
    assert body["children"][0]["indicators"]["members.active"] == 0
    assert [p["from"] for p in body["trend"]] == ["2024-01-01"]


SEES_UNIT = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_summary_matrix(api, cast, members, who):
    before = state()
    response = api(who).get(URL, {"unit": "DN-TB-001", **YEAR})
    if SEES_UNIT[who] != 200:
        error = denied(response, SEES_UNIT[who], before)
        assert error["code"] == ("not_authenticated" if who is None else "not_found")
        if who is not None:
            assert error["message"] == "Unit DN-TB-001 was not found."
            assert error["fields"] == {}
        return
    assert response.status_code == 200
    assert response.json()["indicators"]["members.active"] == 2
    assert state() == before


def test_an_unknown_unit_is_a_404_like_one_out_of_scope(api, cast):
    before = state()
    error = denied(api("admin").get(URL, {"unit": "NOPE", **YEAR}), 404, before)
    assert (error["code"], error["message"]) == ("not_found", "Unit NOPE was not found.")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2024-01-01", "to": "2024-12-31"}, "unit", "This field is required."),
        ({"unit": "DN", "to": "2024-12-31"}, "from", "This field is required."),
        ({"unit": "DN", "from": "2024-01-01"}, "to", "This field is required."),
        ({"unit": "DN", "from": "1/1/2024", "to": "2024-12-31"}, "from", "Give a date as YYYY-MM-DD."),
        ({"unit": "DN", "from": "2024-01-01", "to": "2024-02-30"}, "to", "Give a date as YYYY-MM-DD."),
        ({"unit": "DN", "from": "2024-12-31", "to": "2024-01-01"}, "to", "The period ends before it starts."),
        ({"unit": "DN", "from": "1000-01-01", "to": "2024-01-01"}, "from", "The period starts too long ago."),
        ({"unit": "DN", "from": "2024-01-01", "to": "9999-12-31"}, "to", "The period ends too far in the future."),
        ({"unit": "D" * 41, **YEAR}, "unit", "Ensure this field has no more than 40 characters."),
        (
            {"unit": "DN", "from": "2" * 31, "to": "2024-12-31"},
            "from",
            "Ensure this field has no more than 30 characters.",
        ),
        ({"unit": "DN", **YEAR, "trend": "13"}, "trend", "Ensure this value is less than or equal to 12."),
        ({"unit": "DN", **YEAR, "trend": "x"}, "trend", "A valid integer is required."),
    ],
)
def test_bad_query_is_a_400_on_its_field(api, cast, query, field, message):
    before = state()
    error = denied(api("admin").get(URL, query), 400, before)
    assert error["fields"] == {field: [message]}


def test_a_national_summary_writes_no_record(api, cast, members):
    """A GET changes no record (only the derived roll-up tables may be brought up to date)."""
    before = state()
    body = api("admin").get(URL, {"unit": "vn", **YEAR}).json()
    assert (body["unit"], body["indicators"]["members.active"]) == ("VN", 3)
    assert [c["unit"] for c in body["children"]] == ["DN", "KH"]
    assert state() == before


def test_indicators_are_the_catalogue_in_the_request_language(api, cast):
    response = api("officer").get("/api/v1/reports/indicators/")
    assert response.status_code == 200
    body = response.json()
    assert [i["code"] for i in body] == [i.code for i in catalogue.INDICATORS]
    assert body[3] == {
        "code": "members.ended",
        "section": "members",
        "section_label": "Members",
        "label": "Memberships ended",
        "definition": (
            "Memberships that ended in the period, by the reason recorded (a transfer ends one and opens another)."
        ),
        "measure": "count",
        "flow": "flow",
        "dimensions": [{"name": "reason", "label": "by reason"}],
        "reportable": True,
    }
    assert body[0]["flow"] == "stock"
    assert [i["code"] for i in body if not i["reportable"]] == ["dialogues.overdue_employers"]


def test_indicators_need_a_signed_in_user(api):
    response = api(None).get("/api/v1/reports/indicators/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_schema_documents_both_operations(api):
    response = api("admin").get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    summary = paths["/api/v1/reports/summary/"]["get"]
    assert {p["name"] for p in summary["parameters"]} == {"unit", "from", "to", "trend"}
    assert {"200", "400", "401", "403", "404"} <= set(summary["responses"])
    assert set(paths["/api/v1/reports/indicators/"]) == {"get"}
