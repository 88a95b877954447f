"""The emulation actions are in the catalogue and the seeded roles; the data migration keeps local edits."""

import importlib

from django.apps import apps

from unionhall.access.models import Role
from unionhall.access.permissions import ACTIONS

EMULATION = ("movement.", "initiative.", "award.")
VIEWER = {"movement.view", "initiative.view", "award.view"}
OFFICER = VIEWER | {"movement.change", "initiative.change", "initiative.import", "award.nominate"}
ADMIN = OFFICER | {"initiative.decide", "award.decide", "award.import"}
migration = importlib.import_module("unionhall.access.migrations.0005_emulation_actions")


def test_the_catalogue_names_every_emulation_action():
    assert {a for a in ACTIONS if a.startswith(EMULATION)} == ADMIN


def test_the_seeded_roles_hold_their_emulation_actions(db):
    held = {r.code: {a for a in r.actions if a.startswith(EMULATION)} for r in Role.objects.all()}
    assert held == {"unit_admin": ADMIN, "officer": OFFICER, "viewer": VIEWER}


def test_the_migration_adds_without_overwriting_other_edits(db):
    viewer = Role.objects.get(code="viewer")
    viewer.actions = ["unit.view", "custom.thing"]  # edited by an administrator
    viewer.save()
    Role.objects.filter(code="officer").delete()  # removed by an administrator: stays removed
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice changes nothing more
    viewer.refresh_from_db()
    assert viewer.actions == ["unit.view", "custom.thing", "movement.view", "initiative.view", "award.view"]
    assert not Role.objects.filter(code="officer").exists()
    migration.backwards(apps, None)
    viewer.refresh_from_db()
    assert viewer.actions == ["unit.view", "custom.thing"]
