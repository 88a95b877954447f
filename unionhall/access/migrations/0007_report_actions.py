"""The actions of period reports join the seeded roles; others' edits stay."""

from django.db import migrations

VIEWER = ["report.view"]
OFFICER = [*VIEWER, "report.submit"]
ADDED = {"unit_admin": [*OFFICER, "report.review"], "officer": OFFICER, "viewer": VIEWER}


def forwards(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for code, actions in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        missing = [a for a in actions if a not in role.actions]
        if missing:
            role.actions = [*role.actions, *missing]
            role.save(update_fields=["actions"])


def backwards(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for code, actions in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.actions = [a for a in role.actions if a not in actions]
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("access", "0006_activity_actions")]
    operations = [migrations.RunPython(forwards, backwards)]
