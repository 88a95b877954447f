"""`visible_to`: exactly the units of the actor's current grants, re-read on every request (P1, P7)."""

import contextlib
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import grant, make_user
from unionhall.access import services
from unionhall.access.models import Role, RoleGrant
from unionhall.access.permissions import ACTIONS
from unionhall.access.scopes import actions_on, current_grants, forget_grants, grants_scope
from unionhall.access.seed import (
    ACTIVITY_OFFICER,
    ACTIVITY_VIEWER,
    EMULATION_OFFICER,
    EMULATION_VIEWER,
    REPORT_OFFICER,
    REPORT_VIEWER,
)
from unionhall.accounts.models import User
from unionhall.audit.models import AuditEntry
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import Unit, UnitType

ALL = {"VN", "DN", "DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002", "KH"}
TODAY = dt.date(2025, 1, 15)


def fresh(user: User) -> User:
    """The user object of a new request: nothing cached from before."""
    return User.objects.get(pk=user.pk)


def visible(user: User, action: str = "unit.view") -> set[str]:
    return set(Unit.objects.visible_to(fresh(user), action).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("admin", ALL),
        ("parent", {"DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}),
        ("officer", {"DN-TB-001", "DN-TB-001-S1"}),
        ("sibling", {"DN-TB-002"}),
        ("outsider", {"KH"}),
    ],
)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_cast_member_sees_exactly_their_subtree(cast, member, expected, action):
    # Every cast member holds unit_admin, which allows every action.
    assert visible(getattr(cast, member), action) == expected


def test_a_role_allows_only_its_actions(cast):
    viewer = make_user("viewer")
    grant(viewer, cast.commune, role="viewer")
    assert visible(viewer, "unit.view") == {"DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}
    assert visible(viewer, "unit.change") == set()
    assert visible(viewer, "unit.lifecycle") == set()
    assert visible(viewer, "no.such.action") == set()


def test_a_unit_scope_grant_sees_only_that_unit(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.commune, role="viewer", scope="unit")
    assert visible(clerk) == {"DN-TB"}
    grant(clerk, cast.other_province, role="officer", scope="subtree")
    assert visible(clerk) == {"DN-TB", "KH"}
    assert visible(clerk, "unit.change") == {"KH"}


def test_grants_add_up(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.section, role="viewer")
    grant(clerk, cast.sibling_unit, role="viewer", scope="unit")
    grant(clerk, cast.unit, role="officer", scope="unit")
    assert visible(clerk) == {"DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}
    assert visible(clerk, "unit.change") == {"DN-TB-001"}
    scope = grants_scope(fresh(clerk), "unit.view")
    assert scope.subtree_paths == frozenset({cast.section.path})
    assert scope.unit_ids == frozenset({cast.sibling_unit.pk, cast.unit.pk})
    assert actions_on(fresh(clerk), unit_id=cast.section.pk, path=cast.section.path) == {
        "unit.view",
        "member.view",
        *EMULATION_VIEWER,
        *ACTIVITY_VIEWER,
        *REPORT_VIEWER,
    }
    assert actions_on(fresh(clerk), unit_id=cast.unit.pk, path=cast.unit.path) == {
        "unit.view",
        "unit.change",
        "audit.view",
        "member.view",
        "member.change",
        "member.import",
        "member.export",
        *EMULATION_OFFICER,
        *ACTIVITY_OFFICER,
        *ACTIVITY_VIEWER,
        *REPORT_OFFICER,
    }
    assert actions_on(fresh(clerk), unit_id=cast.commune.pk, path=cast.commune.path) == frozenset()


def test_superuser_sees_everything_without_grants(cast):
    assert RoleGrant.objects.filter(user=cast.admin).count() == 0
    assert visible(cast.admin) == ALL
    assert visible(cast.admin, "anything") == ALL
    assert actions_on(fresh(cast.admin), unit_id=cast.unit.pk, path=cast.unit.path) == frozenset(ACTIONS)


def test_outsiders_and_the_anonymous_see_nothing(cast):
    nobody = make_user("nobody")
    assert visible(nobody) == set()
    assert list(Unit.objects.visible_to(AnonymousUser(), "unit.view")) == []
    assert list(Unit.objects.visible_to(None, "unit.view")) == []


def test_a_revoked_grant_is_gone_on_the_next_request(cast):
    request_one = fresh(cast.officer)
    assert set(Unit.objects.visible_to(request_one, "unit.view").values_list("code", flat=True)) == {
        "DN-TB-001",
        "DN-TB-001-S1",
    }
    officer_grant = RoleGrant.objects.get(user=cast.officer)
    services.role_revoke(actor=cast.parent, grant=officer_grant)
    assert visible(cast.officer) == set()
    assert visible(cast.officer, "unit.lifecycle") == set()
    # Within the request that read the grants, dropping the cache shows the change too.
    forget_grants(request_one)
    assert list(Unit.objects.visible_to(request_one, "unit.view")) == []


def test_a_deactivated_account_sees_nothing_on_the_next_request(cast):
    User.objects.filter(pk=cast.parent.pk).update(is_active=False)
    assert visible(cast.parent) == set()
    assert RoleGrant.objects.current().filter(user=cast.parent).count() == 0
    # Reactivation restores the grants, which were never revoked.
    User.objects.filter(pk=cast.parent.pk).update(is_active=True)
    assert visible(cast.parent) == {"DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}


def test_grants_on_ended_units_stop_applying(cast):
    unit_services.unit_dissolve(
        actor=cast.admin,
        units=[cast.unit],
        decision=unit_services.Decision(dt.date(2024, 6, 1), "Giải thể"),
        with_subtree=True,
        today=TODAY,
    )
    assert visible(cast.officer) == set()
    # The parent still sees the ended units' records in its subtree.
    assert visible(cast.parent) == {"DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}


def test_grants_are_read_once_per_user_object(cast, django_assert_num_queries):
    officer = fresh(cast.officer)
    with django_assert_num_queries(1):
        current_grants(officer)
        current_grants(officer)
        grants_scope(officer, "unit.view")
        grants_scope(officer, "unit.change")


def test_audit_entries_are_scoped_by_the_unit_they_concern(cast):
    # Every cast unit was established with one audit entry of its own.
    def entries(user):
        rows = AuditEntry.objects.visible_to(fresh(user), "audit.view").filter(action="unit.establish")
        return set(rows.values_list("after__code", flat=True))

    assert entries(cast.officer) == {"DN-TB-001", "DN-TB-001-S1"}
    assert entries(cast.sibling) == {"DN-TB-002"}
    assert entries(cast.admin) == ALL
    viewer = make_user("viewer")
    grant(viewer, cast.root, role="viewer")
    assert entries(viewer) == set()  # the viewer role does not include audit.view


# ---------------------------------------------------------------- property: visible == naive walk


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


ROLES = ["viewer", "officer", "unit_admin"]
GRANTS = st.lists(
    st.tuples(
        st.integers(0, 1),  # which user
        st.integers(0, 40),  # which unit (modulo the tree size)
        st.sampled_from(ROLES),
        st.sampled_from(["unit", "subtree"]),
        st.booleans(),  # revoked
    ),
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    parents=st.lists(st.integers(0, 40), max_size=8),
    grants=GRANTS,
    moves=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=3),
    dissolve=st.one_of(st.none(), st.integers(0, 40)),
    deactivated=st.sets(st.integers(0, 1)),
)
def test_visible_set_equals_a_naive_walk_up_the_parents(cast, parents, grants, moves, dissolve, deactivated):
    police = UnitType.objects.get(code="police_department")
    day = dt.date(2021, 1, 1)
    with rolled_back():
        # A random tree of police departments (which may nest) under the root, beside the cast's tree.
        nodes = [cast.root]
        for i, choice in enumerate(parents):
            nodes.append(
                unit_services.unit_establish(
                    actor=cast.admin,
                    parent=nodes[choice % len(nodes)],
                    unit_type=police,
                    code=f"CA-{i}",
                    names={"vi": f"Công an {i}"},
                    decision=unit_services.Decision(day, "Thành lập"),
                    today=TODAY,
                )
            )
        police_nodes = nodes[1:]
        for a, b in moves:
            if not police_nodes:
                break
            moved = Unit.objects.get(pk=police_nodes[a % len(police_nodes)].pk)
            target = Unit.objects.get(pk=nodes[b % len(nodes)].pk)
            if target.path.startswith(moved.path) or moved.parent_id == target.pk:
                continue
            unit_services.unit_transfer(
                actor=cast.admin,
                units=[moved],
                new_parent=target,
                decision=unit_services.Decision(dt.date(2022, 1, 1), "Điều chuyển"),
                today=TODAY,
            )
        if dissolve is not None and police_nodes:
            ended = Unit.objects.get(pk=police_nodes[dissolve % len(police_nodes)].pk)
            unit_services.unit_dissolve(
                actor=cast.admin,
                units=[ended],
                decision=unit_services.Decision(dt.date(2023, 1, 1), "Giải thể"),
                with_subtree=True,
                today=TODAY,
            )
        users = [make_user(f"user{i}") for i in range(2)]
        all_units = list(Unit.objects.values_list("pk", "parent_id", "status"))
        grant_targets = [u for u, _, _ in all_units]
        roles = {r.code: r for r in Role.objects.all()}
        created: dict[tuple, bool] = {}
        for user_index, unit_index, role_code, scope, revoked in grants:
            key = (user_index, grant_targets[unit_index % len(grant_targets)], role_code, scope)
            if key in created:
                continue
            created[key] = revoked
            RoleGrant.objects.create(
                user=users[user_index],
                role=roles[role_code],
                unit_id=key[1],
                scope=scope,
                revoked_at=timezone.now() if revoked else None,
            )
        User.objects.filter(pk__in=[users[i].pk for i in deactivated]).update(is_active=False)

        parent_of = {pk: parent for pk, parent, _ in all_units}
        status = {pk: unit_status for pk, _, unit_status in all_units}
        code_of = dict(Unit.objects.values_list("pk", "code"))

        def ancestors_and_self(pk):
            while pk is not None:
                yield pk
                pk = parent_of[pk]

        for user_index, user in enumerate(users):
            live = [
                (unit_id, roles[role_code].action_set(), scope)
                for (owner, unit_id, role_code, scope), revoked in created.items()
                if owner == user_index and not revoked and status[unit_id] == "active"
            ]
            for action in ("unit.view", "unit.change", "role.grant"):
                expected = set()
                if user_index not in deactivated:
                    for pk, code in code_of.items():
                        for unit_id, actions, scope in live:
                            if action not in actions:
                                continue
                            if pk == unit_id or (scope == "subtree" and unit_id in ancestors_and_self(pk)):
                                expected.add(code)
                assert visible(user, action) == expected, (user_index, action)
