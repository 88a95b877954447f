"""What a joint programme achieved, computed by the apps above it (activities, models) and registered here.

Programmes cannot import the apps above them; each registers, in its AppConfig.ready(), a `Result`
whose `compute` takes programme ids and returns, per id, the lines of its section of the programme
page (e.g. "Dissemination sessions: 3,022", "Participants: 164,654"), in one or two queries for all ids,
and optionally `list_url(programme_code)`: the page listing the records counted (the programme page links to it).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Line:
    """One figure: a label in the reader's language and a whole number (VND when `money`)."""

    label: Promise | str
    value: int
    money: bool = False


@dataclass(frozen=True)
class Result:
    """One section of a programme's totals, e.g. "Activities" with a line per kind."""

    code: str
    label: Promise | str
    compute: Callable[[list[int]], dict[int, list[Line]]]
    list_url: Callable[[str], str] | None = None


_results: dict[str, Result] = {}


def register(result: Result) -> None:
    """Add a result, or replace the one registered under the same code (ready() may run twice)."""
    _results[result.code] = result


def unregister(code: str) -> None:
    _results.pop(code, None)


def results() -> list[Result]:
    """The registered results, in registration order."""
    return list(_results.values())
