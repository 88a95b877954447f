from django.db import migrations

from unionhall.orgunits.seed import seed_admin_maps, seed_unit_types


def forwards(apps, schema_editor):
    seed_unit_types(apps.get_model("orgunits", "UnitType"))
    seed_admin_maps(apps.get_model("orgunits", "AdminScheme"), apps.get_model("orgunits", "AdminArea"))


class Migration(migrations.Migration):
    dependencies = [("orgunits", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
