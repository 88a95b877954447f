"""The reports' parts of `unionhall bench` (`bench report`) and `unionhall generate` (records the reports count).

Register in ReportsConfig.ready(): `commands.register_benchmark(cli.REPORT)` and
`commands.register_generator(g)` for g in `cli.GENERATORS`.
"""

import datetime as dt
from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from unionhall.activities.models import Activity, Attendee
from unionhall.awards.models import Award
from unionhall.core.commands import Benchmark, Generator
from unionhall.democracy.models import Dialogue
from unionhall.initiatives.models import Initiative
from unionhall.members.models import Membership
from unionhall.members.synthetic import NoUnits as NoMembersUnits
from unionhall.members.synthetic import members_generate
from unionhall.orgunits.benchmarks import machine_info, table
from unionhall.orgunits.cli import verdict
from unionhall.orgunits.models import Unit
from unionhall.orgunits.synthetic import FULL_SCALE, MIN_UNITS, Refused, synthetic_tree_generate

from . import benchmarks, synthetic


@dataclass(frozen=True)
class Scale:
    units: int
    members: int
    initiatives: int
    activities: int
    attendance: int
    awards: int
    dialogues: int


NATIONAL = Scale(FULL_SCALE, 12_000_000, 1_000_000, 300_000, 5_000_000, 500_000, 400_000)
TINY = Scale(300, 3_000, 2_000, 600, 6_000, 1_500, 600)


# ---------------------------------------------------------------- unionhall generate


def _initiatives_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--initiatives", type=int, help="Initiatives in the active units, 2020–2025 (with benefit).")


def _activities_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--activities", type=int, help="Activities in the active units, 2020–2025 (5 %% shared).")
    parser.add_argument("--attendance", type=int, default=0, help="Roster rows spread over those activities.")


def _awards_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--awards", type=int, help="Awards to members and grassroots unions, with their decisions.")


def _dialogues_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--dialogues",
        type=int,
        help="An employer for every active grassroots union without one, and periodic dialogues held at them, "
        "2021–2025 (at most one a year each).",
    )


def _positive(options: dict[str, Any], name: str) -> int:
    value = options[name]
    if value < 1:
        raise CommandError(f"--{name} must be at least 1.")
    return value


def _no_units() -> CommandError:
    return CommandError("There is no active grassroots union to place records in; generate --units first.")


def _in_units(command: BaseCommand, generate: Callable[[], synthetic.Generated]) -> None:
    """Run a generator of records placed in the active units, and say what it wrote."""
    try:
        done = generate()
    except synthetic.NoUnits:
        raise _no_units() from None
    command.stdout.write(f"Generated {done.describe()} in {done.seconds:.1f} s.")


def _generate_initiatives(command: BaseCommand, options: dict[str, Any]) -> None:
    count = _positive(options, "initiatives")
    _in_units(command, lambda: synthetic.initiatives_generate(initiatives=count, seed=options["seed"]))


def _generate_activities(command: BaseCommand, options: dict[str, Any]) -> None:
    if options["attendance"] < 0:
        raise CommandError("--attendance must be at least 0.")
    count = _positive(options, "activities")
    _in_units(
        command,
        lambda: synthetic.activities_generate(activities=count, attendance=options["attendance"], seed=options["seed"]),
    )


