"""`unionhall bench attendance`: check-ins at the door and the workplace-democracy dashboard (registered in
DemocracyConfig.ready).

Two measures in one run, each beside its raw limit: `activities.benchmarks.bench_checkins` (members
checked in one by one through the service) and `democracy.benchmarks.bench_compliance` (the
dashboard of a province's employers). Both generate their data and roll it back.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from unionhall.activities import benchmarks as activity_benchmarks
from unionhall.core.commands import Benchmark
from unionhall.orgunits.benchmarks import machine_info
from unionhall.orgunits.cli import verdict

from . import benchmarks

FULL_CHECKINS = 10_000
CHECKIN_TARGET_SECONDS = 10.0
MAX_CHECKINS = 1_000_000
MAX_EMPLOYERS = 200_000


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--checkins", type=int, default=FULL_CHECKINS, help="Members checked in one by one (default 10,000)."
    )
    parser.add_argument(
        "--employers",
        type=int,
        default=benchmarks.TARGET_EMPLOYERS,
        help="Employers with a grassroots union in the synthetic province (default 5,000).",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


def _run(command: BaseCommand, options: dict[str, Any]) -> None:
    checkins, employers = options["checkins"], options["employers"]
    if not 1 <= checkins <= MAX_CHECKINS or not 1 <= employers <= MAX_EMPLOYERS:
        raise CommandError(
            f"--checkins must be between 1 and {MAX_CHECKINS:,}, --employers between 1 and {MAX_EMPLOYERS:,}."
        )
    # Query logging (DEBUG in development settings) would slow both sides; production runs without it.
    with override_settings(DEBUG=False):
        door = activity_benchmarks.bench_checkins(checkins=checkins, seed=options["seed"])
        dashboard = benchmarks.bench_compliance(employers=employers, seed=options["seed"])
    out = command.stdout
    out.write("")
    out.write(f"unionhall bench attendance, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for key, value in machine_info().items():
        out.write(f"  {key + ':':<10} {value}")
    out.write(f"  {'check-ins:':<10} {door.generated}; rolled back afterwards; {door.database}")
    out.write(f"  {'dashboard:':<10} {dashboard.generated}; rolled back afterwards; {dashboard.database}")
    out.write("")
    full_door = checkins >= FULL_CHECKINS
    full_dashboard = employers >= benchmarks.TARGET_EMPLOYERS
    door_met = door.product_seconds <= CHECKIN_TARGET_SECONDS
    dashboard_met = dashboard.product_ms <= benchmarks.TARGET_MS
    lines = [
        "| Measure | Product | Raw limit | Ratio | Target | Met |",
        "|---|---:|---:|---:|---:|---|",
        f"| {door.checkins:,} check-ins through the service, seconds | {door.product_seconds:,.2f} | "
        f"{door.raw_seconds:,.2f} | {door.ratio:.1f}× | "
        + (
            f"≤ {CHECKIN_TARGET_SECONDS:.0f} s at {FULL_CHECKINS:,} | {_yes(door_met)} |"
            if full_door
            else "— (information) | — |"
        ),
        f"| the same check-ins one at a time, each its own transaction, seconds | {door.product_seconds:,.2f} | "
        f"{door.raw_each_seconds:,.2f} | {door.product_seconds / door.raw_each_seconds:.1f}× | — (information) | — |",
        f"| the same people ticked on lists of {activity_benchmarks.LIST_SIZE} (`check_in_people`), seconds | "
        f"{door.listed_seconds:,.2f} | "
        f"{door.raw_seconds:,.2f} | {door.listed_seconds / door.raw_seconds:.1f}× | — (information) | — |",
        f"| SQL queries per check-in | {door.queries_per_checkin:,.1f} | — | — | — | — |",
        f"| compliance dashboard of {dashboard.employers:,} employers (first page and counts), ms | "
        f"{dashboard.product_ms:,.1f} | {dashboard.raw_ms:,.1f} | {dashboard.ratio:.1f}× | "
        + (
            f"≤ {benchmarks.TARGET_MS:.0f} ms at {benchmarks.TARGET_EMPLOYERS:,} employers | {_yes(dashboard_met)} |"
            if full_dashboard
            else "— (information) | — |"
        ),
        f"| SQL queries of the dashboard | {dashboard.queries:,} | 2 | — | independent of the employers | — |",
    ]
    out.write("\n".join(lines))
    counts = dashboard.counts
    out.write(
        f"  states: {counts['overdue']:,} overdue, {counts['due_soon']:,} due soon, "
        f"{counts['up_to_date']:,} up to date; raw SQL agrees: {_yes(dashboard.same_answer)}"
    )
    out.write("  product: `check_in_member` per member (scope, lookup, roster row, counters, audit, own transaction);")
    out.write("           `compliance_page` (scope, the rule in force, states set-wise, page details, counts)")
    out.write("  raw limit: the same rows by executemany and one counter UPDATE; one at a time: find, insert, count,")
    out.write("             each check-in its own transaction, no audit; the same dashboard in two SQL statements")
    missed = []
    if full_door and not door_met:
        missed.append("check-in seconds")
    if full_dashboard and not dashboard_met:
        missed.append("dashboard milliseconds")
    if not dashboard.same_answer:
        missed.append("the raw SQL's dashboard differs from the product's")
    verdict(command, missed, options["strict"])


ATTENDANCE = Benchmark(
    name="attendance",
    help="Check-ins through the service and the workplace-democracy dashboard (synthetic, rolled back) vs raw SQL.",
    add_arguments=_arguments,
    run=_run,
)
