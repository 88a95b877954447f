"""The scope value object and deny-by-default `visible_to` when no resolver is registered."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from unionhall.core import scoping
from unionhall.core.scoping import PATH_END, Scope, minimal_prefixes, scope_for, subtree_q
from unionhall.orgunits.models import Unit


def test_minimal_prefixes_drop_covered_paths():
    assert minimal_prefixes({"000001", "000001000002", "000003", "000003000004000005"}) == ["000001", "000003"]
    assert minimal_prefixes({"000001000002", "000001000003"}) == ["000001000002", "000001000003"]
    assert minimal_prefixes(set()) == []


def test_subtree_q_is_a_range():
    assert subtree_q("path", "00000a") == Q(path__gte="00000a", path__lt="00000a" + PATH_END)
    # The range end sorts after every path character.
    assert all(ch < PATH_END for ch in "0123456789abcdefghijklmnopqrstuvwxyz")


def test_scope_covers():
    scope = Scope(subtree_paths=frozenset({"000001000002"}), unit_ids=frozenset({7}))
    assert scope.covers(path="000001000002", unit_id=2)
    assert scope.covers(path="000001000002000009", unit_id=9)
    assert not scope.covers(path="000001", unit_id=1)
    assert not scope.covers(path="000001000003", unit_id=3)
    assert scope.covers(path="000001000007", unit_id=7)
    assert scope.covers_subtree("000001000002000009")
    assert not scope.covers_subtree("000001000007")  # a single-unit grant never covers a subtree
    assert not scope.empty
    assert Scope().empty
    assert Scope(everything=True).covers(path="zzzzzz", unit_id=1)
    assert Scope(everything=True).covers_subtree("")


def test_anonymous_and_missing_actors_get_nothing():
    assert scope_for(None, "unit.view").empty
    assert scope_for(AnonymousUser(), "unit.view").empty


@pytest.fixture
def no_resolver():
    saved = list(scoping._resolver)
    scoping._resolver.clear()
    try:
        yield
    finally:
        scoping._resolver[:] = saved


def test_without_a_resolver_nothing_is_visible(cast, no_resolver):
    assert scope_for(cast.admin, "unit.view") == Scope()
    assert list(Unit.objects.visible_to(cast.admin, "unit.view")) == []
    assert list(Unit.objects.visible_to(cast.officer, "unit.view")) == []


def test_the_registered_resolver_replaces_the_previous_one(cast, no_resolver):
    seen = []

    def only_root(actor, action):
        seen.append((actor.username, action))
        return Scope(unit_ids=frozenset({cast.root.pk}))

    scoping.register_scope_resolver(lambda actor, action: Scope(everything=True))
    scoping.register_scope_resolver(only_root)
    assert list(Unit.objects.visible_to(cast.outsider, "unit.view").values_list("code", flat=True)) == ["VN"]
    assert seen == [("outsider", "unit.view")]
    # Deactivated accounts never reach the resolver.
    cast.outsider.is_active = False
    assert list(Unit.objects.visible_to(cast.outsider, "unit.view")) == []
    assert seen == [("outsider", "unit.view")]
