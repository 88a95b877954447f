from django.db import migrations

from unionhall.democracy.seed import seed_rules


def forwards(apps, schema_editor):
    seed_rules(apps.get_model("democracy", "CompositionBand"), apps.get_model("democracy", "ObligationRule"))


class Migration(migrations.Migration):
    dependencies = [("democracy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
