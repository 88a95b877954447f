from django.db import migrations

from unionhall.awards.seed import seed_catalogue


def forwards(apps, schema_editor):
    seed_catalogue(
        apps.get_model("awards", "AwardType"),
        apps.get_model("awards", "AwardRule"),
        apps.get_model("orgunits", "UnitType"),
        apps.get_model("awards", "BaseSalary"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_catalogue_nominations_decisions"), ("orgunits", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
