"""The member actions are in the catalogue and in the seeded roles; the data migration keeps local edits."""

import importlib

from django.apps import apps

from unionhall.access.models import Role
from unionhall.access.permissions import ACTIONS

MEMBER_ACTIONS = {
    "member.view",
    "member.change",
    "member.view_national_id",
    "member.view_sensitive",
    "member.import",
    "member.export",
}
migration = importlib.import_module("unionhall.access.migrations.0004_member_actions")


def test_the_catalogue_names_every_member_action():
    assert set(ACTIONS) >= MEMBER_ACTIONS


def test_the_seeded_roles_hold_their_member_actions(db):
    held = {r.code: {a for a in r.actions if a.startswith("member.")} for r in Role.objects.all()}
    assert held["unit_admin"] == MEMBER_ACTIONS
    assert held["officer"] == {"member.view", "member.change", "member.import", "member.export"}
    assert held["viewer"] == {"member.view"}


def test_the_migration_adds_without_overwriting_other_edits(db):
    officer = Role.objects.get(code="officer")
    officer.actions = ["unit.view", "member.view", "custom.thing"]  # edited by an administrator
    officer.save()
    Role.objects.filter(code="viewer").delete()  # removed by an administrator: stays removed
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice changes nothing more
    officer.refresh_from_db()
    assert officer.actions == [
        "unit.view",
        "member.view",
        "custom.thing",
        "member.change",
        "member.import",
        "member.export",
    ]
    assert not Role.objects.filter(code="viewer").exists()
    migration.backwards(apps, None)
    officer.refresh_from_db()
    assert officer.actions == ["unit.view", "custom.thing"]
