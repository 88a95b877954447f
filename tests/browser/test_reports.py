"""The period summary report in the browser: an officer chooses a unit, a year and reads the totals, the row of
each unit below (opening one's own report from it) and the charts; the same page in Persian, right to left with
Persian digits in the tables and the charts; and a reporting round where one unit has submitted and one has not.

The records are made for these tests in a province of their own (so the figures are known exactly and no other
browser test's figures move), by the services, in a process on the server's database. Their codes sort after
the demo's, so tests that take the first unit of a kind by code still find a demo unit.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from .conftest import DEMO_PASSWORD, ROOT, Server, login

pytestmark = pytest.mark.browser

PROVINCE, COMMUNE, FIRST, SECOND = "ZBC", "ZBC-PX", "ZBC-PX-01", "ZBC-PX-02"
OFFICER, READER = "bct.officer", "bct.reader"  # unit administrators of the commune union; READER reads Persian
YEAR = 2025
DUE = dt.date(YEAR + 1, 1, 15)  # the round for YEAR: FIRST submitted on 10 January, SECOND never did

SETUP = f"""
import datetime as dt
import json

import django

django.setup()

from django.utils import timezone

from conftest import establish, grant
from unionhall.accounts.models import User
from unionhall.activities import services as activities
from unionhall.activities.tests.fixtures import create
from unionhall.members.tests.people import register
from unionhall.orgunits.models import Unit
from unionhall.reports import services as reports
from unionhall.reports.periods import year


def user(username, **extra):
    made = User(username=username, full_name=username.title(), language="en", **extra)
    made.set_password({DEMO_PASSWORD!r})
    made.save()
    return made


admin = user("bct.admin", is_superuser=True, is_staff=True)
province = establish(admin, Unit.objects.get(code="VN"), "provincial_federation", {PROVINCE!r}, "LĐLĐ tỉnh Thử Nghiệm")
commune = establish(admin, province, "commune_union", {COMMUNE!r}, "Công đoàn phường Thử Nghiệm")
first = establish(admin, commune, "grassroots_union", {FIRST!r}, "Công đoàn cơ sở Công ty Hoa Sen")
second = establish(admin, commune, "grassroots_union", {SECOND!r}, "Công đoàn cơ sở Công ty Bến Thành")
for username in ({OFFICER!r}, {READER!r}):
    grant(user(username), commune)

this_year, last_year = dt.date({YEAR}, 1, 10), dt.date({YEAR - 1}, 6, 1)
an = register(admin, first, "Nguyễn Văn An", join_date=this_year)
binh = register(admin, first, "Trần Thị Bình", join_date=this_year, gender="female")
cuong = register(admin, first, "Lê Văn Cường", join_date=last_year)
register(admin, second, "Phạm Thị Dung", join_date=last_year, gender="female")
register(admin, second, "Hoàng Văn Em", join_date=this_year)
training = create(admin, first, title="Tập huấn Bộ luật Lao động")  # held on 10 March {YEAR}
activities.check_in_people(actor=admin, activity=training, people=[an, binh, cuong])

closed = reports.round_open(
    actor=admin,
    unit=commune,
    title="Báo cáo tổng kết năm {YEAR}",
    period=year({YEAR}),
    due_date=dt.date.fromisoformat({DUE.isoformat()!r}),
)
reports.submission_submit(
    actor=admin, unit=first, period=year({YEAR}), now=dt.datetime({DUE.year}, {DUE.month}, 10, 2, 0, tzinfo=dt.UTC)
)
# A round still open: the earlier year, due in a month; FIRST has submitted, SECOND may still do so.
still_open = reports.round_open(
    actor=admin,
    unit=commune,
    title="Báo cáo tổng kết năm {YEAR - 1}",
    period=year({YEAR - 1}),
    due_date=timezone.localdate() + dt.timedelta(days=30),
)
reports.submission_submit(actor=admin, unit=first, period=year({YEAR - 1}))
print(json.dumps({{"closed": closed.pk, "open": still_open.pk}}))
"""


@pytest.fixture(scope="module")
def rounds(server: Server) -> dict[str, int]:
    """Make the province's records; the ids of its two reporting rounds."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{server.database}",
        "UNIONHALL_VAR_DIR": str(server.database.parent),
        "UNIONHALL_CACHE_DIR": str(server.database.parent / "cache"),
    }
    done = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _no_problems(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]


