"""The unit tree's parts of `unionhall bench` (`bench tree`) and `unionhall generate` (`--units N`)."""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from unionhall.core.commands import Benchmark, Generator

from . import benchmarks
from .models import Unit
from .synthetic import FULL_SCALE, MIN_UNITS, Refused, shape_for, synthetic_tree_generate


def _tree_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--units",
        type=int,
        default=FULL_SCALE,
        help="Generate a synthetic tree of this size first when the database holds fewer units.",
    )
    parser.add_argument("--repeat", type=int, default=50, help="Timed samples per read (transfer: at most 10).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force", action="store_true", help="Generate even if the database already holds (fewer) units."
    )
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")


def _bench_tree(command: BaseCommand, options: dict[str, Any]) -> None:
    units, repeat, seed = options["units"], options["repeat"], options["seed"]
    force, strict = options["force"], options["strict"]
    if units < MIN_UNITS or repeat < 1:
        raise CommandError(f"--units must be at least {MIN_UNITS} and --repeat at least 1.")
    existing = Unit.objects.count()
    if existing < units:
        try:
            generated = synthetic_tree_generate(actor=None, units=units, seed=seed, force=force)
        except Refused:
            raise CommandError(
                f"The database holds {existing:,} units, fewer than --units {units:,}. The benchmark would add "
                "a synthetic tree beside them: re-run with --force to allow it, or use an empty database."
            ) from None
        command.stdout.write(
            f"Generated {generated.shape.total:,} units in {generated.seconds:.1f} s "
            f"({generated.shape.total / generated.seconds:,.0f} units/s)."
        )
    if not Unit.objects.filter(depth=1, type__code="provincial_federation").exists():
        raise CommandError("The tree has no province-level unit to sample; run `unionhall generate` first.")

    # Query logging (DEBUG in development settings) would slow both sides; production runs without it.
    with override_settings(DEBUG=False):
        reads = benchmarks.bench_reads(repeat=repeat, seed=seed)
        transfer = benchmarks.bench_transfer(repeat=repeat, seed=seed)
        bulk = benchmarks.bench_bulk(repeat=repeat, seed=seed)
    measures = [*reads, transfer, *bulk]

    info = benchmarks.machine_info()
    command.stdout.write("")
    command.stdout.write(f"unionhall bench tree, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for key, value in info.items():
        command.stdout.write(f"  {key + ':':<10} {value}")
    command.stdout.write(
        f"  {'tree:':<10} {Unit.objects.count():,} units; {repeat} samples per read, "
        f"{len(transfer.product)} per transfer ({transfer.note}); {connection.vendor}"
    )
    command.stdout.write("")
    command.stdout.write(benchmarks.table(measures))
    for m in measures:
        if m.note and m is not transfer:
            command.stdout.write(f"  {m.name}: {m.note}")
    verdict(command, [m.name for m in measures if not m.met], strict)


def verdict(command: BaseCommand, missed: list[str], strict: bool) -> None:
    """The last line of every benchmark: the targets missed (exit 1 with --strict), or all met."""
    if missed:
        message = "Target missed: " + "; ".join(missed)
        if strict:
            raise CommandError(message, returncode=1)
        command.stdout.write(command.style.WARNING(message))
    else:
        command.stdout.write(command.style.SUCCESS("All targets met."))


TREE = Benchmark(
    name="tree",
    help="The unit tree: reads, a transfer and the 2025 bulk operations, product vs raw SQL.",
    add_arguments=_tree_arguments,
    run=_bench_tree,
)


def _units_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--units",
        type=int,
        help=f"A synthetic unit tree of exactly N units (1 / 34 / ~3,400 / ~130,000 / sections at {FULL_SCALE:,}).",
    )
    parser.add_argument("--force", action="store_true", help="Add the tree even if the database already holds units.")


def _generate_units(command: BaseCommand, options: dict[str, Any]) -> None:
    units, seed, force = options["units"], options["seed"], options["force"]
    if units < MIN_UNITS:
        raise CommandError(f"--units must be at least {MIN_UNITS}.")
    try:
        generated = synthetic_tree_generate(actor=None, units=units, seed=seed, force=force)
    except Refused as refused:
        raise CommandError(
            f"The database already holds {refused.args[0]:,} units. generate adds a separate synthetic tree "
            "under its own root; re-run with --force to add it anyway (nothing is deleted)."
        ) from None
    shape = shape_for(units)
    levels = " / ".join(f"{n:,}" for n in shape.by_depth().values())
    command.stdout.write(
        f"Generated {shape.total:,} units ({levels} by depth) under root id {generated.root_id} "
        f"in {generated.seconds:.1f} s ({shape.total / generated.seconds:,.0f} units/s)."
    )


UNITS = Generator(
    order=10, add_arguments=_units_arguments, wanted=lambda o: o.get("units") is not None, run=_generate_units
)
