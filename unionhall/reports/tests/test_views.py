"""The report pages: permission matrix for every page, exact figures on the page, bad queries on the form,
nothing changed on a denial, and the summary's query budget."""

import datetime as dt

import pytest
from django.test import Client

from conftest import establish
from unionhall.audit.models import AuditEntry
from unionhall.members.tests.people import register
from unionhall.reports import periods, services
from unionhall.reports.models import ReportedFigure, ReportingRound, Submission, Target

UTC = dt.UTC
Y2024 = periods.year(2024)
Q2024 = "from=2024-01-01&to=2024-12-31"
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


def state():
    return (
        Target.objects.count(),
        ReportedFigure.objects.count(),
        ReportingRound.objects.count(),
        sorted(Submission.objects.values_list("unit__code", "status", "version")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def members(cast):
    register(cast.admin, cast.unit, "Nguyễn Văn An", join_date=dt.date(2024, 3, 1))
    register(cast.admin, cast.sibling_unit, "Trần Thị Bình", join_date=dt.date(2024, 4, 1), gender="female")


def test_summary_page_matrix(cast):
    unit_only = {"sibling": 404, "outsider": 404}
    matrix(f"/reports/?unit=DN-TB-001&preset=dates&{Q2024}", unit_only, cast)
    matrix("/reports/?unit=DN-TB&preset=year&year=2024", {"officer": 404, "sibling": 404, "outsider": 404}, cast)
    matrix("/reports/", {}, cast)


def test_form_pages_matrix(cast):
    reporting_round = services.round_open(
        actor=cast.parent, unit=cast.commune, title="Tổng kết 2024", period=Y2024, due_date=dt.date(2025, 1, 10)
    )
    submission = services.submission_submit(
        actor=cast.officer, unit=cast.unit, period=Y2024, now=dt.datetime(2025, 1, 5, tzinfo=UTC)
    )
    parent_only = {"officer": 404, "sibling": 404, "outsider": 404}
    unit_only = {"sibling": 404, "outsider": 404}
    matrix(f"/reports/targets/?unit=DN-TB&{Q2024}", parent_only, cast)
    matrix(f"/reports/figures/?unit=DN-TB-001&{Q2024}", unit_only, cast)
    matrix(f"/reports/submit/?unit=DN-TB-001&{Q2024}", unit_only, cast)
    matrix("/reports/rounds/?unit=DN-TB", parent_only, cast)
    matrix("/reports/rounds/new/?unit=DN-TB", parent_only, cast)
    matrix(f"/reports/rounds/{reporting_round.pk}/", parent_only, cast)
    matrix(f"/reports/submissions/{submission.pk}/", unit_only, cast)
    matrix(f"/reports/submissions/{submission.pk}/return/", parent_only, cast)


def test_the_summary_shows_exact_figures_children_and_charts(cast, members):
    services.target_set(actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2024, value=4)
    page = client_for(cast.parent).get("/reports/?unit=DN-TB&preset=year&year=2024")
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.unit.code, report.period) == ("DN-TB", Y2024)
    lines = {line.item.code: line for part in page.context["sections"] for line in part.lines}
    assert (lines["members.joined"].value, lines["members.joined"].previous, lines["members.joined"].change) == (
        2,
        0,
        2,
    )
    assert lines["members.women"].value == 1
    children = {c["row"].unit.code: c for c in page.context["children"]}
    assert list(children) == ["DN-TB-001", "DN-TB-002"]
    joined = [(item.code, value, progress) for item, value, progress in children["DN-TB-001"]["values"]][1]
    assert (joined[0], joined[1], str(joined[2].percent)) == ("members.joined", 1, "25.00")
    assert children["DN-TB-001"]["url"] == "/reports/?unit=DN-TB-001&from=2024-01-01&to=2024-12-31&preset=dates"
    body = page.content.decode()
    assert 'id="uh-report-charts"' in body
    assert "reports/charts.js" in body
    assert page.context["charts"]["locale"] == "en-GB"
    assert page.context["charts"]["rtl"] is False
    members_chart = page.context["charts"]["charts"][0]
    assert (members_chart["slot"], members_chart["labels"][:3]) == ("0", ["Members", "Women members", "Members joined"])
    assert members_chart["datasets"][0]["data"][:3] == [2, 1, 2]
    assert page.context["can_submit"] is True  # the commune's officer submits to the province
    assert page.context["parent"] == cast.province
    assert 'data-indicator="members.joined"' in body
    assert 'href="/reports/exports/?unit=DN-TB&amp;from=2024-01-01&amp;to=2024-12-31"' in body


def test_the_summary_in_persian_uses_persian_digits_and_rtl(cast, members):
    cast.parent.language = "fa"
    cast.parent.save()
    client = client_for(cast.parent)
    page = client.get("/reports/?unit=DN-TB&preset=year&year=2024")
    assert (page.context["charts"]["locale"], page.context["charts"]["rtl"]) == ("fa-IR", True)
    body = page.content.decode()
    assert 'dir="rtl"' in body
    assert 'data-value="2">۲</td>' in body


def test_a_reported_figure_is_marked_on_the_summary(cast):
    services.figure_report(actor=cast.officer, unit=cast.unit, indicator="dialogues.held", period=Y2024, value=7)
    page = client_for(cast.officer).get(f"/reports/?unit=DN-TB-001&preset=dates&{Q2024}")
    body = page.content.decode()
    assert 'data-reported="dialogues.held"' in body
    assert page.context["can_submit"] is True
    assert 'id="uh-submit"' in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("preset=dates&from=2024-13-01&to=2024-12-31", "start", "This date does not exist."),
        ("preset=dates&from=soon&to=2024-12-31", "start", "Enter a date as dd/mm/yyyy, e.g. 25/11/2026."),
        ("preset=dates&from=2024-12-31&to=2024-01-01", "end", "The period ends before it starts."),
        ("preset=dates&from=2024-01-01", "end", "Give both dates of the period."),
        ("preset=year&year=abc", "year", "Enter a whole number."),
        (
            "preset=movement&movement=nope",
            "movement",
            "Select a valid choice. nope is not one of the available choices.",
        ),
        ("preset=term&term=1999-2004", "term", "Select a valid choice. 1999-2004 is not one of the available choices."),
        ("preset=weekly", "preset", "Select a valid choice. weekly is not one of the available choices."),
        ("preset=dates&from=1900-01-01&to=1901-01-01", "start", "The period starts too long ago."),
    ],
)
def test_bad_queries_come_back_on_the_form(cast, query, field, message):
    page = client_for(cast.officer).get(f"/reports/?unit=DN-TB-001&{query}")
    assert page.status_code == 200
    assert page.context["report"] is None
    assert page.context["form"].errors[field] == [message]


