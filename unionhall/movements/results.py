"""Results of movements that upper apps compute (initiatives, awards), registered here at start-up.

Movements cannot import the apps above them; each of those registers, in its AppConfig.ready(),
a `Result` whose `compute` takes movement ids and returns a figure per id in one query. The
movement page shows every registered result.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Result:
    """One figure of a movement's results, e.g. "initiatives recognised"."""

    code: str
    label: Promise | str
    compute: Callable[[list[int]], dict[int, int]]
    money: bool = False


_results: dict[str, Result] = {}


def register(result: Result) -> None:
    """Add a result, or replace the one registered under the same code (ready() may run twice)."""
    _results[result.code] = result


def unregister(code: str) -> None:
    _results.pop(code, None)


def results() -> list[Result]:
    """The registered results, in registration order."""
    return list(_results.values())
