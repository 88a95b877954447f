"""Granting and revoking roles (P4): only what the grantor holds, only where they hold it, never to themselves."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import grant, make_user
from unionhall.access import services
from unionhall.access.models import Role, RoleGrant
from unionhall.access.seed import ACTIVITY_OFFICER, EMULATION_OFFICER, REPORT_OFFICER
from unionhall.accounts.models import User
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, NotFound
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _vietnamese():
    """Audit labels are names in the writer's language; these tests write as a Vietnamese reader."""
    with translation.override("vi"):
        yield


def db_state() -> dict:
    return {
        "grants": list(
            RoleGrant.objects.order_by("pk").values_list("user_id", "role_id", "unit_id", "scope", "revoked_at")
        ),
        "users": list(User.objects.order_by("pk").values_list("username", "is_active", "is_superuser")),
        "roles": list(Role.objects.order_by("pk").values_list("code", "actions")),
        "audit": AuditEntry.objects.count(),
    }


def refused(error_type, service, /, **kwargs):
    before = db_state()
    with pytest.raises(error_type) as info:
        service(**kwargs)
    assert type(info.value) is error_type
    assert db_state() == before
    return info.value


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def visible(user: User, action: str = "unit.view") -> set[str]:
    return set(Unit.objects.visible_to(fresh(user), action).values_list("code", flat=True))


def role(code: str) -> Role:
    return Role.objects.get(code=code)


@pytest.fixture
def custom_roles(db):
    """Roles narrower than unit_admin that still allow granting."""
    return {
        "deputy": Role.objects.create(
            code="deputy",
            name_vi="Phó",
            actions=["unit.view", "member.view", "role.grant", *EMULATION_OFFICER, *ACTIVITY_OFFICER, *REPORT_OFFICER],
        ),
        "editor": Role.objects.create(
            code="editor", name_vi="Biên tập", actions=["unit.view", "unit.change", "role.grant"]
        ),
    }


def test_grant_writes_the_grant_and_the_audit_entry(cast):
    member = make_user("member1")
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    created = services.role_grant(
        actor=cast.officer, user=member, role=role("viewer"), unit=cast.section, scope="subtree"
    )
    created.refresh_from_db()
    assert (created.user, created.role.code, created.unit, created.scope, created.granted_by, created.revoked_at) == (
        member,
        "viewer",
        cast.section,
        "subtree",
        cast.officer,
        None,
    )
    [entry] = AuditEntry.objects.filter(id__gt=mark)
    assert (entry.action, entry.object_type, entry.object_id, entry.actor_id, entry.actor_label) == (
        "role.grant",
        "access.rolegrant",
        str(created.pk),
        cast.officer.pk,
        "officer",
    )
    assert (entry.unit_id, entry.unit_path, entry.before) == (cast.section.pk, cast.section.path, None)
    assert entry.after == {"user": "member1", "role": "viewer", "unit": "DN-TB-001-S1", "scope": "subtree"}
    assert entry.object_label == "Member1 · Người xem · DN-TB-001-S1"
    assert visible(member) == {"DN-TB-001-S1"}


def test_a_unit_admin_may_pass_on_its_whole_role(cast):
    deputy = make_user("deputy")
    services.role_grant(actor=cast.officer, user=deputy, role=role("unit_admin"), unit=cast.unit, scope="subtree")
    assert visible(deputy, "unit.lifecycle") == {"DN-TB-001", "DN-TB-001-S1"}
    # ... and the new admin may grant in turn, inside the same subtree only.
    third = make_user("third")
    services.role_grant(actor=fresh(deputy), user=third, role=role("viewer"), unit=cast.section, scope="unit")
    refused(
        NotFound,
        services.role_grant,
        actor=fresh(deputy),
        user=third,
        role=role("viewer"),
        unit=cast.commune,
        scope="unit",
    )


def test_a_grantor_cannot_grant_actions_they_do_not_hold(cast, custom_roles):
    deputy, member = make_user("deputy"), make_user("member1")
    grant(deputy, cast.commune, role="deputy")
    for bigger in ("officer", "unit_admin", "editor"):
        error = refused(
            DomainError,
            services.role_grant,
            actor=fresh(deputy),
            user=member,
            role=role(bigger),
            unit=cast.unit,
            scope="subtree",
        )
        assert error.code == "escalation"
    with translation.override("en"):
        error = refused(
            DomainError,
            services.role_grant,
            actor=fresh(deputy),
            user=member,
            role=role("officer"),
            unit=cast.unit,
            scope="unit",
        )
        assert str(error) == (
            "You can only grant roles within your own: you do not hold "
            "Read the change history, Register members and change their records, Export member lists, "
            "Import members from files, Rename units and edit their details here."
        )
    services.role_grant(actor=fresh(deputy), user=member, role=role("viewer"), unit=cast.unit, scope="subtree")
    services.role_grant(actor=fresh(deputy), user=make_user("peer"), role=role("deputy"), unit=cast.unit, scope="unit")
    assert visible(member) == {"DN-TB-001", "DN-TB-001-S1"}


