"""The tree as reports see it: where a unit and its direct units stood on a day, and whether the roll-ups'
tree (today's) still holds for a subtree on that day."""

import datetime as dt

from conftest import FOUNDED
from unionhall.orgunits import services as orgunits
from unionhall.reports import tree

TODAY = dt.date(2026, 11, 26)
CHANGED = dt.date(2025, 6, 1)
BEFORE = dt.date(2024, 12, 31)
AFTER = dt.date(2025, 12, 31)


def decision() -> orgunits.Decision:
    return orgunits.Decision(CHANGED, "Sắp xếp lại")


def test_a_unit_stands_at_its_path_with_its_direct_units_in_tree_order(cast):
    standing = tree.standing_on(cast.commune, TODAY)
    assert standing.path == cast.commune.path
    assert [(c.id, c.code, c.names["vi"], c.depth) for c in standing.children] == [
        (cast.unit.pk, "DN-TB-001", "Công đoàn cơ sở Công ty Sông Mây", cast.commune.depth + 1),
        (cast.sibling_unit.pk, "DN-TB-002", "Công đoàn cơ sở Công ty Hòa Phát", cast.commune.depth + 1),
    ]


def test_a_unit_founded_later_stands_nowhere(cast):
    assert tree.standing_on(cast.commune, FOUNDED - dt.timedelta(days=1)) == tree.Standing(None, [])


def test_the_direct_units_are_those_of_the_day(cast):
    orgunits.unit_transfer(
        actor=cast.admin, units=[cast.sibling_unit], new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    assert [c.code for c in tree.standing_on(cast.commune, BEFORE).children] == ["DN-TB-001", "DN-TB-002"]
    assert [c.code for c in tree.standing_on(cast.commune, AFTER).children] == ["DN-TB-001"]
    assert [c.code for c in tree.standing_on(cast.other_province, AFTER).children] == ["DN-TB-002"]


def test_nothing_changed_since(cast):
    for unit in (cast.root, cast.province, cast.commune, cast.unit, cast.other_province):
        assert not tree.changed_since(unit, BEFORE, unit.path), unit.code


def test_a_transfer_changes_the_subtrees_it_left_and_entered_after_the_day_only(cast):
    path_then = cast.sibling_unit.path
    orgunits.unit_transfer(
        actor=cast.admin, units=[cast.sibling_unit], new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    cast.sibling_unit.refresh_from_db()
    assert tree.changed_since(cast.commune, BEFORE, cast.commune.path)  # a placement it held closed since
    assert tree.changed_since(cast.other_province, BEFORE, cast.other_province.path)  # a unit arrived since
    assert tree.changed_since(cast.sibling_unit, BEFORE, path_then)  # it moved itself
    assert not tree.changed_since(cast.unit, BEFORE, cast.unit.path)  # untouched
    for unit in (cast.commune, cast.other_province):
        assert not tree.changed_since(unit, AFTER, unit.path), unit.code  # after the change


def test_a_merge_changes_the_subtree_of_its_successor(cast):
    orgunits.unit_merge(
        actor=cast.admin, sources=[cast.sibling_unit], target=cast.unit, decision=decision(), today=TODAY
    )
    # The successor stood still: only the history it took over changes its subtree.
    assert tree.changed_since(cast.unit, BEFORE, cast.unit.path)
    assert not tree.changed_since(cast.unit, AFTER, cast.unit.path)
    assert not tree.changed_since(cast.other_province, BEFORE, cast.other_province.path)
