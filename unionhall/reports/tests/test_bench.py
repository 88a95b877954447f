"""`unionhall bench report --tiny` and the generators it uses: the product's figures equal the raw recount."""

import io
from typing import Any

import pytest
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import translation

from unionhall.activities.choices import ActivityStatus, AttendanceMode
from unionhall.activities.models import Activity, ActivityOrganiser, Attendee, Headcount
from unionhall.awards.models import Award, Decision
from unionhall.democracy.models import Dialogue
from unionhall.initiatives.models import Initiative, InitiativeBenefit
from unionhall.members.synthetic import members_generate
from unionhall.orgunits.models import Unit
from unionhall.orgunits.synthetic import synthetic_tree_generate
from unionhall.reports import benchmarks, cli, synthetic
from unionhall.reports.figures import summary_build


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def options(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(vars(cli.NATIONAL))
    values.update(tiny=True, repeat=1, seed=1, force=False, strict=False, keep_rollups=False)
    values.update(extra)
    return values


def bench(**extra: Any) -> str:
    command = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    cli.REPORT.run(command, options(**extra))
    return command.stdout.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(name="national")
def national_fixture(db):
    """A small national data set: 300 units, 3,000 members and the records the reports count."""
    synthetic_tree_generate(actor=None, units=300, seed=1)
    members_generate(members=3_000, seed=1, with_ids=False)
    return {
        "initiatives": synthetic.initiatives_generate(initiatives=2_000, seed=1),
        "activities": synthetic.activities_generate(activities=600, attendance=6_000, seed=1),
        "awards": synthetic.awards_generate(awards=1_500, seed=1),
        "dialogues": synthetic.dialogues_generate(dialogues=600, seed=1),
    }


def test_generators_write_what_they_say(national):
    assert national["initiatives"].rows["initiatives"] == Initiative.objects.count() == 2_000
    assert national["initiatives"].rows["benefit rows"] == InitiativeBenefit.objects.count()
    activities = national["activities"].rows
    general = Activity.objects.filter(dialogue__isnull=True)
    assert activities["activities"] == general.count() == 600
    assert activities["attendance rows"] == Attendee.objects.count() == 6_000
    organisers = ActivityOrganiser.objects.filter(activity__in=general)
    assert activities["organiser rows"] == organisers.count()
    assert activities["headcounts"] == Headcount.objects.count()
    # Every activity is organised by its recording unit; some by a second unit too.
    assert organisers.values("activity").distinct().count() == 600
    assert 600 < organisers.count() < 700
    # Rosters only for held activities, and their counters agree with the rows.
    roster = Activity.objects.filter(attendance_mode=AttendanceMode.ROSTER, status=ActivityStatus.HELD)
    assert sum(roster.values_list("participants", flat=True)) == 6_000
    assert not Attendee.objects.exclude(activity__status=ActivityStatus.HELD).exists()
    assert national["awards"].rows["awards"] == Award.objects.count() == 1_500
    assert national["awards"].rows["decisions"] == Decision.objects.count()
    # An employer beside every grassroots union, under the same parent; at most one dialogue a year each.
    unions = Unit.objects.filter(type__is_grassroots=True)
    employers = national["dialogues"].rows["employers"]
    assert employers == unions.count() == Unit.objects.filter(type__code="enterprise").count()
    assert not unions.filter(employer__isnull=True).exists()
    assert all(u.employer.parent_id == u.parent_id for u in unions.select_related("employer"))
    assert national["dialogues"].rows["dialogues"] == Dialogue.objects.count() == 600
    yearly = Dialogue.objects.values("employer", "held_on__year").annotate(n=Count("pk"))
    assert {row["n"] for row in yearly} == {1}
    assert {row["held_on__year"] for row in yearly} == {2021, 2022, 2023, 2024, 2025}
    held = Activity.objects.filter(dialogue__isnull=False, status=ActivityStatus.HELD, kind__code="workplace_dialogue")
    assert held.count() == 600
    # A second run gives no union a second employer.
    assert synthetic.dialogues_generate(dialogues=1, seed=2).rows["employers"] == 0


def test_recount_equals_the_report(national):
    country, province, grassroots = benchmarks.scopes().items()
    for _name, unit in (country, province, grassroots):
        report = summary_build(unit=unit, period=benchmarks.PERIOD, today=benchmarks.PERIOD.end)
        counted = benchmarks.recount(unit, benchmarks.PERIOD)
        paths = {c.code: c.path for c in unit.children.all()}
        assert benchmarks.differences(report, counted, paths) == []
    total = summary_build(unit=country[1], period=benchmarks.PERIOD, today=benchmarks.PERIOD.end).total
    assert total.value("initiatives.submitted") > 0
    assert total.value("activities.participants") > 0
    assert total.value("awards.count") > 0
    assert total.value("dialogues.held") == Dialogue.objects.filter(held_on__gte=benchmarks.PERIOD.start).count() > 0
    assert 0 < total.value("dialogues.overdue_employers") < Unit.objects.filter(type__code="enterprise").count()


def test_tiny_bench_runs_end_to_end(db):
    out = bench()
    assert "unionhall bench report, " in out
    assert "| summary of the country (" in out
    assert "report vs recount: every figure equal" in out
    assert out.count("every figure equal") == 3
    assert "| DOCX export of the province (" in out
    assert "| refresh after 1 new membership |" in out
    assert "| refresh after an import of 1,000 memberships |" in out
    assert "| refresh after 1 new dialogue | " in out and "no employer" not in out
    assert "| full roll-up rebuild from the records | " in out and "not run" not in out
    # A second run reuses the data; with --keep-rollups it also keeps the roll-ups and still checks every figure.
    again = bench(keep_rollups=True)
    assert "generated:" not in again
    assert "| full roll-up rebuild from the records | not run (--keep-rollups) | — | — |" in again
    assert again.count("every figure equal") == 3


def test_bad_sizes_are_refused(db):
    with pytest.raises(CommandError, match="--units must be at least 4"):
        bench(units=2)
    with pytest.raises(CommandError, match="--repeat must be at least 1"):
        bench(repeat=0)


def test_generate_dialogues_from_the_command_line(db):
    from django.core.management import call_command

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("generate", *args, stdout=out)
        return out.getvalue()

    with pytest.raises(CommandError, match="no active grassroots union"):
        run("--dialogues", "10")
    assert not Unit.objects.exists()
    run("--units", "300")
    with pytest.raises(CommandError, match="--dialogues must be at least 1"):
        run("--dialogues", "0")
    assert not Dialogue.objects.exists() and not Unit.objects.filter(type__code="enterprise").exists()
    out = run("--dialogues", "50")
    unions = Unit.objects.filter(type__is_grassroots=True).count()
    assert f"Generated {unions:,} employers, 50 dialogues, 50 organiser rows in " in out