def _generate_awards(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        done = synthetic.awards_generate(awards=_positive(options, "awards"), seed=options["seed"])
    except synthetic.NoUnits:
        raise CommandError(
            "There is no active grassroots union, or none of the union's award types, to generate awards for."
        ) from None
    command.stdout.write(f"Generated {done.describe()} in {done.seconds:.1f} s.")


def _generate_dialogues(command: BaseCommand, options: dict[str, Any]) -> None:
    count = _positive(options, "dialogues")
    _in_units(command, lambda: synthetic.dialogues_generate(dialogues=count, seed=options["seed"]))


GENERATORS = (
    Generator(
        order=30,
        add_arguments=_initiatives_arguments,
        wanted=lambda o: o.get("initiatives") is not None,
        run=_generate_initiatives,
    ),
    Generator(
        order=31,
        add_arguments=_activities_arguments,
        wanted=lambda o: o.get("activities") is not None,
        run=_generate_activities,
    ),
    Generator(
        order=32, add_arguments=_awards_arguments, wanted=lambda o: o.get("awards") is not None, run=_generate_awards
    ),
    Generator(
        order=33,
        add_arguments=_dialogues_arguments,
        wanted=lambda o: o.get("dialogues") is not None,
        run=_generate_dialogues,
    ),
)


# ---------------------------------------------------------------- unionhall bench report


def _report_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--tiny",
        action="store_true",
        help=f"A smoke-test scale ({TINY.units} units, {TINY.members:,} members, ...) instead of the national set.",
    )
    for name, default in vars(NATIONAL).items():
        parser.add_argument(
            f"--{name}", type=int, help=f"Generate up to this many when the database holds fewer (default {default:,})."
        )
    parser.add_argument("--repeat", type=int, default=10, help="Timed summaries per scope (median; default 10).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force", action="store_true", help="Add a synthetic tree even if the database already holds (fewer) units."
    )
    parser.add_argument("--strict", action="store_true", help="Exit with status 1 when a time target is missed.")
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="Measure on the roll-ups as they stand, brought up to date, instead of rebuilding them first "
        "(a re-run on the same data).",
    )


def _scale(options: dict[str, Any]) -> Scale:
    base = TINY if options["tiny"] else NATIONAL
    values: dict[str, int] = {}
    for name, default in vars(base).items():
        given = options.get(name)
        values[name] = default if given is None else given
    if values["units"] < MIN_UNITS or any(v < 0 for v in values.values()):
        raise CommandError(f"--units must be at least {MIN_UNITS} and the other sizes at least 0.")
    return Scale(**values)


def _ensure_data(command: BaseCommand, scale: Scale, *, seed: int, force: bool) -> list[str]:
    """Generate what the database holds less of than asked; returns what was generated."""
    notes = []
    existing = Unit.objects.count()
    if existing < scale.units:
        try:
            generated = synthetic_tree_generate(actor=None, units=scale.units, seed=seed, force=force)
        except Refused:
            raise CommandError(
                f"The database holds {existing:,} units, fewer than --units {scale.units:,}. The benchmark would add "
                "a synthetic tree beside them: re-run with --force to allow it, or use an empty database."
            ) from None
        notes.append(f"{generated.shape.total:,} units in {generated.seconds:.1f} s")
    steps: list[tuple[str, int, int, Any]] = [
        ("members", scale.members, Membership.objects.count(), lambda n: members_generate(members=n, seed=seed)),
        (
            "initiatives",
            scale.initiatives,
            Initiative.objects.count(),
            lambda n: synthetic.initiatives_generate(initiatives=n, seed=seed),
        ),
        (
            "activities",
            scale.activities,
            Activity.objects.count(),
            lambda n: synthetic.activities_generate(
                activities=n, attendance=max(0, scale.attendance - Attendee.objects.count()), seed=seed
            ),
        ),
        ("awards", scale.awards, Award.objects.count(), lambda n: synthetic.awards_generate(awards=n, seed=seed)),
        (
            "dialogues",
            scale.dialogues,
            Dialogue.objects.count(),
            lambda n: synthetic.dialogues_generate(dialogues=n, seed=seed),
        ),
    ]
    for name, wanted, held, generate in steps:
        if held >= wanted:
            continue
        command.stdout.write(f"Generating {wanted - held:,} {name}...")
        command.stdout.flush()
        try:
            done = generate(wanted - held)
        except (synthetic.NoUnits, NoMembersUnits):
            raise CommandError("The tree holds no active grassroots union to place records in.") from None
        notes.append(f"{name} in {done.seconds:.1f} s")
    return notes


