"""The members' actions join the seeded roles; actions added or removed by administrators stay."""

from django.db import migrations

ADDED = {
    "unit_admin": [
        "member.view",
        "member.change",
        "member.view_national_id",
        "member.view_sensitive",
        "member.import",
        "member.export",
    ],
    "officer": ["member.view", "member.change", "member.import", "member.export"],
    "viewer": ["member.view"],
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
    dependencies = [("access", "0003_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
