"""A large synthetic unit tree for benchmarks, written in bulk with precomputed ids and paths.

The default shape follows the real confederation after July 2025: one root, 34 provincial
federations, about 3,400 commune-level unions, about 130,000 grassroots unions and a remainder of
union sections. Every level scales with the requested size. Rows are written set-wise (COPY on
PostgreSQL, `executemany` on SQLite) without instantiating a model per row, and one summary audit
entry records the generation.
"""

import csv
import datetime as dt
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from unionhall.audit.recorder import record
from unionhall.core.bulk import analyze, bulk_insert
from unionhall.core.text import fold

from . import paths
from .choices import UnitStatus
from .models import AdminArea, Unit, UnitPlacement, UnitType
from .seed import DATA

FULL_SCALE = 135_000
# Per 135,000 units: 3,400 commune-level unions and 1,565 union sections; grassroots take the rest.
COMMUNES_PER_FULL = 3_400
SECTIONS_PER_FULL = 1_565
MAX_PROVINCES = 34
MIN_UNITS = 4
ESTABLISHED = dt.date(2020, 1, 1)
CODE_PREFIX = "GEN-"
INDUSTRIAL_PARK_EVERY = 12

_PLACES = (
    "An Bình Phú Tân Long Hòa Thạnh Phước Đông Tây Nam Bắc Mỹ Hưng Thới Vĩnh Thuận Xuân Hiệp Lộc "
    "Trung Hải Sơn Thành Quang Minh Đức Lợi Thịnh Khánh Hà Giang Lâm Hồng Nghĩa Hậu Định Cát"
)
_PLACE_WORDS = tuple(_PLACES.split())
_COMPANY_KINDS = (
    "Dệt may",
    "Giày da",
    "Điện tử",
    "Cơ khí",
    "Chế biến gỗ",
    "Thực phẩm",
    "Bao bì",
    "Nhựa",
    "Vật liệu xây dựng",
    "Logistics",
    "Thủy sản",
    "Dược phẩm",
)
_COMPANY_FORMS = ("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV")
_SECTIONS = ("Sản xuất", "Văn phòng", "Kỹ thuật", "Kho vận", "Chất lượng")


@dataclass(frozen=True)
class Shape:
    """How many units each level of the synthetic tree holds."""

    provinces: int
    communes: int
    grassroots: int
    sections: int

    @property
    def total(self) -> int:
        return 1 + self.provinces + self.communes + self.grassroots + self.sections

    def by_depth(self) -> dict[int, int]:
        return {0: 1, 1: self.provinces, 2: self.communes, 3: self.grassroots, 4: self.sections}


