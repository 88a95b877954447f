"""`unionhall generate --units N --members M ...`: synthetic data sets for benchmarks, written in bulk."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhall.core.commands import generators


class Command(BaseCommand):
    help = (
        "Write synthetic data for benchmarks in bulk (COPY on PostgreSQL): a unit tree of N units, members in "
        "its units, ... Each option runs its generator; units come first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        for generator in generators():
            generator.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = [g for g in generators() if g.wanted(options)]
        if not chosen:
            raise CommandError("Say what to generate, e.g. --units 135000 or --members 1000000.")
        for generator in chosen:
            generator.run(self, options)
