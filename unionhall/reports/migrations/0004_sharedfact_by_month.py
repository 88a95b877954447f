import django.db.models.deletion
from django.db import migrations, models


def rebuild_needed(apps, schema_editor):
    """Shared facts are keyed by month from now on, and employers overdue for a dialogue are rolled up: the
    roll-ups count as not built until the worker's rebuild, and reports count from the records meanwhile."""
    apps.get_model("reports", "RollupState").objects.update(rebuilt_at=None, refreshed_at=None, balance_year=None)


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0003_ended_indexes"),
        ("reports", "0003_rollup_balances"),
    ]

    # A composite primary key cannot be altered: the table is made again (it is rebuilt from the records).
    operations = [
        migrations.DeleteModel(name="SharedFact"),
        migrations.CreateModel(
            name="SharedFact",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "item",
                        "indicator",
                        "key",
                        "month",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("item", models.CharField(max_length=40)),
                ("indicator", models.CharField(max_length=60)),
                ("key", models.CharField(blank=True, max_length=80)),
                ("month", models.DateField()),
                ("value", models.BigIntegerField()),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="orgunits.unit",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["owner"], name="sharedfact_owner_idx")],
            },
        ),
        migrations.RunPython(rebuild_needed, migrations.RunPython.noop),
    ]