def test_a_unit_scope_grantor_cannot_grant_a_subtree(cast):
    clerk, member = make_user("clerk"), make_user("member1")
    grant(clerk, cast.unit, scope="unit")
    refused(
        NotFound,
        services.role_grant,
        actor=fresh(clerk),
        user=member,
        role=role("viewer"),
        unit=cast.unit,
        scope="subtree",
    )
    refused(
        NotFound,
        services.role_grant,
        actor=fresh(clerk),
        user=member,
        role=role("viewer"),
        unit=cast.section,
        scope="unit",
    )
    services.role_grant(actor=fresh(clerk), user=member, role=role("viewer"), unit=cast.unit, scope="unit")
    assert visible(member) == {"DN-TB-001"}


@pytest.mark.parametrize("actor", ["officer", "admin", "parent"])
def test_nobody_grants_to_themselves(cast, actor):
    me = getattr(cast, actor)
    error = refused(
        DomainError, services.role_grant, actor=me, user=fresh(me), role=role("viewer"), unit=cast.section, scope="unit"
    )
    assert error.code == "self_grant"


@pytest.mark.parametrize(
    ("actor", "unit"),
    [
        ("officer", "sibling_unit"),
        ("officer", "commune"),
        ("officer", "root"),
        ("sibling", "unit"),
        ("sibling", "section"),
        ("outsider", "unit"),
        ("parent", "province"),
        ("parent", "other_province"),
    ],
)
def test_granting_outside_the_subtree_is_not_found(cast, actor, unit):
    error = refused(
        NotFound,
        services.role_grant,
        actor=getattr(cast, actor),
        user=make_user("member1"),
        role=role("viewer"),
        unit=getattr(cast, unit),
        scope="unit",
    )
    assert (error.status, error.field) == (404, "unit")


def test_an_officer_without_the_grant_action_cannot_grant(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.commune, role="officer")
    refused(
        NotFound,
        services.role_grant,
        actor=fresh(clerk),
        user=make_user("member1"),
        role=role("viewer"),
        unit=cast.unit,
        scope="unit",
    )


def test_grant_refusals_on_state(cast):
    member = make_user("member1")
    services.role_grant(actor=cast.officer, user=member, role=role("viewer"), unit=cast.unit, scope="subtree")
    error = refused(
        Conflict,
        services.role_grant,
        actor=cast.parent,
        user=member,
        role=role("viewer"),
        unit=cast.unit,
        scope="subtree",
    )
    assert error.status == 409
    # The same role with the other scope is a different grant.
    services.role_grant(actor=cast.officer, user=member, role=role("viewer"), unit=cast.unit, scope="unit")
    error = refused(
        DomainError,
        services.role_grant,
        actor=cast.officer,
        user=member,
        role=role("viewer"),
        unit=cast.unit,
        scope="everything",
    )
    assert error.field == "scope"
    gone = make_user("gone", is_active=False)
    error = refused(
        DomainError,
        services.role_grant,
        actor=cast.officer,
        user=gone,
        role=role("viewer"),
        unit=cast.unit,
        scope="unit",
    )
    assert error.field == "user"
    unit_services.unit_dissolve(
        actor=cast.admin,
        units=[cast.sibling_unit],
        decision=unit_services.Decision(dt.date(2024, 6, 1), "Giải thể"),
        today=TODAY,
    )
    error = refused(
        DomainError,
        services.role_grant,
        actor=cast.admin,
        user=member,
        role=role("viewer"),
        unit=Unit.objects.get(code="DN-TB-002"),
        scope="unit",
    )
    assert error.field == "unit"


def test_revoke(cast):
    officer_grant = RoleGrant.objects.get(user=cast.officer)
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    revoked = services.role_revoke(actor=cast.parent, grant=officer_grant)
    assert revoked.revoked_at is not None
    assert RoleGrant.objects.get(pk=officer_grant.pk).revoked_at == revoked.revoked_at
    [entry] = AuditEntry.objects.filter(id__gt=mark)
    assert (entry.action, entry.object_id, entry.actor_label, entry.after) == (
        "role.revoke",
        str(officer_grant.pk),
        "parent",
        None,
    )
    assert entry.before == {"user": "officer", "role": "unit_admin", "unit": "DN-TB-001", "scope": "subtree"}
    assert visible(cast.officer) == set()
    error = refused(DomainError, services.role_revoke, actor=cast.parent, grant=officer_grant)
    assert error.code == "revoked"
    # A revoked grant may be given again.
    again = services.role_grant(
        actor=cast.parent, user=cast.officer, role=role("unit_admin"), unit=cast.unit, scope="subtree"
    )
    assert again.pk != officer_grant.pk
    assert visible(cast.officer) == {"DN-TB-001", "DN-TB-001-S1"}


