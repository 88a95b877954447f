"""The members' parts of `unionhall bench` (`bench import`, `bench search`) and `unionhall generate --members N`."""

import datetime as dt
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from unionhall.core.commands import Benchmark, Generator
from unionhall.orgunits.benchmarks import Measure, machine_info, table
from unionhall.orgunits.cli import verdict

from . import benchmarks
from .synthetic import NoUnits, members_generate

FULL_IMPORT_ROWS = 1_000_000
FULL_XLSX_ROWS = 200_000


def _header(command: BaseCommand, name: str, scale: str) -> None:
    command.stdout.write("")
    command.stdout.write(f"unionhall bench {name}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for key, value in machine_info().items():
        command.stdout.write(f"  {key + ':':<10} {value}")
    command.stdout.write(f"  {'data:':<10} {scale}")
    command.stdout.write("")


# ---------------------------------------------------------------- bench import


def _import_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=FULL_IMPORT_ROWS, help="CSV rows to import (default 1,000,000).")
    parser.add_argument(
        "--xlsx-rows", type=int, default=FULL_XLSX_ROWS, help="XLSX rows to parse (default 200,000; 0 skips)."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")


def _bench_import(command: BaseCommand, options: dict[str, Any]) -> None:
    rows, xlsx_rows, seed = options["rows"], options["xlsx_rows"], options["seed"]
    if rows < 1 or xlsx_rows < 0:
        raise CommandError("--rows must be at least 1 and --xlsx-rows at least 0.")
    try:
        province, codes = benchmarks.target_province()
    except ValueError as error:
        raise CommandError(str(error)) from None
    sizes = benchmarks.counts()
    with tempfile.TemporaryDirectory(prefix="unionhall-bench-") as folder:
        csv_path = Path(folder) / "members.csv"
        benchmarks.write_roster_csv(csv_path, rows=rows, seed=seed, unit_codes=codes)
        with override_settings(DEBUG=False):
            result = benchmarks.bench_import(path=csv_path, unit=province, rows=rows)
        parse = None
        if xlsx_rows:
            xlsx_path = Path(folder) / "members.xlsx"
            benchmarks.write_roster_xlsx(xlsx_path, rows=xlsx_rows, seed=seed, unit_codes=codes)
            parse = benchmarks.bench_xlsx_parse(xlsx_path, province)
        size_mb = csv_path.stat().st_size / 1024 / 1024
    _header(
        command,
        "import",
        f"{sizes['people']:,} people and {sizes['memberships']:,} memberships before; rows into "
        f"{len(codes):,} grassroots unions of {province.code}; {connection.vendor}",
    )
    lines = [
        "| Measure | Product | Raw limit | Ratio | Target | Met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    ratio_met = result.ratio >= benchmarks.IMPORT_RATIO_TARGET
    time_met = result.product_seconds <= benchmarks.IMPORT_SECONDS_TARGET
    memory_met = result.peak_mb <= benchmarks.MEMORY_TARGET_MB
    lines.append(
        f"| CSV import, {rows:,} rows ({size_mb:,.0f} MB), rows/s | {result.product_rate:,.0f} | "
        f"{result.raw_rate:,.0f} | {result.ratio:.0%} | ≥ {benchmarks.IMPORT_RATIO_TARGET:.0%} of raw | "
        f"{'yes' if ratio_met else 'NO'} |"
    )
    lines.append(
        f"| CSV import, seconds in all | {result.product_seconds:,.1f} | {result.raw_seconds:,.1f} | — | "
        f"≤ {benchmarks.IMPORT_SECONDS_TARGET:.0f} s | {'yes' if time_met else 'NO'} |"
    )
    lines.append(
        f"| peak memory of the process, MB | {result.peak_mb:,.0f} | — | — | ≤ {benchmarks.MEMORY_TARGET_MB:,} MB | "
        f"{'yes' if memory_met else 'NO'} |"
    )
    missed = [
        name for name, met in (("rows/s ratio", ratio_met), ("seconds", time_met), ("memory", memory_met)) if not met
    ]
    if parse is not None:
        parse_met = parse.product_rate >= benchmarks.XLSX_RATE_TARGET
        lines.append(
            f"| XLSX parsing, {parse.rows:,} rows, rows/s | {parse.product_rate:,.0f} | {parse.raw_rate:,.0f} | "
            f"{parse.product_rate / parse.raw_rate:.0%} | ≥ {benchmarks.XLSX_RATE_TARGET:,} rows/s | "
            f"{'yes' if parse_met else 'NO'} |"
        )
        if not parse_met:
            missed.append("XLSX rows/s")
    command.stdout.write("\n".join(lines))
    command.stdout.write(f"  outcome: {result.summary}")
    command.stdout.write(f"  raw limit: the same rows loaded again by {result.raw_method}, same tables and indexes")
    command.stdout.write("  product: stored file, read, validated, encrypted, blind-indexed, written set-wise, audited")
    verdict(command, missed, options["strict"])


IMPORT = Benchmark(
    name="import",
    help="Members from a generated CSV (and XLSX parsing) through the product, vs a raw load of the same rows.",
    add_arguments=_import_arguments,
    run=_bench_import,
)


# ---------------------------------------------------------------- bench search


def _search_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=20, help="Timed samples per query.")
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")


def _bench_search(command: BaseCommand, options: dict[str, Any]) -> None:
    repeat = options["repeat"]
    if repeat < 1:
        raise CommandError("--repeat must be at least 1.")
    try:
        benchmarks.target_province()
    except ValueError as error:
        raise CommandError(str(error)) from None
    with override_settings(DEBUG=False):
        measures: list[Measure] = [*benchmarks.bench_search(repeat=repeat), *benchmarks.bench_lists(repeat=repeat)]
    sizes = benchmarks.counts()
    _header(command, "search", f"{sizes['people']:,} people, {sizes['memberships']:,} memberships; {connection.vendor}")
    command.stdout.write(table(measures))
    for m in measures:
        if m.note:
            command.stdout.write(f"  {m.name}: {m.note}")
    verdict(command, [m.name for m in measures if not m.met], options["strict"])


SEARCH = Benchmark(
    name="search",
    help="Member search and member list pages vs raw SQL on the same indexes (run `generate --members` first).",
    add_arguments=_search_arguments,
    run=_bench_search,
)


# ---------------------------------------------------------------- generate --members


def _members_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--members", type=int, help="Add N synthetic members to the active grassroots unions.")
    parser.add_argument(
        "--members-without-ids", action="store_true", help="Leave out national IDs (faster; no encryption)."
    )


def _generate_members(command: BaseCommand, options: dict[str, Any]) -> None:
    members = options["members"]
    if members < 1:
        raise CommandError("--members must be at least 1.")
    try:
        generated = members_generate(members=members, seed=options["seed"], with_ids=not options["members_without_ids"])
    except NoUnits:
        raise CommandError("There is no active grassroots union: generate a tree first (--units N).") from None
    command.stdout.write(
        f"Generated {generated.members:,} members (ids from {generated.first_id}) in {generated.seconds:.1f} s "
        f"({generated.members / generated.seconds:,.0f} members/s)."
    )


MEMBERS = Generator(
    order=20,
    add_arguments=_members_arguments,
    wanted=lambda o: o.get("members") is not None,
    run=_generate_members,
)
