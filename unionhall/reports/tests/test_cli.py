"""`unionhall report summary` and `unionhall report refresh`: output, scoping with --as, bad arguments."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from docx import Document

from unionhall.audit.models import AuditEntry
from unionhall.members.tests.people import register
from unionhall.reports.figures import summary_build
from unionhall.reports.models import RollupState
from unionhall.reports.periods import Period
from unionhall.reports.summary import report_json

YEAR = ["--from", "2024-01-01", "--to", "2024-12-31"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(name="members")
def members_fixture(cast):
    register(cast.admin, cast.unit, "Nguyễn Văn An")
    register(cast.admin, cast.sibling_unit, "Lê Văn Cường", date_of_birth=dt.date(1985, 7, 8))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_to_the_standard_output_is_the_api_body(cast, members):
    body = json.loads(run("summary", "--unit", "dn-tb", *YEAR, "--lang", "en"))
    with translation.override("en"):
        expected = report_json(
            summary_build(
                unit=cast.commune, period=Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), today=timezone.localdate()
            )
        )
    assert body == expected | {"as_of": body["as_of"]}
    assert body["indicators"]["members.active"] == 2
    assert [(c["unit"], c["indicators"]["members.active"]) for c in body["children"]] == [
        ("DN-TB-001", 1),
        ("DN-TB-002", 1),
    ]


def test_names_follow_the_language(cast, members):
    body = json.loads(run("summary", "--unit", "DN-TB", *YEAR, "--lang", "vi", "--trend", "0"))
    assert body["name"] == "Công đoàn phường Trấn Biên"
    assert len(body["trend"]) == 1


def test_json_to_a_file(cast, members, tmp_path):
    target = tmp_path / "report.json"
    assert run("summary", "--unit", "DN", *YEAR, "-o", str(target)) == ""
    assert json.loads(target.read_text())["indicators"]["members.active"] == 2


def test_docx_in_vietnamese(cast, members, tmp_path):
    target = tmp_path / "report.docx"
    run("summary", "--unit", "DN", *YEAR, "--format", "docx", "--lang", "vi", "-o", str(target))
    document = Document(str(target))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Liên đoàn Lao động tỉnh Đồng Nai" in text


def test_as_a_user_reads_only_what_they_see(cast, members):
    assert json.loads(run("summary", "--unit", "DN-TB-001", *YEAR, "--as", "officer"))["unit"] == "DN-TB-001"
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=r"^Unit DN-TB-001 was not found\.$"):
        run("summary", "--unit", "DN-TB-001", *YEAR, "--as", "sibling")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NOPE", *YEAR], "Unit NOPE was not found."),
        (["--unit", "DN", "--from", "2024-13-01", "--to", "2024-12-31"], "--from: Give a date as YYYY-MM-DD."),
        (["--unit", "DN", "--from", "2024-12-01", "--to", "2024-01-31"], "--to: The period ends before it starts."),
        (["--unit", "DN", *YEAR, "--format", "pdf"], "--format pdf writes a file: give it with -o FILE."),
        (["--unit", "DN", *YEAR, "--as", "nobody"], "There is no active user nobody."),
        (["--unit", "DN", *YEAR, "--trend", "40"], "--trend must be between 0 and 12."),
        (["--unit", "DN", *YEAR, "-o", "/nonexistent-dir/x.json"], "Cannot write /nonexistent-dir/x.json: "),
    ],
)
def test_bad_arguments_are_a_clear_error(cast, args, message):
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError) as raised:
        run("summary", *args)
    assert str(raised.value).startswith(message)
    assert raised.value.returncode == 1
    assert AuditEntry.objects.count() == before


def test_refresh_then_full_rebuild(cast, members):
    first = run("refresh")
    assert first.startswith("The tree changed (or nothing was built yet): rebuilt everything; up to date as of ")
    assert run("refresh").startswith("Nothing changed since the last refresh; up to date as of ")
    register(cast.admin, cast.unit, "Phạm Thị Dung", gender="female", date_of_birth=dt.date(1995, 2, 3))
    assert run("refresh").startswith("Recounted the figures of 1 units; up to date as of ")
    assert run("refresh", "--full").startswith("Rebuilt the roll-ups from the records; up to date as of ")
    assert RollupState.objects.get().tree_changed is False