def _charts_drawn(page: Page) -> list[dict]:
    """Each chart the page was given: its slot, whether a Chart.js instance draws it on a canvas of some size,
    its locale and the labels of its value axis."""
    configured = page.evaluate("JSON.parse(document.getElementById('uh-report-charts').textContent).charts.length")
    expect(page.locator(".uh-chart canvas")).to_have_count(configured)
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.uh-chart canvas')).map((canvas) => {
            const chart = Chart.getChart(canvas);
            return {
                id: canvas.id,
                slot: canvas.closest('[data-chart-slot]').dataset.chartSlot,
                drawn: chart !== undefined && canvas.width > 0 && canvas.height > 0,
                type: chart ? chart.config.type : null,
                locale: chart ? chart.options.locale : null,
                labels: chart ? chart.data.labels : [],
                series: chart ? chart.data.datasets.map((set) => set.label) : [],
                ticks: chart ? chart.scales.y.ticks.map((tick) => tick.label) : [],
            };
        })"""
    )


def _value(page: Page, section: str, code: str, column: str = "value"):
    return page.locator(f'section[data-section="{section}"] tr[data-indicator="{code}"] td[data-{column}]')


def _cell(page: Page, child: str, code: str):
    return page.locator(f'#uh-children tr[data-child="{child}"] td[data-indicator="{code}"]')


def test_an_officer_reads_a_year_of_a_unit_with_its_units_below_and_charts(
    page: Page, server: Server, rounds: dict[str, int]
):
    login(page, server, OFFICER)
    page.goto(f"{server.url}/reports/")
    page.fill("#id_unit", COMMUNE)
    page.select_option("#id_preset", "year")
    page.fill("#id_year", str(YEAR))
    page.click("#uh-show")

    expect(page).to_have_url(re.compile(rf"/reports/\?.*unit={COMMUNE}.*year={YEAR}"))
    expect(page.locator("#uh-report-unit")).to_have_text("Công đoàn phường Thử Nghiệm")
    expect(page.locator("#uh-report-period")).to_contain_text(str(YEAR))
    # Five members at the end of the year (two a year before), three of them joined in it, two women; two
    # grassroots unions; one training with three members on its roster.
    expect(_value(page, "members", "members.active")).to_have_text("5")
    expect(_value(page, "members", "members.active", "previous")).to_have_text("2")
    expect(_value(page, "members", "members.active", "change")).to_have_text("+3")
    expect(_value(page, "members", "members.joined")).to_have_text("3")
    expect(_value(page, "members", "members.joined", "previous")).to_have_text("2")
    expect(_value(page, "members", "members.women")).to_have_text("2")
    expect(_value(page, "units", "units.grassroots.active")).to_have_text("2")
    expect(_value(page, "activities", "activities.count")).to_have_text("1")
    expect(_value(page, "activities", "activities.participants")).to_have_text("3")

    # A row per direct unit, and the total under them.
    expect(page.locator("#uh-children tbody tr[data-child]")).to_have_count(2)
    expect(_cell(page, FIRST, "members.active")).to_have_text("3")
    expect(_cell(page, FIRST, "members.joined")).to_have_text("2")
    expect(_cell(page, FIRST, "activities.count")).to_have_text("1")
    expect(_cell(page, SECOND, "members.active")).to_have_text("2")
    expect(_cell(page, SECOND, "members.joined")).to_have_text("1")
    expect(_cell(page, SECOND, "activities.count")).to_have_text("0")
    expect(page.locator('#uh-children td[data-total="members.active"]')).to_have_text("5")
    expect(page.locator('#uh-children td[data-total="activities.count"]')).to_have_text("1")

    # A bar chart in every section, and the trend, all drawn by Chart.js.
    charts = _charts_drawn(page)
    sections = page.locator("section[data-section]").count()
    assert sections >= 6
    assert {c["slot"] for c in charts} == {*map(str, range(sections)), "trend"}
    assert all(c["drawn"] for c in charts), charts
    assert [c["type"] for c in charts if c["slot"] == "trend"] == ["line"]
    assert {c["locale"] for c in charts} == {"en-GB"}
    members_chart = next(c for c in charts if c["id"] == "uh-chart-0")
    labels = page.locator('section[data-section="members"] tbody tr[data-indicator] td:first-child > span[title]')
    assert members_chart["labels"] == labels.all_inner_texts()
    assert members_chart["series"] == ["This period", "Previous period"]
    _no_problems(page)

    # The first unit's row opens its own report for the same year.
    page.click(f'#uh-children tr[data-child="{FIRST}"] a')
    expect(page).to_have_url(re.compile(rf"unit={FIRST}&from={YEAR}-01-01&to={YEAR}-12-31"))
    expect(page.locator("#uh-report-unit")).to_have_text("Công đoàn cơ sở Công ty Hoa Sen")
    expect(_value(page, "members", "members.active")).to_have_text("3")
    expect(_value(page, "members", "members.joined")).to_have_text("2")
    expect(_value(page, "activities", "activities.participants")).to_have_text("3")
    expect(page.locator("#uh-children tbody tr[data-child]")).to_have_count(0)
    assert all(c["drawn"] for c in _charts_drawn(page))
    _no_problems(page)


def test_the_summary_in_persian_is_right_to_left_with_persian_digits_in_tables_and_charts(
    page: Page, server: Server, rounds: dict[str, int]
):
    login(page, server, READER)
    with page.expect_navigation():
        page.select_option("#uh-language", "fa")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    page.goto(f"{server.url}/reports/?unit={COMMUNE}&preset=year&year={YEAR}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#uh-report-period")).to_contain_text("۲۰۲۵")

    expect(_value(page, "members", "members.active")).to_have_text("۵")
    expect(_value(page, "members", "members.active", "change")).to_have_text("+۳")
    expect(_value(page, "activities", "activities.participants")).to_have_text("۳")
    expect(_cell(page, FIRST, "members.active")).to_have_text("۳")
    expect(_cell(page, SECOND, "members.active")).to_have_text("۲")
    expect(page.locator('#uh-children td[data-total="members.active"]')).to_have_text("۵")

    charts = _charts_drawn(page)
    assert all(c["drawn"] for c in charts), charts
    assert {c["locale"] for c in charts} == {"fa-IR"}
    for chart in charts:  # the value axis counts in Persian digits
        assert chart["ticks"], chart
        assert all(re.fullmatch(r"[۰-۹٬٫]+", tick) for tick in chart["ticks"]), chart
    members_chart = next(c for c in charts if c["id"] == "uh-chart-0")
    labels = page.locator('section[data-section="members"] tbody tr[data-indicator] td:first-child > span[title]')
    # The charts are labelled as the tables are, in Persian.
    assert members_chart["labels"] == labels.all_inner_texts()
    assert members_chart["labels"][0] == "اعضا"
    columns = page.locator('section[data-section="members"] thead th')
    assert members_chart["series"] == [columns.nth(1).inner_text(), columns.nth(2).inner_text()]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    _no_problems(page)


def test_the_commune_sees_which_units_submitted_their_report_and_which_are_late(
    page: Page, server: Server, rounds: dict[str, int]
):
    login(page, server, OFFICER)
    page.goto(f"{server.url}/reports/rounds/?unit={COMMUNE}")
    expect(page.locator("#uh-round-list tbody tr[data-round]")).to_have_count(2)
    page.click(f'#uh-round-list tr[data-round="{rounds["closed"]}"] a')
    expect(page).to_have_url(f"{server.url}/reports/rounds/{rounds['closed']}/")

    first = page.locator(f'#uh-round-children tr[data-child="{FIRST}"]')
    second = page.locator(f'#uh-round-children tr[data-child="{SECOND}"]')
    expect(first).to_have_attribute("data-state", "submitted")
    expect(first.locator("td").nth(1)).to_have_text("Submitted")
    expect(first.locator("td").nth(2)).to_contain_text(str(DUE.year))
    expect(second).to_have_attribute("data-state", "late")
    expect(second.locator("td").nth(1)).to_have_text("Late")
    expect(page.locator('#uh-state-counts [data-state="submitted"] [data-count]')).to_have_text("1")
    expect(page.locator('#uh-state-counts [data-state="late"] [data-count]')).to_have_text("1")

    # The submitted report opens as it was frozen.
    first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/reports/submissions/\d+/$"))
    _no_problems(page)

    # The round still open: the unit that has not submitted is not late yet.
    page.goto(f"{server.url}/reports/rounds/{rounds['open']}/")
    expect(first).to_have_attribute("data-state", "submitted")
    expect(second).to_have_attribute("data-state", "pending")
    expect(second.locator("td").nth(1)).to_have_text("Not yet submitted")
    _no_problems(page)
