"""Who sees which movement, who runs it, who registers in it: the cast against three movements."""

import pytest

from conftest import grant, make_user
from unionhall.core.errors import NotFound
from unionhall.movements import services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.services import may_run
from unionhall.movements.tests.fixtures import TODAY, fresh

from .fixtures import ROLES

SEES = {
    "province_mv": {"officer": True, "parent": True, "sibling": True, "outsider": False, "admin": True},
    "unit_mv": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True},
    "joint_mv": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True},
}
RUNS = {
    "province_mv": {"officer": False, "parent": False, "sibling": False, "outsider": False, "admin": True},
    "unit_mv": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True},
    "joint_mv": {"officer": False, "parent": False, "sibling": False, "outsider": False, "admin": True},
}


@pytest.mark.parametrize("name", ["province_mv", "unit_mv", "joint_mv"])
def test_visibility_matrix(cast, world, name):
    movement = getattr(world, name)
    for role in (*ROLES, "admin"):
        actor = getattr(cast, role)
        seen = Movement.objects.visible_to(actor, "movement.view").filter(pk=movement.pk).exists()
        assert seen is SEES[name][role], role
        assert may_run(actor, movement) is RUNS[name][role], role
        runnable = Movement.objects.changeable_by(actor).filter(pk=movement.pk).exists()
        assert runnable is RUNS[name][role], role


def test_the_partner_body_sees_and_runs_its_joint_movement_only(cast, world):
    police = world.police_officer
    visible = set(Movement.objects.visible_to(police, "movement.view").values_list("code", flat=True))
    # The province's movement is launched above the police (a partner body under the province).
    assert visible == {"bao-ve-an-ninh", "ldg-ldst-dn"}
    assert may_run(police, world.joint_mv) is True
    assert may_run(police, world.province_mv) is False


def test_a_single_unit_grant_below_sees_the_movements_above_and_the_joint_one(cast, world):
    section_officer = make_user("section")
    grant(section_officer, cast.section, role="officer", scope="unit")
    visible = set(Movement.objects.visible_to(section_officer, "movement.view").values_list("code", flat=True))
    assert visible == {"ldg-ldst-dn", "xanh-sach-dep", "bao-ve-an-ninh"}
    assert Movement.objects.changeable_by(section_officer).count() == 0


def test_a_joint_movement_of_another_province_is_seen_by_the_listed_unit(cast, world):
    kh_joint = services.movement_launch(
        actor=cast.admin,
        code="kh-joint",
        launcher=cast.other_province,
        details=services.MovementDetails(
            title="Liên tịch",
            kind="campaign",
            start_date=world.province_mv.start_date,
            scope="listed",
            units=(cast.unit,),
        ),
        today=TODAY,
    )
    sees = {
        role: Movement.objects.visible_to(getattr(cast, role), "movement.view").filter(pk=kh_joint.pk).exists()
        for role in ROLES
    }
    assert sees == {"officer": True, "parent": True, "sibling": False, "outsider": True}


def test_no_grant_no_movement(cast, world):
    nobody = make_user("nobody")
    assert Movement.objects.visible_to(nobody, "movement.view").count() == 0
    assert Movement.objects.changeable_by(nobody).count() == 0
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    assert Movement.objects.visible_to(viewer, "movement.view").count() == 3
    assert Movement.objects.changeable_by(fresh(viewer)).count() == 0


def test_milestones_are_seen_with_their_movement(cast, world):
    milestone = services.milestone_add(
        actor=cast.admin, movement=world.unit_mv, kind="preliminary", due_date=TODAY, today=TODAY
    )
    seen = {
        role: Milestone.objects.visible_to(getattr(cast, role), "movement.view").filter(pk=milestone.pk).exists()
        for role in ROLES
    }
    assert seen == {"officer": True, "parent": True, "sibling": False, "outsider": False}


def test_registrations_are_seen_where_their_unit_is(cast, world):
    registration = services.registration_create(
        actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=2025, today=TODAY
    )
    seen = {
        role: Registration.objects.visible_to(getattr(cast, role), "movement.view").filter(pk=registration.pk).exists()
        for role in ROLES
    }
    assert seen == {"officer": True, "parent": True, "sibling": False, "outsider": False}


REGISTERS = {
    # (movement, unit): who may register a pledge of that unit
    ("province_mv", "unit"): {"officer": True, "parent": True, "sibling": False, "outsider": False},
    ("province_mv", "sibling_unit"): {"officer": False, "parent": True, "sibling": True, "outsider": False},
    ("unit_mv", "unit"): {"officer": True, "parent": True, "sibling": False, "outsider": False},
    ("joint_mv", "unit"): {"officer": True, "parent": True, "sibling": False, "outsider": False},
}


@pytest.mark.parametrize(("name", "unit_name"), list(REGISTERS))
def test_registration_matrix(cast, world, name, unit_name):
    movement, unit = getattr(world, name), getattr(cast, unit_name)
    for role in ROLES:
        actor = getattr(cast, role)
        try:
            registration = services.registration_create(
                actor=actor, movement=movement, unit=unit, year=2025, today=TODAY
            )
        except NotFound:
            allowed = False
        else:
            allowed = True
            services.registration_withdraw(actor=actor, registration=registration, today=TODAY)
        assert allowed is REGISTERS[(name, unit_name)][role], role


def test_who_may_register_follows_the_units_taking_part(cast, world):
    # A joint movement launched by the grassroots union that lists only the police: the union runs it,
    # only the police take part.
    movement = services.movement_launch(
        actor=cast.admin,
        code="only-police",
        launcher=cast.unit,
        details=services.MovementDetails(
            title="Chỉ công an",
            kind="campaign",
            start_date=world.province_mv.start_date,
            scope="listed",
            units=(world.police,),
        ),
        today=TODAY,
    )
    assert (may_run(cast.officer, movement), services.may_register(cast.officer, movement)) == (True, False)
    assert (may_run(world.police_officer, movement), services.may_register(world.police_officer, movement)) == (
        False,
        True,
    )
    expected = {
        "province_mv": {"officer": True, "parent": True, "sibling": True, "outsider": False, "admin": True},
        "unit_mv": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True},
        "joint_mv": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True},
    }
    for name, roles in expected.items():
        for role, allowed in roles.items():
            assert services.may_register(getattr(cast, role), getattr(world, name)) is allowed, (name, role)