def test_revoke_refusals(cast, custom_roles):
    officer_grant = RoleGrant.objects.get(user=cast.officer)
    refused(NotFound, services.role_revoke, actor=cast.sibling, grant=officer_grant)
    refused(NotFound, services.role_revoke, actor=cast.outsider, grant=officer_grant)
    # The officer cannot drop (or change) their own role.
    error = refused(DomainError, services.role_revoke, actor=cast.officer, grant=officer_grant)
    assert error.code == "self_grant"
    # A deputy of the commune cannot take away a role bigger than its own.
    deputy = make_user("deputy")
    grant(deputy, cast.commune, role="deputy")
    error = refused(DomainError, services.role_revoke, actor=fresh(deputy), grant=officer_grant)
    assert error.code == "escalation"
    # ... nor can the unit's officer revoke the commune's grant from below.
    parent_grant = RoleGrant.objects.get(user=cast.parent)
    refused(NotFound, services.role_revoke, actor=cast.officer, grant=parent_grant)


def test_grants_on_an_ended_unit_can_still_be_revoked(cast):
    """Dissolving a unit makes its grants idle; they must still be revocable, never stuck as current."""
    unit_services.unit_dissolve(
        actor=cast.admin,
        units=[cast.unit],
        decision=unit_services.Decision(dt.date(2024, 6, 1), "Giải thể"),
        with_subtree=True,
        today=TODAY,
    )
    officer_grant = RoleGrant.objects.get(user=cast.officer)
    services.role_revoke(actor=cast.parent, grant=officer_grant)
    assert RoleGrant.objects.current().filter(user=cast.officer).count() == 0
    # Granting there stays refused.
    error = refused(
        DomainError,
        services.role_grant,
        actor=cast.parent,
        user=cast.officer,
        role=role("viewer"),
        unit=Unit.objects.get(code="DN-TB-001"),
        scope="unit",
    )
    assert error.field == "unit"


# ---------------------------------------------------------------- property (P4)


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


CAST_UNITS = ["root", "province", "commune", "unit", "section", "sibling_unit", "other_province"]
ROLE_CODES = ["unit_admin", "officer", "viewer", "deputy", "editor"]
GRANT = st.tuples(st.sampled_from(ROLE_CODES), st.sampled_from(CAST_UNITS), st.sampled_from(["unit", "subtree"]))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(grantor_grants=st.lists(GRANT, min_size=1, max_size=2, unique=True), target=GRANT, to_self=st.booleans())
def test_granted_is_always_within_the_grantor(cast, custom_roles, grantor_grants, target, to_self):
    units = {name: getattr(cast, name) for name in CAST_UNITS}
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))

    def inside(unit_id, ancestor_id):
        while unit_id is not None:
            if unit_id == ancestor_id:
                return True
            unit_id = parent_of[unit_id]
        return False

    def coverage(unit_id, scope):
        return {pk for pk in parent_of if inside(pk, unit_id)} if scope == "subtree" else {unit_id}

    with rolled_back():
        grantor = make_user("grantor")
        for role_code, unit_name, scope in grantor_grants:
            grant(grantor, units[unit_name], role=role_code, scope=scope)
        grantee = grantor if to_self else make_user("grantee")
        role_code, unit_name, scope = target
        target_role, target_unit = role(role_code), units[unit_name]

        # What the grantor holds at every unit the new grant would reach, walked naively. A subtree grant
        # also reaches units founded under it later: a virtual new leaf that only the grantor's own
        # subtree grants would cover.
        def held_at(pk, *, future_leaf=False):
            here = set()
            for g_role, g_unit, g_scope in grantor_grants:
                reaches = inside(pk, units[g_unit].pk) if g_scope == "subtree" else (pk == units[g_unit].pk)
                if reaches and not (future_leaf and g_scope == "unit"):
                    here |= role(g_role).action_set()
            return here

        reach = [held_at(pk) for pk in coverage(target_unit.pk, scope)]
        if scope == "subtree":
            reach.append(held_at(target_unit.pk, future_leaf=True))
        held_everywhere = set.intersection(*reach)
        allowed = "role.grant" in held_everywhere and target_role.action_set() <= held_everywhere and not to_self

        before = db_state()
        try:
            created = services.role_grant(
                actor=fresh(grantor), user=grantee, role=target_role, unit=target_unit, scope=scope
            )
        except DomainError as error:
            assert not allowed, (grantor_grants, target, to_self, error)
            assert db_state() == before
            if "role.grant" not in held_everywhere:
                assert type(error) is NotFound
            elif to_self:
                assert error.code == "self_grant"
            else:
                assert error.code == "escalation"
        else:
            assert allowed, (grantor_grants, target, to_self)
            # Granted => the grantee's new reach and actions are a subset of the grantor's.
            assert target_role.action_set() <= held_everywhere
            assert (created.user_id, created.role_id, created.unit_id, created.scope) == (
                grantee.pk,
                target_role.pk,
                target_unit.pk,
                scope,
            )
            for action in target_role.action_set():
                assert visible(grantee, action) <= visible(grantor, action)
            assert AuditEntry.objects.count() == before["audit"] + 1