def test_an_unknown_or_unseen_unit_is_not_found(cast):
    assert client_for(cast.officer).get("/reports/?unit=NOPE").status_code == 404
    assert client_for(cast.officer).get("/reports/?unit=DN-TB-002").status_code == 404


def test_the_summary_has_a_query_budget(cast, members, django_assert_max_num_queries):
    client = client_for(cast.parent)
    client.get("/reports/?unit=DN-TB&preset=year&year=2024")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/reports/?unit=DN-TB&preset=year&year=2024").status_code == 200
    for i in range(10):
        establish(cast.admin, cast.commune, "grassroots_union", f"DN-TB-1{i:02d}", f"Công đoàn cơ sở {i}")
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get("/reports/?unit=DN-TB&preset=year&year=2024").status_code == 200


def test_setting_targets_through_the_page(cast):
    url = f"/reports/targets/?unit=DN-TB&{Q2024}"
    client = client_for(cast.parent)
    page = client.get(f"{url}&indicator=members.joined")
    assert [child.code for child, _field in page.context["form"].child_fields()] == ["DN-TB-001", "DN-TB-002"]
    response = client.post(url, {"indicator": "members.joined", f"u_{cast.unit.pk}": "120", "note": ""})
    assert response.status_code == 302
    assert list(Target.objects.values_list("unit__code", "indicator", "value")) == [
        ("DN-TB-001", "members.joined", 120)
    ]
    before = state()
    bad = client.post(url, {"indicator": "members.joined", f"u_{cast.unit.pk}": "-4"})
    assert bad.status_code == 200
    assert bad.context["form"].errors == {f"u_{cast.unit.pk}": ["Ensure this value is greater than or equal to 0."]}
    denied = client_for(cast.officer).post(url, {"indicator": "members.joined", f"u_{cast.unit.pk}": "5"})
    assert denied.status_code == 404
    target = Target.objects.get()
    assert client_for(cast.officer).post(f"/reports/targets/{target.pk}/delete/").status_code == 302
    assert client_for(cast.sibling).post(f"/reports/targets/{target.pk}/delete/").status_code == 404
    assert state() == before
    assert client.post(f"/reports/targets/{target.pk}/delete/").status_code == 302
    assert Target.objects.count() == 0


