"""`unionhall generate --units N [--seed S] [--force]`: a large synthetic unit tree for benchmarks."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhall.orgunits.synthetic import FULL_SCALE, MIN_UNITS, Refused, shape_for, synthetic_tree_generate


class Command(BaseCommand):
    help = (
        "Write a synthetic unit tree of exactly N units (1 / 34 / ~3,400 / ~130,000 / sections at 135,000) "
        "in bulk, with one summary audit entry. Refuses a database that already holds units unless --force, "
        "which adds the tree beside them under its own root."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=FULL_SCALE, help="Units in total (default 135,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same tree.")
        parser.add_argument(
            "--force", action="store_true", help="Add the tree even if the database already holds units."
        )

    def handle(self, *args, units: int, seed: int, force: bool, **options) -> None:
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
        self.stdout.write(
            f"Generated {shape.total:,} units ({levels} by depth) under root id {generated.root_id} "
            f"in {generated.seconds:.1f} s ({shape.total / generated.seconds:,.0f} units/s)."
        )
