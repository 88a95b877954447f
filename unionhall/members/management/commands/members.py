"""`unionhall members rekey [--batch N] [--after ID]`: re-encrypt stored national IDs after a key rotation."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from unionhall.core.errors import DomainError
from unionhall.members.services import RekeyBatch, national_ids_rekey


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _not_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Members. `members rekey` re-encrypts every stored national ID with the current key."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        rekey = commands.add_parser(
            "rekey",
            help=(
                "Re-encrypt every stored national ID with the first key of FIELD_ENCRYPTION_KEYS and recompute its "
                "blind index with BLIND_INDEX_KEY, in batches (one transaction and one audit entry each). Rows "
                "already current are skipped, so it can be run again or resumed. Exit status 1 when a stored value "
                "cannot be decrypted with any configured key."
            ),
        )
        rekey.add_argument("--batch", type=_positive, default=500, help="People per batch (default 500).")
        rekey.add_argument(
            "--after", type=_not_negative, default=0, help="Resume after this person id (printed as progress)."
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "rekey":
            self.rekey(batch_size=options["batch"], after_pk=options["after"])

    def rekey(self, *, batch_size: int, after_pk: int) -> None:
        done = [after_pk]

        def progress(batch: RekeyBatch) -> None:
            done[0] = batch.last_pk or done[0]
            self.stdout.write(
                f"people {batch.first_pk}-{batch.last_pk}: {batch.examined} examined, "
                f"{batch.re_encrypted} re-encrypted, {batch.reindexed} re-indexed"
            )
            self.stdout.flush()

        # Messages of the command line are in English, whatever the installation's language.
        with translation.override("en"):
            try:
                total = national_ids_rekey(actor=None, batch_size=batch_size, after_pk=after_pk, progress=progress)
            except DomainError as error:
                raise CommandError(
                    f"{error}\nNothing of the failing batch was written; the batches before it are done "
                    f"(configure the missing key, then run again, or resume with --after {done[0]}).",
                    returncode=1,
                ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {total.examined} national IDs examined, {total.re_encrypted} re-encrypted, "
                f"{total.reindexed} re-indexed."
            )
        )
