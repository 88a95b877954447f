"""`unionhall bench NAME ...`: the product's benchmarks, each beside the raw-SQL or raw-library limit."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unionhall.core.commands import benchmarks


class Command(BaseCommand):
    help = "Benchmarks of the product, each measured beside the raw SQL or raw library limit in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
        for benchmark in benchmarks():
            benchmark.add_arguments(sub.add_parser(benchmark.name, help=benchmark.help))

    def handle(self, *args: Any, benchmark: str, **options: Any) -> None:
        chosen = next(b for b in benchmarks() if b.name == benchmark)
        chosen.run(self, options)
