"""Fixed-width materialised paths: one 6-character base-36 segment per level, the unit's id.

A unit's path is its parent's path plus its own segment, so a subtree is a prefix range, the
ancestors can be read off the path without a query, and depth is len(path) // SEGMENT.
"""

SEGMENT = 6
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_ID = 36**SEGMENT - 1


def segment(unit_id: int) -> str:
    if not 0 < unit_id <= MAX_ID:
        raise ValueError(f"unit id {unit_id} does not fit a path segment")
    out = []
    n = unit_id
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out)).rjust(SEGMENT, "0")


def child_path(parent_path: str, unit_id: int) -> str:
    return parent_path + segment(unit_id)


def ancestor_ids(path: str, *, include_self: bool = False) -> list[int]:
    """Ids from the root down, read off the path."""
    ids = [int(path[i : i + SEGMENT], 36) for i in range(0, len(path), SEGMENT)]
    return ids if include_self else ids[:-1]


def depth(path: str) -> int:
    return len(path) // SEGMENT - 1


def is_inside(path: str, ancestor_path: str) -> bool:
    return path.startswith(ancestor_path)
