"""`unionhall audit verify`: walk the hash chain and report the first broken entry, if any."""

from collections.abc import Iterable, Iterator

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhall.audit.chain import find_break, iterate_rows
from unionhall.audit.models import AuditEntry

PROBLEMS = {
    "content": "its content was edited after it was written (the hash no longer matches)",
    "link": "it does not follow the entry before it: an entry was deleted, inserted or the entries were reordered",
}


class _Counter:
    """Counts the rows a walk has read."""

    def __init__(self, rows: Iterable[dict]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            self.count += 1
            yield row


class Command(BaseCommand):
    help = "The audit log. `audit verify` checks the hash chain; exit status 1 if it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        commands.add_parser(
            "verify", help="Walk every entry in order and check its hash and its link to the entry before."
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            self.verify()

    def verify(self) -> None:
        rows = _Counter(iterate_rows(AuditEntry.objects.all()))
        broken = find_break(rows)
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"OK: {rows.count:,} audit entries, the chain is intact."))
            return
        verified = rows.count - 1
        raise CommandError(
            f"BROKEN at audit entry {broken.entry_id} "
            f"({verified:,} {'entry' if verified == 1 else 'entries'} before it verified): "
            f"{PROBLEMS.get(broken.problem, broken.problem)}.",
            returncode=1,
        )
