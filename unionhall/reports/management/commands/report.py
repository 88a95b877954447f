"""`unionhall report summary ...` (a unit's summary report as JSON, DOCX, XLSX or PDF) and `report refresh`."""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from unionhall.core.errors import DomainError
from unionhall.orgunits.models import Unit
from unionhall.reports import rollup, selectors
from unionhall.reports.choices import ExportFormat
from unionhall.reports.exports import render
from unionhall.reports.figures import summary_build
from unionhall.reports.periods import period_clean
from unionhall.reports.summary import SummaryReport, report_json

FORMATS = ["json", *ExportFormat.values]
LANGUAGES = ["vi", "en", "ar", "fa"]


class Command(BaseCommand):
    help = (
        "Period reports. `report summary` writes a unit's summary report for a period (JSON to the standard "
        "output, or a file); `report refresh` brings the roll-up tables up to date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        summary = commands.add_parser(
            "summary",
            help=(
                "A unit's summary report for a period: totals of its subtree on the tree as it stood on the "
                "period's last day, a row per direct unit, the previous equal period, targets and the trend. "
                "An operator's tool: without --as it reads every unit."
            ),
        )
        summary.add_argument("--unit", required=True, help="The unit's code.")
        summary.add_argument("--from", dest="start", required=True, metavar="DATE", help="First day, YYYY-MM-DD.")
        summary.add_argument("--to", dest="end", required=True, metavar="DATE", help="Last day, YYYY-MM-DD.")
        summary.add_argument("--format", choices=FORMATS, default="json", help="Default json.")
        summary.add_argument("--lang", choices=LANGUAGES, default="vi", help="The report's language (default vi).")
        summary.add_argument("-o", "--output", metavar="FILE", help="Write here (json: the standard output without).")
        summary.add_argument(
            "--as", dest="username", metavar="USERNAME", help="Read as this user: only units they may see reports of."
        )
        summary.add_argument("--trend", type=int, default=4, help="Equal periods before this one in the trend.")
        refresh = commands.add_parser(
            "refresh",
            help=(
                "Bring the roll-up tables up to date with the changes recorded since the last refresh; "
                "--full recounts everything from the records (minutes at national scale)."
            ),
        )
        refresh.add_argument("--full", action="store_true", help="Rebuild from the records instead.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        # Messages of the command line are in English, whatever the installation's language.
        with translation.override("en"):
            if subcommand == "summary":
                self.summary(options)
            else:
                self.refresh(full=options["full"])

    def summary(self, options: dict[str, Any]) -> None:
        file_format, output = options["format"], options["output"]
        if file_format != "json" and not output:
            raise CommandError(f"--format {file_format} writes a file: give it with -o FILE.")
        if not 0 <= options["trend"] <= 12:
            raise CommandError("--trend must be between 0 and 12.")
        today = timezone.localdate()
        try:
            period = period_clean(options["start"], options["end"], today=today)
        except DomainError as error:
            raise CommandError(f"--{error.field}: {error.message}") from None
        code = options["unit"].strip().upper()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Unit {code} was not found.")
        # Built in the command line's English (its errors); names and labels take the language when shown.
        report = self._report(options["username"], unit, period, today, options["trend"])
        with translation.override(options["lang"]):
            if file_format == "json":
                content = (json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n").encode()
            else:
                content = render(report, file_format=file_format, language=options["lang"])
        if not output:
            self.stdout.write(content.decode(), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {output} ({len(content):,} bytes): {unit.code}, {period.start} to {period.end}.")

    def _report(self, username: str | None, unit: Unit, period: Any, today: Any, trend: int) -> SummaryReport:
        user = None
        if username is not None:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user {username}.")
        try:
            if user is None:
                return summary_build(unit=unit, period=period, today=today, trend=trend)
            return selectors.summary_for(actor=user, unit=unit, period=period, today=today, trend=trend)
        except DomainError as error:
            raise CommandError(str(error.message)) from None

    def refresh(self, *, full: bool) -> None:
        if full:
            done = rollup.rollup_rebuild()
            self.stdout.write(
                f"Rebuilt the roll-ups from the records; up to date as of {done.refreshed_at:%Y-%m-%d %H:%M:%S %Z}."
            )
            return
        done = rollup.rollup_refresh()
        when = f"{done.refreshed_at:%Y-%m-%d %H:%M:%S %Z}" if done.refreshed_at else "never"
        if done.rebuilt:
            self.stdout.write(
                f"The tree changed (or nothing was built yet): rebuilt everything; up to date as of {when}."
            )
        elif done.owners:
            self.stdout.write(f"Recounted the figures of {done.owners:,} units; up to date as of {when}.")
        else:
            self.stdout.write(f"Nothing changed since the last refresh; up to date as of {when}.")
