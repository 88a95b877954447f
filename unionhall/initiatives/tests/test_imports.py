"""The `initiatives` record type: historic recognised initiatives keyed by unit and certificate number;
validated whole, all-or-nothing, idempotent, with the reason of every rejected row."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import NotFound
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes
from unionhall.initiatives import services
from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit
from unionhall.members.tests.people import register

from .snapshots import initiatives_state as _initiatives_state
from .stories import TODAY

HEADER = [
    "title",
    "field",
    "unit code",
    "first applied on",
    "level",
    "recognised on",
    "certificate number",
    "authors",
    "benefit year 1",
    "benefit year 2",
    "benefit year 3",
]


@pytest.fixture
def lan(cast):
    return register(cast.admin, cast.unit, "Nguyễn Thị Lan", gender="female")


@pytest.fixture
def binh(cast):
    return register(cast.admin, cast.section, "Trần Văn Bình")


def initiatives_state() -> dict:
    """The initiatives' rows and their audit entries; the job's own entries (created, finished) are expected."""
    state = _initiatives_state()
    state["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    return state


def rows(cast, lan, binh, *extra) -> list[list]:
    return [
        HEADER,
        [
            "Cải tiến khuôn ép",
            "Technical solution",
            "",
            "15/03/2022",
            "Grassroots",
            "20/12/2022",
            "SK-2022-015",
            f"{lan.member_code}: 60; {binh.member_code}: 40",
            "120000000",
            "80000000",
            "",
        ],
        [
            "Quy trình kiểm kê",
            "management",
            cast.section.code,
            "01/06/2023",
            "provincial",
            "01/11/2023",
            "SK-2023-002",
            f"{binh.member_code}:100",
            "",
            "",
            "",
        ],
        *extra,
    ]


def run(actor, cast, data: bytes, name: str = "initiatives.csv", *, dry_run: bool = False) -> DataJob:
    job = datajob_create(
        actor=actor, kind="initiatives", unit=cast.unit, file=ContentFile(data, name=name), dry_run=dry_run
    )
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def reasons(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [(row[0], row[1], row[3]) for row in sheet.iter_rows(values_only=True)][1:]


def test_new_rows_create_recognised_initiatives_with_authors_and_benefits(cast, lan, binh):
    job = run(cast.officer, cast, csv_bytes(rows(cast, lan, binh)))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (2, 0, 0, 0)
    first = Initiative.objects.get(certificate_number="SK-2022-015")
    assert (first.unit_id, first.status, first.field, first.level) == (
        cast.unit.pk,
        "recognised",
        "technical",
        "grassroots",
    )
    assert (first.first_applied_on, first.recognised_on, first.decided_on) == (
        dt.date(2022, 3, 15),
        dt.date(2022, 12, 20),
        dt.date(2022, 12, 20),
    )
    assert sorted(InitiativeAuthor.objects.filter(initiative=first).values_list("person_id", "share")) == sorted(
        [(lan.pk, Decimal("60.00")), (binh.pk, Decimal("40.00"))]
    )
    assert list(
        InitiativeBenefit.objects.filter(initiative=first)
        .order_by("year")
        .values_list("year", "year_index", "amount_vnd")
    ) == [
        (2022, 1, 120_000_000),
        (2023, 2, 80_000_000),
    ]
    second = Initiative.objects.get(certificate_number="SK-2023-002")
    assert (second.unit_id, second.level) == (cast.section.pk, "provincial")
    entries = AuditEntry.objects.filter(action="initiative.import").order_by("pk")
    assert [(e.object_id, e.unit_id, e.after["row"]) for e in entries] == [
        (str(first.pk), cast.unit.pk, 2),
        (str(second.pk), cast.section.pk, 3),
    ]


def test_xlsx_works_the_same(cast, lan, binh):
    table = rows(cast, lan, binh)
    table[1][8] = 120_000_000  # a number cell
    job = run(cast.officer, cast, xlsx_bytes(table), "initiatives.xlsx")
    assert counts(job) == (2, 0, 0, 0), job.error
    assert InitiativeBenefit.objects.get(year=2022).amount_vnd == 120_000_000


def test_reimport_changes_nothing_and_a_correction_updates(cast, lan, binh):
    data = csv_bytes(rows(cast, lan, binh))
    run(cast.officer, cast, data)
    before = initiatives_state()
    again = run(cast.officer, cast, data)
    assert counts(again) == (0, 0, 2, 0)
    assert initiatives_state() == before

    corrected = rows(cast, lan, binh)
    corrected[1][0] = "Cải tiến khuôn ép nhựa"
    corrected[1][7] = f"{lan.member_code}: 50; {binh.member_code}: 50"
    corrected[1][10] = "10000000"
    job = run(cast.officer, cast, csv_bytes(corrected))
    assert counts(job) == (0, 1, 1, 0)
    first = Initiative.objects.get(certificate_number="SK-2022-015")
    assert (first.title, first.version) == ("Cải tiến khuôn ép nhựa", 2)
    assert sorted(InitiativeAuthor.objects.filter(initiative=first).values_list("share", flat=True)) == [50, 50]
    assert list(
        InitiativeBenefit.objects.filter(initiative=first).order_by("year").values_list("year", "amount_vnd")
    ) == [
        (2022, 120_000_000),
        (2023, 80_000_000),
        (2024, 10_000_000),
    ]
    assert Initiative.objects.count() == 2
    entry = AuditEntry.objects.filter(action="initiative.import").latest("pk")
    assert (entry.before["title"], entry.after["title"]) == ("Cải tiến khuôn ép", "Cải tiến khuôn ép nhựa")


def test_a_dry_run_reports_the_same_and_writes_nothing(cast, lan, binh):
    before = initiatives_state()
    dry = run(cast.officer, cast, csv_bytes(rows(cast, lan, binh)), dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED and counts(dry) == (2, 0, 0, 0)
    assert initiatives_state() == before
    assert counts(run(cast.officer, cast, csv_bytes(rows(cast, lan, binh)))) == (2, 0, 0, 0)


def bad(cast, lan, binh, **changes) -> list:
    row = [
        "Sáng kiến C",
        "technical",
        "",
        "01/02/2023",
        "grassroots",
        "01/05/2023",
        "SK-9",
        f"{lan.member_code}: 100",
        "",
        "",
        "",
    ]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"c7": "{lan}: 60; {binh}: 30"},
            "authors",
            "The authors' shares add up to 90 %; they must add up to exactly 100 %.",
        ),
        ({"c7": "{lan}: 100; {binh}: 0"}, "authors", "Each share must be more than 0 and at most 100 %."),
        ({"c7": "{lan}: 50; {lan}: 50"}, "authors", "The same person is named twice among the authors."),
        ({"c7": "00000000000: 100"}, "authors", "No member with code 00000000000 was found."),
        ({"c7": "nonsense"}, "authors", "Write each author as member code: share"),
        ({"c5": "01/01/2023"}, "recognised on", "The recognition date is before the first application."),
        ({"c8": "-1"}, "benefit year 1", "The amount cannot be negative."),
        ({"c8": "1000000000000001"}, "benefit year 1", "The amount is too large: at most 1,000,000,000,000,000 VND."),
        (
            {"c3": "01/02/2024", "c5": "01/05/2024", "c10": "5"},
            "benefit year 3",
            "This year of application has not come yet.",
        ),
        ({"c6": "SK-2022-015"}, "certificate number", "The same initiative as row 2."),
        ({"c2": "DN-TB-002"}, "unit code", "Unit DN-TB-002 was not found among the active units"),
        ({"c3": "01/01/2099"}, "first applied on", None),
        ({"c4": "galactic"}, "level", "Choose one of"),
    ],
)
def test_one_bad_row_rejects_the_file_with_its_reason(cast, lan, binh, changes, column, reason):
    changes = {k: v.format(lan=lan.member_code, binh=binh.member_code) for k, v in changes.items()}
    before = initiatives_state()
    job = run(cast.officer, cast, csv_bytes(rows(cast, lan, binh, bad(cast, lan, binh, **changes))))
    assert job.status == JobStatus.FAILED
    assert counts(job) == (2, 0, 0, 1)
    assert job.error == "1 row was rejected; nothing was written."
    [(number, label, why)] = reasons(job)
    assert (number, label) == (4, column)
    if reason is not None:
        assert why.startswith(reason), why
    assert initiatives_state() == before


def test_an_author_the_importer_does_not_see_is_unknown(cast, lan, binh):
    stranger = register(cast.admin, cast.other_province, "Lê Văn Khách")
    job = run(
        cast.officer, cast, csv_bytes(rows(cast, lan, binh, bad(cast, lan, binh, c7=f"{stranger.member_code}: 100")))
    )
    [(_number, _label, why)] = reasons(job)
    assert why == f"No member with code {stranger.member_code} was found."
    assert not Initiative.objects.exists()


def test_a_paid_author_cannot_be_dropped(cast, lan, binh):
    run(cast.officer, cast, csv_bytes(rows(cast, lan, binh)))
    initiative = Initiative.objects.get(certificate_number="SK-2022-015")
    author = InitiativeAuthor.objects.get(initiative=initiative, person=binh)
    services.remuneration_pay(
        actor=cast.admin, author=author, year_index=1, amount_vnd=1, paid_on=dt.date(2023, 1, 10), today=TODAY
    )
    corrected = rows(cast, lan, binh)
    corrected[1][7] = f"{lan.member_code}: 100"
    job = run(cast.officer, cast, csv_bytes(corrected))
    assert job.status == JobStatus.FAILED
    [(_n, label, why)] = reasons(job)
    assert (label, why) == ("authors", "An author who has been paid remuneration cannot be removed.")


def test_outside_the_scope_no_job_starts_and_nothing_is_written(cast, lan, binh):
    before = initiatives_state()
    with pytest.raises(NotFound):
        run(cast.sibling, cast, csv_bytes(rows(cast, lan, binh)))
    assert initiatives_state() == before
    assert not DataJob.objects.exists()


def test_the_template_command(tmp_path):
    out = tmp_path / "initiatives-vi.xlsx"
    call_command("import", "initiatives", "--template", "--lang", "vi", "-o", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert len(header) == 11
    with_en = tmp_path / "initiatives-en.xlsx"
    call_command("import", "initiatives", "--template", "--lang", "en", "-o", str(with_en))
    assert [cell.value for cell in openpyxl.load_workbook(with_en).worksheets[0][1]] == HEADER


def test_the_command_line_imports_as_the_system(cast, lan, binh, tmp_path):
    path = tmp_path / "initiatives.csv"
    path.write_bytes(csv_bytes(rows(cast, lan, binh)))
    call_command("import", "initiatives", str(path), "--unit", cast.unit.code)
    assert Initiative.objects.count() == 2
    assert AuditEntry.objects.filter(action="initiative.import", actor_id=None).count() == 2
