"""`unionhall bench tree`: the unit tree's reads and transfer, each beside raw SQL, in one table."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from unionhall.orgunits import benchmarks
from unionhall.orgunits.models import Unit
from unionhall.orgunits.synthetic import FULL_SCALE, MIN_UNITS, Refused, synthetic_tree_generate


class Command(BaseCommand):
    help = (
        "Benchmarks. `bench tree`: subtree page, ancestors, is-inside, a ~1,000-unit transfer, and the 2025 bulk "
        "operations (648 units transferred, 834 dissolved) vs raw SQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        benchmarks_ = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
        tree = benchmarks_.add_parser("tree", help="The unit tree: reads and a transfer, product vs raw SQL.")
        tree.add_argument(
            "--units",
            type=int,
            default=FULL_SCALE,
            help="Generate a synthetic tree of this size first when the database holds fewer units.",
        )
        tree.add_argument("--repeat", type=int, default=50, help="Timed samples per read (transfer: at most 10).")
        tree.add_argument("--seed", type=int, default=1)
        tree.add_argument(
            "--force", action="store_true", help="Generate even if the database already holds (fewer) units."
        )
        tree.add_argument("--strict", action="store_true", help="Exit with status 1 when a target is missed.")

    def handle(self, *args, benchmark: str, **options) -> None:
        if benchmark == "tree":
            self.tree(**options)

    def tree(self, *, units: int, repeat: int, seed: int, force: bool, strict: bool, **options) -> None:
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
            self.stdout.write(
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
        self.stdout.write("")
        self.stdout.write(f"unionhall bench tree, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
        for key, value in info.items():
            self.stdout.write(f"  {key + ':':<10} {value}")
        self.stdout.write(
            f"  {'tree:':<10} {Unit.objects.count():,} units; {repeat} samples per read, "
            f"{len(transfer.product)} per transfer ({transfer.note}); {connection.vendor}"
        )
        self.stdout.write("")
        self.stdout.write(self.table(measures))
        for m in measures:
            if m.note and m is not transfer:
                self.stdout.write(f"  {m.name}: {m.note}")
        missed = [m.name for m in measures if not m.met]
        if missed:
            message = "Target missed: " + "; ".join(missed)
            if strict:
                raise CommandError(message, returncode=1)
            self.stdout.write(self.style.WARNING(message))
        else:
            self.stdout.write(self.style.SUCCESS("All targets met."))

    @staticmethod
    def table(measures: list[benchmarks.Measure]) -> str:
        header = (
            "| Operation | Product median ms | Product p95 ms | Raw SQL median ms | Raw SQL p95 ms "
            "| Ratio | Target | Met |"
        )
        lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|"]
        for m in measures:
            target = "—" if m.target_ms is None else f"≤ {m.target_ms:,.0f} ms"
            met = "—" if m.target_ms is None else ("yes" if m.met else "NO")
            lines.append(
                f"| {m.name} | {m.product_median:.2f} | {m.product_p95:.2f} | {m.raw_median:.2f} | {m.raw_p95:.2f} "
                f"| {m.ratio:.1f}× | {target} | {met} |"
            )
        return "\n".join(lines)
