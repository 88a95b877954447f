"""Who sees which job: the holders of the record type's action over the job's unit (the cast's matrix)."""

import pytest
from django.core.files.base import ContentFile

from unionhall.core.errors import NotFound
from unionhall.datafiles.selectors import datajob_get, datajob_list, datajob_output_open, datajob_report_open
from unionhall.datafiles.services import datajob_create, datajob_export_create, datajob_run

from .files import HEADER, csv_bytes
from .renames import CODE


def create(actor, unit):
    data = csv_bytes([HEADER, [unit.code, "Tên", "", "02/01/2024", "x"]])
    return datajob_create(actor=actor, kind=CODE, unit=unit, file=ContentFile(data, name="r.csv"), dry_run=True)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("officer", True), ("parent", True), ("admin", True), ("sibling", False), ("outsider", False)],
)
def test_job_visibility_follows_the_unit_tree(cast, who, sees):
    job = create(cast.officer, cast.unit)
    section_job = create(cast.officer, cast.section)
    other = create(cast.admin, cast.other_province)
    actor = getattr(cast, who)
    visible = set(datajob_list(actor=actor).values_list("pk", flat=True))
    expected = {job.pk, section_job.pk} if sees else set()
    if who in ("admin",):
        expected |= {other.pk}
    if who == "outsider":
        expected = {other.pk}
    assert visible == expected
    if sees:
        assert datajob_get(actor=actor, job_id=job.pk) == job
    else:
        with pytest.raises(NotFound):
            datajob_get(actor=actor, job_id=job.pk)


def test_jobs_of_an_unknown_kind_are_invisible(cast, renames_kind):
    job = create(cast.officer, cast.unit)
    from unionhall.datafiles import kinds

    kinds.unregister(CODE)
    assert list(datajob_list(actor=cast.admin)) == []
    with pytest.raises(NotFound):
        datajob_get(actor=cast.officer, job_id=job.pk)
    kinds.register(renames_kind)
    assert list(datajob_list(actor=cast.officer, kind=CODE)) == [job]


def test_reports_and_export_files_open_only_for_those_who_see_the_job(cast):
    data = csv_bytes([HEADER, [cast.unit.code, "", "", "02/01/2024", "x"]])
    failed = datajob_create(
        actor=cast.officer, kind=CODE, unit=cast.unit, file=ContentFile(data, name="r.csv"), dry_run=True
    )
    failed = datajob_run(job_id=failed.pk)
    clean = datajob_run(job_id=create(cast.officer, cast.unit).pk)
    export = datajob_export_create(actor=cast.officer, kind=CODE, unit=cast.unit, file_format="csv")
    with pytest.raises(NotFound):
        datajob_output_open(actor=cast.officer, job_id=export.pk)  # not run yet
    datajob_run(job_id=export.pk)
    with datajob_report_open(actor=cast.parent, job_id=failed.pk) as report:
        assert report.read(2) == b"PK"
    with datajob_output_open(actor=cast.parent, job_id=export.pk) as output:
        assert output.read(3) == b"\xef\xbb\xbf"
    for actor in (cast.sibling, cast.outsider):
        with pytest.raises(NotFound):
            datajob_report_open(actor=actor, job_id=failed.pk)
        with pytest.raises(NotFound):
            datajob_output_open(actor=actor, job_id=export.pk)
    with pytest.raises(NotFound):
        datajob_report_open(actor=cast.officer, job_id=clean.pk)
    with pytest.raises(NotFound):
        datajob_output_open(actor=cast.officer, job_id=failed.pk)