def _bench_report(command: BaseCommand, options: dict[str, Any]) -> None:
    scale = _scale(options)
    repeat = options["repeat"]
    if repeat < 1:
        raise CommandError("--repeat must be at least 1.")
    generated = _ensure_data(command, scale, seed=options["seed"], force=options["force"])
    today = timezone.localdate()
    # Query logging (DEBUG in development settings) would slow both sides; production runs without it.
    with override_settings(DEBUG=False):
        try:
            result = benchmarks.bench_report(repeat=repeat, today=today, rebuild=not options["keep_rollups"])
        except benchmarks.NoTree:
            raise CommandError(
                "The tree has no unit under a root to report on; run `unionhall generate` first."
            ) from None
    out = command.stdout
    out.write("")
    out.write(f"unionhall bench report, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    for key, value in machine_info().items():
        out.write(f"  {key + ':':<10} {value}")
    counts = (
        f"{Unit.objects.count():,} units, {Membership.objects.count():,} memberships, "
        f"{Initiative.objects.count():,} initiatives, {Activity.objects.count():,} activities, "
        f"{Attendee.objects.count():,} attendance rows, {Award.objects.count():,} awards, "
        f"{Dialogue.objects.count():,} dialogues at {Unit.objects.filter(type__is_employer=True).count():,} employers"
    )
    out.write(f"  {'data:':<10} {counts}; {connection.vendor}")
    if generated:
        out.write(f"  {'generated:':<10} {'; '.join(generated)}")
    out.write(f"  {'period:':<10} {benchmarks.PERIOD.start} to {benchmarks.PERIOD.end}; {repeat} samples per summary")
    out.write("")
    out.write(table([s.measure for s in result.scopes]))
    lines = ["", "| Operation | Seconds | Target | Met |", "|---|---:|---:|---|"]
    if result.rebuild_seconds is None:
        lines.append("| full roll-up rebuild from the records | not run (--keep-rollups) | — | — |")
    else:
        lines.append(f"| full roll-up rebuild from the records | {result.rebuild_seconds:,.2f} | — | — |")
    for measure in result.exports:
        seconds = measure.product_median / 1000
        if measure.target_ms is None:
            lines.append(f"| {measure.name} | {seconds:,.2f} | — | — |")
        else:
            target = f"≤ {measure.target_ms / 1000:.0f} s"
            lines.append(f"| {measure.name} | {seconds:,.2f} | {target} | {'yes' if measure.met else 'NO'} |")
    for measure in (result.refresh_one, result.refresh_import, result.refresh_dialogue):
        timed = f"{measure.product_median / 1000:,.3f}" if measure.product else "not run (no employer)"
        lines.append(f"| {measure.name} | {timed} | — | — |")
    out.write("\n".join(lines))
    out.write("")
    for scope in result.scopes:
        same = "every figure equal" if not scope.differences else f"{len(scope.differences)} figures DIFFER"
        out.write(
            f"  {scope.name} {scope.unit.code}: {scope.children} direct units, {len(benchmarks.CHECKED)} indicators "
            f"each; report vs recount: {same}"
        )
        for difference in scope.differences[:20]:
            out.write(f"    {difference}")
    as_of = f"{result.as_of:%Y-%m-%d %H:%M:%S %Z}" if result.as_of else "counted from the records"
    out.write(f"  freshness: the summaries read roll-ups up to date as of {as_of}")
    if result.tree_moved:
        out.write(
            f"  note: units under {', '.join(result.tree_moved)} moved after the period; the recount uses today's tree"
        )
    out.write("  raw limit: hand-written SQL over the record tables by path ranges (performance.md V1b/V4b)")
    if not result.figures_equal:
        raise CommandError("The report and the recount differ (see above).", returncode=1)
    missed = [s.measure.name for s in result.scopes if not s.measure.met]
    missed += [m.name for m in result.exports if not m.met]
    verdict(command, missed, options["strict"])


REPORT = Benchmark(
    name="report",
    help="Summary reports of the country, a province and a grassroots union vs a raw SQL recount; exports; refresh.",
    add_arguments=_report_arguments,
    run=_bench_report,
)
