"""Who sees which activity: the organisers' scopes (co-organisers included) and the programme's parties."""

import datetime as dt

import pytest

from unionhall.activities import selectors, services
from unionhall.activities.models import Activity
from unionhall.core.errors import NotFound

from .fixtures import create, fresh, programme

ROLES = ("officer", "parent", "sibling", "outsider", "admin")


def seen(actor, action=services.VIEW) -> set[str]:
    return set(Activity.objects.visible_to(fresh(actor), action).values_list("title", flat=True))


@pytest.fixture
def activities(cast, world):
    own = create(cast.officer, cast.unit, title="own")
    joint = create(cast.officer, cast.unit, title="joint", co_organisers=(world.police,))
    section = create(cast.admin, cast.section, title="section")
    sibling = create(cast.admin, cast.sibling_unit, title="sibling")
    joint_programme = programme("ca-ld", world.police, cast.other_province)
    partnered = create(
        cast.admin,
        world.police,
        title="programme",
        programme=joint_programme,
        starts_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
    )
    return {"own": own, "joint": joint, "section": section, "sibling": sibling, "programme": partnered}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", {"own", "joint", "section"}),
        ("parent", {"own", "joint", "section", "sibling"}),
        ("sibling", {"sibling"}),
        # A party of the programme sees its activities, though it organised none of them.
        ("outsider", {"programme"}),
        ("admin", {"own", "joint", "section", "sibling", "programme"}),
    ],
)
def test_the_visibility_matrix(cast, world, activities, role, expected):
    assert seen(getattr(cast, role)) == expected


def test_a_co_organiser_sees_the_joint_activity_only(cast, world, activities):
    assert seen(world.police_officer) == {"joint", "programme"}


def test_nobody_sees_without_the_permission(cast, world, activities):
    from unionhall.accounts.models import User

    nobody = User.objects.create(username="nobody", language="en")
    assert seen(nobody) == set()
    assert not Activity.objects.visible_to(None, services.VIEW).exists()


def test_activity_get_is_not_found_out_of_scope(cast, world, activities):
    own = activities["own"]
    assert selectors.activity_get(actor=fresh(cast.parent), pk=own.pk) == own
    for actor in (cast.sibling, cast.outsider):
        with pytest.raises(NotFound):
            selectors.activity_get(actor=fresh(actor), pk=own.pk)
    for bad in ("abc", -1, 2**70, None, True):
        with pytest.raises(NotFound):
            selectors.activity_get(actor=cast.admin, pk=bad)


def test_check_in_and_change_rights(cast, world, activities):
    joint = activities["joint"]
    police = fresh(world.police_officer)
    assert services.may_check_in(police, joint)
    assert not services.may_change(police, joint)
    assert services.may_change(fresh(cast.parent), joint)
    assert not services.may_check_in(fresh(cast.sibling), joint)
