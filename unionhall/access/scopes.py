"""From an actor's current grants to the scope of one action."""

from typing import Any

from unionhall.core.scoping import Scope

from .choices import GrantScope
from .models import RoleGrant

_CACHE_ATTR = "_unionhall_grants"


def current_grants(actor: Any) -> list[tuple[frozenset[str], str, int, str]]:
    """The actor's current grants, read once per request (the user object lives one request)."""
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is None:
        rows = (
            RoleGrant.objects.current()
            .filter(user=actor, unit__status="active")
            .values_list("role__actions", "scope", "unit_id", "unit__path")
        )
        cached = [(frozenset(actions), scope, unit_id, path) for actions, scope, unit_id, path in rows]
        setattr(actor, _CACHE_ATTR, cached)
    return cached


def forget_grants(actor: Any) -> None:
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def grants_scope(actor: Any, action: str) -> Scope:
    if actor.is_superuser:
        return Scope(everything=True)
    subtree, units = set(), set()
    for actions, scope, unit_id, path in current_grants(actor):
        if action not in actions:
            continue
        if scope == GrantScope.SUBTREE:
            subtree.add(path)
        else:
            units.add(unit_id)
    return Scope(subtree_paths=frozenset(subtree), unit_ids=frozenset(units))


def actions_on(actor: Any, *, unit_id: int, path: str) -> frozenset[str]:
    """Every action the actor holds on one unit."""
    if actor.is_superuser:
        from .permissions import ACTIONS

        return frozenset(ACTIONS)
    held: set[str] = set()
    for actions, scope, grant_unit_id, grant_path in current_grants(actor):
        if grant_unit_id == unit_id or (scope == GrantScope.SUBTREE and path.startswith(grant_path)):
            held |= actions
    return frozenset(held)
