"""Loading communes of an administrative map from a CSV file (`code,name,province_code`).

A load is all-or-nothing: every row is checked first, and any bad row stops the whole file with
the list of problems by line. Loading the same file again changes nothing; a changed name is
updated. One audit entry records each load that wrote something.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction

from unionhall.audit.recorder import record
from unionhall.core.text import clean_text, has_forbidden_characters

from .choices import AreaLevel
from .models import AdminArea, AdminScheme

COLUMNS = ("code", "name", "province_code")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CODE_MAX = AdminArea._meta.get_field("code").max_length or 10
NAME_MAX = AdminArea._meta.get_field("name").max_length or 200


@dataclass(frozen=True)
class CommuneRow:
    """One row of the file, with its line number for error messages."""

    line: int
    code: str
    name: str
    province_code: str


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


class BadFile(Exception):
    """The file cannot be loaded; `problems` lists each one as 'line N: ...'."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def communes_read(stream: IO[str]) -> list[CommuneRow]:
    """Parse the CSV; the header must name the three columns (any order, extra columns refused)."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise BadFile(["the file is empty"])
    header = [h.strip().lower() for h in header]
    if sorted(header) != sorted(COLUMNS):
        raise BadFile([f"line 1: the header must be {','.join(COLUMNS)} (found {','.join(header)})"])
    index = {name: header.index(name) for name in COLUMNS}
    rows, problems = [], []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            problems.append(f"line {line}: expected {len(COLUMNS)} columns, found {len(values)}")
            continue
        rows.append(CommuneRow(line, *(values[index[name]] for name in COLUMNS)))
    if problems:
        raise BadFile(problems)
    return rows


def _check_rows(rows: Iterable[CommuneRow], provinces: dict[str, AdminArea]) -> tuple[list[CommuneRow], list[str]]:
    clean: list[CommuneRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        texts = (row.code, row.name, row.province_code)
        if any(has_forbidden_characters(t) for t in texts):
            problems.append(f"line {row.line}: the text contains characters that are not allowed")
            continue
        code, name, province_code = (clean_text(t) for t in texts)
        if not CODE_RE.match(code) or len(code) > CODE_MAX:
            problems.append(
                f"line {row.line}: code {code!r} must be 1 to {CODE_MAX} letters, digits, dots, dashes or underscores"
            )
        if not name or len(name) > NAME_MAX:
            problems.append(f"line {row.line}: the name must have 1 to {NAME_MAX} characters")
        if province_code not in provinces:
            problems.append(f"line {row.line}: province {province_code!r} is not in this map")
        if code in seen:
            problems.append(f"line {row.line}: code {code!r} is already on line {seen[code]}")
        seen.setdefault(code, row.line)
        clean.append(CommuneRow(row.line, code, name, province_code))
    return clean, problems


@transaction.atomic
def communes_load(*, actor: Any, scheme_code: str, rows: Sequence[CommuneRow], source: str = "") -> LoadResult:
    """Create or rename the communes of one map; nothing is written if any row is bad."""
    scheme = AdminScheme.objects.filter(code=scheme_code).first()
    if scheme is None:
        known = ", ".join(AdminScheme.objects.order_by("code").values_list("code", flat=True))
        raise BadFile([f"unknown map {scheme_code!r} (known: {known})"])
    provinces = {a.code: a for a in AdminArea.objects.filter(scheme=scheme, level=AreaLevel.PROVINCE)}
    clean, problems = _check_rows(rows, provinces)
    existing = {a.code: a for a in AdminArea.objects.filter(scheme=scheme, code__in=[r.code for r in clean])}
    for row in clean:
        area = existing.get(row.code)
        if area is None:
            continue
        if area.level != AreaLevel.COMMUNE:
            problems.append(f"line {row.line}: code {row.code!r} is already used by the {area.level} {area.name}")
        elif row.province_code in provinces and area.parent_id != provinces[row.province_code].pk:
            problems.append(f"line {row.line}: commune {row.code!r} already belongs to another province")
    if problems:
        raise BadFile(problems)
    new, renamed = [], []
    for row in clean:
        area = existing.get(row.code)
        if area is None:
            new.append(
                AdminArea(
                    scheme=scheme,
                    code=row.code,
                    name=row.name,
                    level=AreaLevel.COMMUNE,
                    parent=provinces[row.province_code],
                )
            )
        elif area.name != row.name:
            area.name = row.name
            renamed.append(area)
    AdminArea.objects.bulk_create(new, batch_size=2000)
    AdminArea.objects.bulk_update(renamed, ["name"], batch_size=2000)
    result = LoadResult(len(new), len(renamed), len(clean) - len(new) - len(renamed))
    if new or renamed:
        record(
            actor=actor,
            action="geo.load",
            obj=scheme,
            after={"map": scheme.code, "created": result.created, "updated": result.updated, "source": source},
        )
    return result
