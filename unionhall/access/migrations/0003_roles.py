from django.db import migrations

from unionhall.access.seed import seed_roles


def forwards(apps, schema_editor):
    seed_roles(apps.get_model("access", "Role"))


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
