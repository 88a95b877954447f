"""`unionhall import KIND FILE --unit CODE [--dry-run]` and `unionhall import KIND --template --lang vi -o FILE`."""

import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from unionhall.accounts.models import User
from unionhall.core.errors import DomainError
from unionhall.datafiles.choices import JobPhase, JobStatus, Outcome
from unionhall.datafiles.kinds import kind_get, kind_list
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.writing import template_write
from unionhall.orgunits.models import Unit

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of a record type into a unit (validated whole; all-or-nothing; exit status 1 "
        "when rows are rejected), or write the record type's template with --template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="The record type, e.g. members.")
        parser.add_argument("file", nargs="?", help="The .xlsx or .csv file to import.")
        parser.add_argument("--unit", help="The code of the unit to import into.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--actor", help="Act as this user (their permissions apply); default: the system.")
        parser.add_argument("--report", help="Write the error report (XLSX) to this file when there are errors.")
        parser.add_argument("--template", action="store_true", help="Write the template of the record type.")
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[c for c, _n in settings.LANGUAGES],
            help="The template's language; also the report's when no --actor is given (the actor's own otherwise).",
        )
        parser.add_argument("-o", "--output", help="Where --template writes the template.")

    def handle(self, *args: Any, kind: str, **options: Any) -> None:
        try:
            spec = kind_get(kind)
        except DomainError:
            known = ", ".join(k.code for k in kind_list()) or "-"
            raise CommandError(f"Unknown record type {kind!r}. Known: {known}.") from None
        if options["template"]:
            if not options["output"]:
                raise CommandError("--template needs -o FILE.")
            template_write(options["output"], kind=spec, language=options["lang"])
            self.stdout.write(f"Template of {spec.code} ({options['lang']}) written to {options['output']}.")
            return
        self.run_import(spec.code, **options)

    def run_import(self, kind: str, *, file: str | None, unit: str | None, **options: Any) -> None:
        if not file or not unit:
            raise CommandError("Give the FILE to import and --unit CODE.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = Unit.objects.filter(code=unit.strip().upper()).first()
        if target is None:
            raise CommandError(f"No unit has the code {unit}.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user has the user name {options['actor']}.")
        language = getattr(actor, "language", "") or options["lang"]
        with translation.override(language):
            try:
                with path.open("rb") as handle:
                    job = datajob_create(
                        actor=actor,
                        kind=kind,
                        unit=target,
                        file=File(handle, name=path.name),
                        dry_run=options["dry_run"],
                        language=language,
                    )
            except DomainError as error:
                raise CommandError(str(error)) from None
            self.phase = ""
            job = datajob_run(job_id=job.pk, progress=self.progress)
        sys.stderr.write("\n")
        self.report(job, options["report"])

    def progress(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            if self.phase:
                sys.stderr.write("\n")
            self.phase = phase
        sys.stderr.write(f"\r{done:,} / {total:,} rows {'written' if phase == JobPhase.WRITING else 'checked'}")
        sys.stderr.flush()

    def report(self, job: Any, report_path: str | None) -> None:
        summary = job.summary or {}
        counts = ", ".join(f"{outcome} {summary.get(outcome, 0):,}" for outcome in Outcome.values)
        mode = "dry run" if job.dry_run else "import"
        self.stdout.write(f"Job {job.pk} ({mode}, sha256 {job.sha256[:12]}): {job.status}. {counts}.")
        if summary.get("same_file_as"):
            self.stdout.write(f"The same file was imported before, in job {summary['same_file_as']}.")
        if job.report_name:
            with default_storage.open(job.report_name, "rb") as report:
                if report_path:
                    with open(report_path, "wb") as out:
                        shutil.copyfileobj(report, out)
                    self.stdout.write(f"Error report written to {report_path}.")
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(job.error or "The import failed.", returncode=1)
