from hypothesis import given
from hypothesis import strategies as st

from unionhall.orgunits import paths


@given(st.lists(st.integers(min_value=1, max_value=paths.MAX_ID), min_size=1, max_size=8))
def test_ancestors_read_back_from_path(ids):
    path = ""
    for unit_id in ids:
        path = paths.child_path(path, unit_id)
    assert paths.ancestor_ids(path, include_self=True) == ids
    assert paths.depth(path) == len(ids) - 1


def test_segments_sort_like_ids():
    assert paths.segment(35) < paths.segment(36) < paths.segment(1295) < paths.segment(1296)
    assert paths.segment(1) == "000001"
