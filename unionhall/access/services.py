"""Granting and revoking roles: a grantor can give only what they hold, where they hold it."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.errors import Conflict, DomainError, NotFound
from unionhall.orgunits.models import Unit

from .choices import GrantScope
from .models import Role, RoleGrant
from .permissions import ACTIONS
from .scopes import current_grants, forget_grants

GRANT = "role.grant"


def actions_over(actor: Any, unit: Unit, scope: str) -> frozenset[str]:
    """Actions the actor holds over `unit` itself (scope unit) or over its whole subtree."""
    if actor.is_superuser:
        return frozenset(ACTIONS)
    held: set[str] = set()
    for actions, grant_scope, grant_unit_id, grant_path in current_grants(actor):
        covers_subtree = grant_scope == GrantScope.SUBTREE and unit.path.startswith(grant_path)
        if covers_subtree or (scope == GrantScope.UNIT and grant_unit_id == unit.pk):
            held |= actions
    return frozenset(held)


def _check_may_grant(*, actor: Any, user: Any, role: Role, unit: Unit, scope: str) -> None:
    held = actions_over(actor, unit, scope)
    if GRANT not in held:
        raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    if user.pk == actor.pk:
        raise DomainError(_("You cannot change your own roles."), code="self_grant")
    if scope not in GrantScope.values:
        raise DomainError(_("Choose a valid scope."), field="scope")
    missing = role.action_set() - held
    if missing:
        raise DomainError(
            _("You can only grant roles within your own: you do not hold %(actions)s here.")
            % {"actions": ", ".join(str(ACTIONS.get(a, a)) for a in sorted(missing))},
            code="escalation",
        )


@transaction.atomic
def role_grant(*, actor: Any, user: Any, role: Role, unit: Unit, scope: str) -> RoleGrant:
    _check_may_grant(actor=actor, user=user, role=role, unit=unit, scope=scope)
    # Only granting needs an active unit: the grants of an ended unit stay revocable.
    if not unit.is_active:
        raise DomainError(_("Roles can only be granted on active units."), field="unit")
    if not user.is_active:
        raise DomainError(_("This account is deactivated."), field="user")
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, role=role, unit=unit, scope=scope, granted_by=actor)
    except IntegrityError:
        raise Conflict(_("This user already holds this role here.")) from None
    forget_grants(user)
    record(
        actor=actor,
        action="role.grant",
        obj=grant,
        after={"user": user.username, "role": role.code, "unit": unit.code, "scope": scope},
    )
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().select_related("role", "unit", "user").get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise DomainError(_("This role was already revoked."), code="revoked")
    _check_may_grant(actor=actor, user=grant.user, role=grant.role, unit=grant.unit, scope=grant.scope)
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    forget_grants(grant.user)
    record(
        actor=actor,
        action="role.revoke",
        obj=grant,
        before={"user": grant.user.username, "role": grant.role.code, "unit": grant.unit.code, "scope": grant.scope},
    )
    return grant