def shape_for(units: int) -> Shape:
    """The level sizes for `units` in total: 1 / 34 / ~3,400 / ~130,000 / sections at full scale."""
    if units < MIN_UNITS:
        raise ValueError(f"a synthetic tree needs at least {MIN_UNITS} units")
    provinces = max(1, min(MAX_PROVINCES, units // 100))
    communes = max(provinces, units * COMMUNES_PER_FULL // FULL_SCALE)
    sections = units * SECTIONS_PER_FULL // FULL_SCALE
    grassroots = units - 1 - provinces - communes - sections
    return Shape(provinces, communes, grassroots, sections)


@dataclass(frozen=True)
class Generated:
    """What a generation wrote."""

    root_id: int
    shape: Shape
    seconds: float


class Refused(Exception):
    """The database already holds units and the caller did not force the generation."""


@cache
def _fold(text: str) -> str:
    return fold(text)


def _province_areas() -> list[AdminArea]:
    """The 34 provinces of the 2025 map, in the order of the reference file."""
    with open(DATA / "provinces_vn-2025.csv", encoding="utf-8") as f:
        order = [row["code"] for row in csv.DictReader(f)]
    areas = {a.code: a for a in AdminArea.objects.filter(scheme__code="vn-2025", level="province")}
    return [areas[code] for code in order if code in areas]


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


class _Rows:
    """Unit and placement rows in id order; a unit's path is its parent's path plus its segment."""

    def __init__(self, first_id: int, today: dt.date) -> None:
        self.next_id = first_id
        self.now = timezone.now()
        self.day = today
        self.units: list[tuple] = []
        self.placements: list[tuple] = []
        self.path_of: dict[int, str] = {}
        self.depth_of: dict[int, int] = {}

    def add(
        self,
        *,
        type_id: int,
        parent_id: int | None,
        name_stem: str,
        number: int | None,
        name_en: str = "",
        province_id: int | None = None,
        code: str = "",
    ) -> int:
        unit_id = self.next_id
        self.next_id += 1
        path = paths.child_path(self.path_of[parent_id] if parent_id else "", unit_id)
        depth = self.depth_of[parent_id] + 1 if parent_id else 0
        code = code or f"{CODE_PREFIX}{unit_id}"
        name_vi = name_stem if number is None else f"{name_stem} {number}"
        # fold() works token by token, so folding the shared stem once gives the same result.
        search = " ".join(filter(None, [code.lower(), _fold(name_stem), "" if number is None else str(number)]))
        if name_en:
            search += " " + _fold(name_en)
        self.path_of[unit_id], self.depth_of[unit_id] = path, depth
        self.units.append((unit_id, code, name_vi, name_en, search, type_id, parent_id, path, depth, province_id))
        self.placements.append((unit_id, parent_id, path, self.day))
        return unit_id


UNIT_COLUMNS = (
    "id",
    "code",
    "name_vi",
    "name_en",
    "search_name",
    "type_id",
    "parent_id",
    "path",
    "depth",
    "province_id",
)


def unit_columns() -> list[str]:
    return [str(f.column) for f in Unit._meta.concrete_fields]


def _unit_table_rows(rows: _Rows) -> Iterable[tuple]:
    """Full rows in the model's column order, with the defaults every unit shares."""
    fixed = {
        "name_ar": "",
        "name_fa": "",
        "status": UnitStatus.ACTIVE.value,
        "commune_id": None,
        "address": "",
        "employer_id": None,
        "established_date": rows.day,
        "ended_date": None,
        "merged_into_id": None,
        "version": 1,
        "created_at": rows.now,
        "updated_at": rows.now,
    }
    columns = unit_columns()
    positions = {name: i for i, name in enumerate(UNIT_COLUMNS)}
    for row in rows.units:
        yield tuple(row[positions[c]] if c in positions else fixed[c] for c in columns)


def _write(rows: _Rows) -> None:
    """Insert the units and their placements, then move the id sequence past them."""
    bulk_insert(Unit, unit_columns(), _unit_table_rows(rows))
    bulk_insert(UnitPlacement, ["unit_id", "parent_id", "path", "valid_from"], rows.placements)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Unit]):
            cursor.execute(sql)


def _build(shape: Shape, *, seed: int, first_id: int, day: dt.date) -> _Rows:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    types = dict(UnitType.objects.values_list("code", "pk"))
    rows = _Rows(first_id, day)
    root = rows.add(
        type_id=types["confederation"],
        parent_id=None,
        name_stem="Tổng Liên đoàn Lao động (dữ liệu tổng hợp)",
        number=seed,
        name_en="Synthetic confederation",
    )
    areas = _province_areas()
    provinces = []
    for i in range(shape.provinces):
        area = areas[i] if i < len(areas) else None
        stem = f"Liên đoàn Lao động {_lower_first(area.name)}" if area else "Liên đoàn Lao động tỉnh"
        provinces.append(
            rows.add(
                type_id=types["provincial_federation"],
                parent_id=root,
                name_stem=stem,
                number=None if area else i + 1,
                province_id=area.pk if area else None,
            )
        )
    province_area = {p: (areas[i].pk if i < len(areas) else None) for i, p in enumerate(provinces)}
    communes = []
    for i in range(shape.communes):
        parent = provinces[i % len(provinces)]
        if i % INDUSTRIAL_PARK_EVERY == INDUSTRIAL_PARK_EVERY - 1:
            type_id, stem = types["industrial_park_union"], f"Công đoàn Khu công nghiệp {rng.choice(_PLACE_WORDS)}"
        else:
            kind = "phường" if rng.random() < 0.3 else "xã"
            type_id, stem = types["commune_union"], f"Công đoàn {kind} {rng.choice(_PLACE_WORDS)}"
        communes.append(
            rows.add(
                type_id=type_id,
                parent_id=parent,
                name_stem=f"{stem} {rng.choice(_PLACE_WORDS)}",
                number=i + 1,
                province_id=province_area[parent],
            )
        )
    # Commune sizes are skewed (a few industrial-park unions hold hundreds of grassroots unions).
    ranked = communes[:]
    rng.shuffle(ranked)
    commune_province = {c: rows.units[c - first_id][9] for c in communes}
    grassroots = []
    for i in range(shape.grassroots):
        parent = ranked[int(len(ranked) * rng.random() ** 2)]
        company = f"{rng.choice(_COMPANY_FORMS)} {rng.choice(_COMPANY_KINDS)} {rng.choice(_PLACE_WORDS)}"
        grassroots.append(
            rows.add(
                type_id=types["grassroots_union"],
                parent_id=parent,
                name_stem=f"Công đoàn cơ sở {company}",
                number=i + 1,
                province_id=commune_province[parent],
            )
        )
    for _ in range(shape.sections):
        parent = rng.choice(grassroots)
        rows.add(
            type_id=types["union_section"],
            parent_id=parent,
            name_stem=f"Công đoàn bộ phận {rng.choice(_SECTIONS)}",
            number=None,
            province_id=rows.units[parent - first_id][9],
        )
    assert root == first_id
    return rows


def synthetic_tree_generate(
    *, actor: Any, units: int, seed: int = 1, force: bool = False, day: dt.date = ESTABLISHED
) -> Generated:
    """Write a synthetic tree of exactly `units` units under a new root, in one transaction.

    Refuses when the database already holds units, unless `force`: the new tree then sits beside
    them under its own root, with ids after the highest existing one.
    """
    shape = shape_for(units)
    started = time.perf_counter()
    with transaction.atomic():
        existing = Unit.objects.count()
        if existing and not force:
            raise Refused(existing)
        first_id = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        if first_id + units - 1 > paths.MAX_ID:
            raise ValueError("unit ids would no longer fit a path segment")
        rows = _build(shape, seed=seed, first_id=first_id, day=day)
        _write(rows)
        root = Unit.objects.get(pk=first_id)
        record(
            actor=actor,
            action="unit.generate",
            obj=root,
            after={
                "units": shape.total,
                "seed": seed,
                "by_depth": {str(k): v for k, v in shape.by_depth().items()},
                "ids": [first_id, first_id + shape.total - 1],
            },
            reason="Synthetic tree for benchmarks",
        )
    analyze([Unit, UnitPlacement])
    return Generated(root_id=first_id, shape=shape, seconds=time.perf_counter() - started)


# An employer's code: its union's, with this after it.
EMPLOYER_SUFFIX = "-DN"


@dataclass(frozen=True)
class Employers:
    count: int
    seconds: float


def employers_generate(*, seed: int = 1, day: dt.date = ESTABLISHED) -> Employers:
    """Give every active grassroots union without an employer one of its own, in one transaction: an enterprise
    placed beside the union (under the same parent), founded on `day`, coded as the union plus "-DN"."""
    started = time.perf_counter()
    rng = random.Random(seed * 7 + 5)  # noqa: S311 - reproducible data, not secrets
    with transaction.atomic():
        unions = list(
            Unit.objects.filter(
                type__is_grassroots=True, status=UnitStatus.ACTIVE, employer__isnull=True, parent__isnull=False
            )
            .order_by("pk")
            .values_list("code", "parent_id", "parent__path", "parent__depth", "province_id")
        )
        if not unions:
            return Employers(0, time.perf_counter() - started)
        first_id = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        if first_id + len(unions) - 1 > paths.MAX_ID:
            raise ValueError("unit ids would no longer fit a path segment")
        rows = _Rows(first_id, day)
        enterprise = UnitType.objects.get(code="enterprise").pk
        for number, (code, parent, parent_path, parent_depth, province) in enumerate(unions, start=1):
            rows.path_of[parent], rows.depth_of[parent] = parent_path, parent_depth
            company = f"{rng.choice(_COMPANY_FORMS)} {rng.choice(_COMPANY_KINDS)} {rng.choice(_PLACE_WORDS)}"
            rows.add(
                type_id=enterprise,
                parent_id=parent,
                name_stem=company,
                number=number,
                province_id=province,
                code=code + EMPLOYER_SUFFIX,
            )
        _write(rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE orgunits_unit SET employer_id = e.id FROM orgunits_unit e "
                "WHERE e.code = orgunits_unit.code || %s AND orgunits_unit.employer_id IS NULL "
                "AND orgunits_unit.id < %s AND e.id >= %s",
                [EMPLOYER_SUFFIX, first_id, first_id],
            )
        record(
            actor=None,
            action="unit.generate",
            obj=Unit.objects.get(pk=first_id),
            after={"employers": len(unions), "ids": [first_id, first_id + len(unions) - 1]},
            reason="Synthetic employers for benchmarks",
        )
    analyze([Unit, UnitPlacement])
    return Employers(len(unions), time.perf_counter() - started)
