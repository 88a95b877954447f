"""`unionhall geo load FILE --map vn-2025`: load communes of an administrative map from a CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhall.orgunits.geography import COLUMNS, BadFile, communes_load, communes_read


class Command(BaseCommand):
    help = "Administrative maps. `geo load FILE --map CODE` loads communes (CSV: code,name,province_code)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        load = commands.add_parser(
            "load",
            help=f"Load communes from a UTF-8 CSV with the columns {','.join(COLUMNS)}; all rows or none.",
        )
        load.add_argument("file", type=Path)
        load.add_argument("--map", dest="scheme", required=True, help="The map the communes belong to, e.g. vn-2025.")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "load":
            self.load(options["file"], options["scheme"])

    def load(self, file: Path, scheme: str) -> None:
        try:
            # utf-8-sig accepts the byte-order mark that spreadsheet programs write.
            with open(file, encoding="utf-8-sig", newline="") as stream:
                rows = communes_read(stream)
            result = communes_load(actor=None, scheme_code=scheme, rows=rows, source=file.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        except BadFile as bad:
            listing = "\n".join(f"  {p}" for p in bad.problems)
            raise CommandError(f"Nothing was loaded from {file}:\n{listing}") from None
        self.stdout.write(
            f"{scheme}: {result.created:,} communes created, {result.updated:,} renamed, "
            f"{result.unchanged:,} unchanged."
        )
