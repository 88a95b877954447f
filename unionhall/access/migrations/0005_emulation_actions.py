"""The actions of movements, initiatives and awards join the seeded roles; others' edits stay."""

from django.db import migrations

ADDED = {
    "unit_admin": [
        "movement.view",
        "movement.change",
        "initiative.view",
        "initiative.change",
        "initiative.decide",
        "initiative.import",
        "award.view",
        "award.nominate",
        "award.decide",
        "award.import",
    ],
    "officer": [
        "movement.view",
        "movement.change",
        "initiative.view",
        "initiative.change",
        "initiative.import",
        "award.view",
        "award.nominate",
    ],
    "viewer": ["movement.view", "initiative.view", "award.view"],
}


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
    dependencies = [("access", "0004_member_actions")]
    operations = [migrations.RunPython(forwards, backwards)]
