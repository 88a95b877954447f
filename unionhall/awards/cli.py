"""The awards part of `unionhall bench`: `bench eligibility` (register ELIGIBILITY in AwardsConfig.ready)."""

import datetime as dt
from argparse import ArgumentParser
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from unionhall.core.commands import Benchmark
from unionhall.orgunits.benchmarks import machine_info
from unionhall.orgunits.cli import verdict

from . import benchmarks
from .criteria import FAIL, PASS, REVIEW
from .synthetic import NoGrassroots

FULL_PEOPLE = benchmarks.TARGET_PEOPLE
FULL_YEARS = 5


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--people", type=int, default=FULL_PEOPLE, help="Synthetic members in one province (default 100,000)."
    )
    parser.add_argument("--years", type=int, default=FULL_YEARS, help="Years of award history (default 5).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")


def _run(command: BaseCommand, options: dict[str, Any]) -> None:
    people, years = options["people"], options["years"]
    if people < 1 or not 1 <= years <= 30:
        raise CommandError("--people must be at least 1 and --years between 1 and 30.")
    # Query logging (DEBUG in development settings) would slow both sides; production runs without it.
    with override_settings(DEBUG=False):
        try:
            result = benchmarks.bench_eligibility(people=people, years=years, seed=options["seed"])
        except NoGrassroots as error:
            raise CommandError(f"Province {error.args[0]} holds no active grassroots union.") from None
    history = result.history
    out = command.stdout
    out.write("")
    out.write(f"unionhall bench eligibility, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for key, value in machine_info().items():
        out.write(f"  {key + ':':<10} {value}")
    written = ", ".join(f"{n:,} {name}" for name, n in history.rows.items())
    out.write(
        f"  {'data:':<10} province {history.province.code} ({history.units:,} grassroots unions); "
        f"{people:,} synthetic members, {years} years ({history.years[0]}–{history.years[-1]}): {written}; "
        f"generated in {history.seconds:.1f} s"
        + (f" (and a tree of {result.tree_generated:,} units)" if result.tree_generated else "")
        + f"; rolled back afterwards; {connection.vendor}"
    )
    out.write(
        f"  {'judged:':<10} {result.population:,} active members × {len(result.types)} individual award types "
        f"for {history.years[-1]}: {', '.join(result.types)}"
    )
    out.write("")
    target_applies = connection.vendor == "postgresql" and people >= FULL_PEOPLE
    time_met = result.product_seconds <= benchmarks.TARGET_SECONDS
    lines = [
        "| Measure | Product | Raw limit | Ratio | Target | Met |",
        "|---|---:|---:|---:|---:|---|",
        f"| batch eligibility of the province, seconds | {result.product_seconds:,.2f} | {result.raw_seconds:,.2f} | "
        f"{result.ratio:.1f}× | "
        + (
            f"≤ {benchmarks.TARGET_SECONDS:.0f} s at {FULL_PEOPLE:,} people on PostgreSQL | "
            f"{'yes' if time_met else 'NO'} |"
            if target_applies
            else "— (information) | — |"
        ),
        f"| SQL queries | {result.product_queries:,} | {result.raw_queries:,} | — | independent of the number of "
        "people | — |",
        f"| members judged per second | {result.population * len(result.types) / result.product_seconds:,.0f} | "
        f"{result.population * len(result.types) / result.raw_seconds:,.0f} | — | — | — |",
    ]
    out.write("\n".join(lines))
    out.write("")
    out.write("| Award type | Eligible | To review | Not eligible | Raw SQL agrees |")
    out.write("|---|---:|---:|---:|---|")
    for code in result.types:
        mine, raw = result.product_tallies[code], result.raw_tallies.get(code, Counter())
        out.write(
            f"| {code} | {mine[PASS]:,} | {mine[REVIEW]:,} | {mine[FAIL]:,} | "
            f"{'yes' if mine == raw else f'NO ({raw[PASS]:,} / {raw[REVIEW]:,} / {raw[FAIL]:,})'} |"
        )
    out.write("  product: `batch_eligibility` (scoping, the rule in force, each criterion set-wise, reasons in words)")
    out.write("  raw limit: the same criteria as hand-written aggregate SQL, one query each, set logic, no messages")
    missed = []
    if target_applies and not time_met:
        missed.append("seconds")
    if not result.same_verdicts:
        missed.append("the raw SQL's verdicts differ from the product's")
    verdict(command, missed, options["strict"])


ELIGIBILITY = Benchmark(
    name="eligibility",
    help="Batch eligibility of a province (synthetic members and award history, rolled back) vs raw SQL.",
    add_arguments=_arguments,
    run=_run,
)
