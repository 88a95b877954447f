"""The one scoping mechanism: `Model.objects.visible_to(actor, action)`.

A scope is the set of unit subtrees (materialised-path prefixes) and single units where an actor
may perform an action. The access app computes it from role grants and registers itself here at
start-up, so that lower layers (the unit tree) can be scoped without importing access. With no
resolver registered, nothing is visible: deny by default.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from django.db import models
from django.db.models import Q

# Paths use [0-9a-z]; every path in a subtree sorts between prefix and prefix + PATH_END.
PATH_END = "~"


@dataclass(frozen=True)
class Scope:
    """Where an actor may act: everywhere, in these subtrees, or in these single units."""

    everything: bool = False
    subtree_paths: frozenset[str] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.subtree_paths or self.unit_ids)

    def as_q(self, *, path_field: str, unit_field: str) -> Q:
        """A filter on a model that carries its unit's path and id."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for prefix in minimal_prefixes(self.subtree_paths):
            q |= subtree_q(path_field, prefix)
        if self.unit_ids:
            q |= Q(**{f"{unit_field}__in": sorted(self.unit_ids)})
        return q

    def covers(self, *, path: str, unit_id: int) -> bool:
        if self.everything or unit_id in self.unit_ids:
            return True
        return any(path.startswith(prefix) for prefix in self.subtree_paths)

    def covers_subtree(self, path: str) -> bool:
        """True when the whole subtree under `path` is inside this scope."""
        return self.everything or any(path.startswith(prefix) for prefix in self.subtree_paths)


def subtree_q(path_field: str, prefix: str) -> Q:
    """Rows whose path starts with `prefix`, as a range that a plain btree index serves."""
    return Q(**{f"{path_field}__gte": prefix, f"{path_field}__lt": prefix + PATH_END})


def minimal_prefixes(paths: frozenset[str] | set[str]) -> list[str]:
    """Drop prefixes already covered by a shorter one."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return sorted(kept)


ScopeResolver = Callable[[Any, str], Scope]
_resolver: list[ScopeResolver] = []


def register_scope_resolver(resolver: ScopeResolver) -> None:
    _resolver[:] = [resolver]


def scope_for(actor: Any, action: str) -> Scope:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return Scope()
    if not _resolver:
        return Scope()
    return _resolver[0](actor, action)


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to units; subclasses name the path and unit fields."""

    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"

    def visible_to(self, actor: Any, action: str) -> Self:
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        return self.filter(scope.as_q(path_field=self.scope_path_field, unit_field=self.scope_unit_field))
