"""The `models` record type: keyed by code, with the years evaluated effective and a recognition;
all-or-nothing, idempotent, rows outside the scope rejected."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes
from unionhall.practices.models import Practice, PracticeEvaluation

from .fixtures import TODAY, state

HEADER = [
    "code",
    "name",
    "kind",
    "field",
    "unit code",
    "movement code",
    "programme code",
    "started on",
    "registered on",
    "description",
    "evaluated effective in",
    "recognised as effective on",
    "recognition decision",
]


def table(*extra) -> list[list]:
    return [
        HEADER,
        [
            "nha-tro-an-toan",
            "Khu nhà trọ an toàn",
            "Model (mô hình)",
            "Defence and security",
            "",
            "ldg-ldst-dn",
            "ca-ldld-2024",
            "01/02/2024",
            "15/02/2024",
            "",
            "2024",
            "10/01/2025",
            "03/QĐ-CĐCS",
        ],
        [
            "guong-sang",
            "Gương sáng Sông Mây",
            "exemplar",
            "economy",
            "DN-TB-001-S1",
            "",
            "",
            "01/06/2023",
            "01/07/2023",
            "",
            "",
            "",
            "",
        ],
        *extra,
    ]


def run(actor, unit, data: bytes, name: str = "models.csv") -> DataJob:
    job = datajob_create(actor=actor, kind="models", unit=unit, file=ContentFile(data, name=name), dry_run=False)
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def reasons(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [(row[0], row[1], row[3]) for row in sheet.iter_rows(values_only=True)][1:]


def imported_state() -> dict:
    current = state()
    current["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    return current


def test_new_rows_register_models_with_their_evaluations_and_recognition(cast, world, models_world):
    job = run(cast.officer, cast.unit, csv_bytes(table()))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (2, 0, 0, 0)
    first = Practice.objects.get(code="nha-tro-an-toan")
    assert (
        first.unit_id,
        first.movement_id,
        first.programme_id,
        first.recognised_on,
        first.recognised_by_id,
        first.recognition_ref,
    ) == (
        cast.unit.pk,
        world.province_mv.pk,
        models_world.programme.pk,
        dt.date(2025, 1, 10),
        cast.unit.pk,
        "03/QĐ-CĐCS",
    )
    assert list(PracticeEvaluation.objects.filter(practice=first).values_list("year", "result", "evaluated_on")) == [
        (2024, "effective", dt.date(2024, 12, 31))
    ]
    second = Practice.objects.get(code="guong-sang")
    assert (second.unit_id, second.kind, second.field, second.movement_id) == (
        cast.section.pk,
        "exemplar",
        "economy",
        None,
    )
    assert [e.after["row"] for e in AuditEntry.objects.filter(action="practice.import").order_by("pk")] == [2, 3]


def test_reimport_changes_nothing_and_a_correction_updates(cast, world, models_world):
    data = xlsx_bytes(table())
    run(cast.officer, cast.unit, data, "models.xlsx")
    before = imported_state()
    again = run(cast.officer, cast.unit, data, "models.xlsx")
    assert counts(again) == (0, 0, 2, 0)
    assert imported_state() == before
    corrected = table()
    corrected[2][1] = "Gương sáng bộ phận Sản xuất"
    corrected[2][10] = "2024; 2023"
    job = run(cast.officer, cast.unit, csv_bytes(corrected))
    assert counts(job) == (0, 1, 1, 0)
    second = Practice.objects.get(code="guong-sang")
    assert (second.title, second.version) == ("Gương sáng bộ phận Sản xuất", 2)
    assert sorted(PracticeEvaluation.objects.filter(practice=second).values_list("year", flat=True)) == [2023, 2024]


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({4: "DN-TB-002"}, "unit code", "Unit DN-TB-002 was not found among the active units of DN-TB-001"),
        ({5: "xanh-sach-dep", 4: "DN-TB"}, "unit code", "Unit DN-TB was not found"),
        ({5: "bao-ve-khong-co"}, "movement code", "Movement bao-ve-khong-co was not found."),
        ({10: "2026"}, "evaluated effective in", "The year 2026 has not come yet."),
        ({10: "2022"}, "evaluated effective in", "The model started in 2023; it cannot be evaluated for 2022."),
        ({11: "01/01/2024"}, "recognised as effective on", "A model is recognised only when its latest evaluation"),
        ({0: "nha-tro-an-toan"}, "code", "The same model as row 2."),
        ({0: "dan-van-kheo-tb"}, "code", "The code dan-van-kheo-tb is taken by a model of unit DN-TB."),
        ({8: "01/07/2099"}, "registered on", None),
    ],
)
def test_one_bad_row_rejects_the_file_with_its_reason(cast, world, models_world, changes, column, reason):
    row = ["moi", "Mô hình mới", "", "economy", "", "", "", "01/06/2023", "01/07/2023", "", "", "", ""]
    for index, value in changes.items():
        row[index] = value
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(table(row)))
    assert job.status == JobStatus.FAILED
    assert counts(job) == (2, 0, 0, 1)
    [(number, label, why)] = reasons(job)
    assert (number, label) == (4, column)
    if reason is not None:
        assert why.startswith(reason), why
    assert imported_state() == before


def test_a_recognition_needs_practice_recognise_where_the_file_is_imported(cast, world, models_world):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")  # practice.change, not practice.recognise
    before = imported_state()
    job = run(clerk, cast.unit, csv_bytes(table()))
    [(number, label, why)] = reasons(job)
    assert (number, label, why) == (2, "recognised as effective on", "You may not recognise models in this unit.")
    assert imported_state() == before
    assert not DataJob.objects.filter(status=JobStatus.SUCCEEDED).exists()