def test_reporting_a_figure_through_the_page(cast):
    url = f"/reports/figures/?unit=DN-TB-001&{Q2024}"
    client = client_for(cast.officer)
    assert client.post(url, {"indicator": "dialogues.held", "value": "5", "note": "Sổ"}).status_code == 302
    assert list(ReportedFigure.objects.values_list("indicator", "value", "note")) == [("dialogues.held", 5, "Sổ")]
    before = state()
    bad = client.post(url, {"indicator": "dialogues.overdue_employers", "value": "5"})
    assert bad.status_code == 200
    assert "indicator" in bad.context["form"].errors
    assert client_for(cast.sibling).post(url, {"indicator": "dialogues.held", "value": "9"}).status_code == 404
    figure = ReportedFigure.objects.get()
    assert client_for(cast.outsider).post(f"/reports/figures/{figure.pk}/withdraw/").status_code == 404
    assert state() == before
    assert client.post(f"/reports/figures/{figure.pk}/withdraw/").status_code == 302
    assert ReportedFigure.objects.count() == 0


def test_submitting_and_deciding_through_the_pages(cast, members):
    submitted = client_for(cast.officer).post(f"/reports/submit/?unit=DN-TB-001&{Q2024}", {"note": "Kính gửi"})
    submission = Submission.objects.get()
    assert submitted["Location"] == f"/reports/submissions/{submission.pk}/"
    page = client_for(cast.parent).get(f"/reports/submissions/{submission.pk}/")
    assert page.context["can_decide"] is True
    lines = {line.item.code: line for part in page.context["sections"] for line in part.lines}
    assert lines["members.joined"].value == 1
    assert client_for(cast.officer).get(f"/reports/submissions/{submission.pk}/").context["can_decide"] is False
    before = state()
    assert (
        client_for(cast.officer).post(f"/reports/submissions/{submission.pk}/accept/", {"version": 1}).status_code
        == 302
    )
    assert (
        client_for(cast.sibling).post(f"/reports/submissions/{submission.pk}/accept/", {"version": 1}).status_code
        == 404
    )
    no_reason = client_for(cast.parent).post(
        f"/reports/submissions/{submission.pk}/return/", {"reason": "", "version": 1}
    )
    assert no_reason.context["form"].errors == {"reason": ["This field is required."]}
    assert state() == before
    back = client_for(cast.parent).post(
        f"/reports/submissions/{submission.pk}/return/", {"reason": "Thiếu số liệu", "version": 1}
    )
    assert back.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == ("returned", "Thiếu số liệu")
    summary = client_for(cast.officer).get(f"/reports/?unit=DN-TB-001&preset=dates&{Q2024}")
    assert 'id="uh-returned"' in summary.content.decode()


def test_a_round_page_counts_the_units(cast):
    client = client_for(cast.parent)
    response = client.post(
        "/reports/rounds/new/?unit=DN-TB",
        {"title": "Tổng kết 2024", "start": "01/01/2024", "end": "31/12/2024", "due_date": "10/01/2025"},
    )
    reporting_round = ReportingRound.objects.get()
    assert response["Location"] == f"/reports/rounds/{reporting_round.pk}/"
    page = client.get(f"/reports/rounds/{reporting_round.pk}/")
    assert [(row.unit.code, row.state.value) for row in page.context["status"].children] == [
        ("DN-TB-001", "late"),
        ("DN-TB-002", "late"),
    ]
    assert 'data-state="late"' in page.content.decode()
    before = state()
    bad = client.post(
        "/reports/rounds/new/?unit=DN-TB",
        {"title": "X", "start": "31/12/2024", "end": "01/01/2024", "due_date": "10/01/2025"},
    )
    assert bad.context["form"].errors == {"end": ["The period ends before it starts."]}
    assert state() == before


def test_a_period_before_the_unit_existed_comes_back_on_the_form(cast):
    page = client_for(cast.officer).get("/reports/?unit=DN-TB-001&preset=dates&from=2019-01-01&to=2019-12-31")
    assert page.status_code == 200
    assert page.context["report"] is None
    assert page.context["form"].non_field_errors() == [
        "Unit DN-TB-001 was not in the tree on 2019-12-31; choose a period that ends while it was."
    ]
