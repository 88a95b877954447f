"""Reference data every installation starts with: unit types and the administrative maps.

Applied by a data migration with the migration's historical models, and idempotent, so an
administrator's later edits to names are kept.
"""

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).parent / "data"

# code: (rank, vi, en, ar, fa, flags)
UNIT_TYPES = {
    "confederation": (
        10,
        "Tổng Liên đoàn Lao động",
        "Confederation of labour",
        "الاتحاد العام للعمال",
        "کنفدراسیون کار",
        "",
    ),
    "provincial_federation": (
        20,
        "Liên đoàn Lao động tỉnh, thành phố",
        "Provincial federation of labour",
        "اتحاد العمال في المحافظة",
        "فدراسیون کار استان",
        "",
    ),
    "industry_union": (
        21,
        "Công đoàn ngành Trung ương",
        "Central industry union",
        "النقابة القطاعية المركزية",
        "اتحادیه صنفی مرکزی",
        "",
    ),
    "corporation_union": (
        22,
        "Công đoàn tổng công ty",
        "Corporation union",
        "نقابة الشركة القابضة",
        "اتحادیه شرکت مادر",
        "",
    ),
    "district_federation": (
        30,
        "Liên đoàn Lao động quận, huyện (đến 2025)",
        "District federation of labour (until 2025)",
        "اتحاد العمال في المديرية (حتى 2025)",
        "فدراسیون کار شهرستان (تا ۲۰۲۵)",
        "",
    ),
    "commune_union": (
        31,
        "Công đoàn xã, phường, đặc khu",
        "Commune, ward or special-zone union",
        "نقابة البلدية أو الحي",
        "اتحادیه دهستان یا محله",
        "",
    ),
    "industrial_park_union": (
        32,
        "Công đoàn khu công nghiệp",
        "Industrial-park union",
        "نقابة المنطقة الصناعية",
        "اتحادیه شهرک صنعتی",
        "",
    ),
    "grassroots_union": (40, "Công đoàn cơ sở", "Grassroots union", "النقابة القاعدية", "اتحادیه پایه", "grassroots"),
    "professional_union": (
        41,
        "Nghiệp đoàn cơ sở",
        "Grassroots professional union",
        "النقابة المهنية القاعدية",
        "اتحادیه صنفی پایه",
        "grassroots",
    ),
    "member_grassroots_union": (
        42,
        "Công đoàn cơ sở thành viên",
        "Member grassroots union",
        "النقابة القاعدية العضو",
        "اتحادیه پایه عضو",
        "",
    ),
    "union_section": (50, "Công đoàn bộ phận", "Union section", "القسم النقابي", "بخش اتحادیه", ""),
    "union_group": (60, "Tổ công đoàn", "Union group", "المجموعة النقابية", "گروه اتحادیه", ""),
    "fatherland_front": (
        70,
        "Ủy ban Mặt trận Tổ quốc",
        "Fatherland Front committee",
        "لجنة جبهة الوطن",
        "کمیته جبهه میهن",
        "partner",
    ),
    "police_department": (71, "Công an", "Police department", "إدارة الشرطة", "اداره پلیس", "partner"),
    "peoples_committee": (72, "Ủy ban nhân dân", "People's committee", "اللجنة الشعبية", "کمیته مردمی", "partner"),
    "enterprise": (
        73,
        "Doanh nghiệp, đơn vị sử dụng lao động",
        "Enterprise or employer",
        "مؤسسة أو صاحب عمل",
        "بنگاه یا کارفرما",
        "partner employer",
    ),
}
PARTNERS = ["fatherland_front", "police_department", "peoples_committee", "enterprise"]
GRASSROOTS = ["grassroots_union", "professional_union"]
ALLOWED_CHILDREN = {
    "confederation": ["provincial_federation", "industry_union", "corporation_union", *PARTNERS],
    "provincial_federation": [
        "commune_union",
        "industrial_park_union",
        "district_federation",
        "corporation_union",
        *GRASSROOTS,
        *PARTNERS,
    ],
    "industry_union": ["corporation_union", *GRASSROOTS, "enterprise"],
    "corporation_union": [*GRASSROOTS, "enterprise"],
    "district_federation": [*GRASSROOTS, "enterprise"],
    "commune_union": [*GRASSROOTS, "enterprise"],
    "industrial_park_union": [*GRASSROOTS, "enterprise"],
    "grassroots_union": ["member_grassroots_union", "union_section", "union_group"],
    "professional_union": ["union_section", "union_group"],
    "member_grassroots_union": ["union_section", "union_group"],
    "union_section": ["union_group"],
    "union_group": [],
    "fatherland_front": [],
    "police_department": ["police_department"],
    "peoples_committee": [],
    "enterprise": [],
}
SCHEMES = [
    ("vn-2008", "63 tỉnh, thành phố (1/8/2008 – 30/6/2025)", dt.date(2008, 8, 1), dt.date(2025, 7, 1)),
    ("vn-2025", "34 tỉnh, thành phố (từ 1/7/2025)", dt.date(2025, 7, 1), None),
]


def seed_unit_types(UnitType) -> None:
    for code, (rank, vi, en, ar, fa, flags) in UNIT_TYPES.items():
        UnitType.objects.update_or_create(
            code=code,
            defaults={
                "rank": rank,
                "is_partner": "partner" in flags,
                "is_grassroots": "grassroots" in flags,
                "is_employer": "employer" in flags,
            },
            create_defaults={
                "rank": rank,
                "name_vi": vi,
                "name_en": en,
                "name_ar": ar,
                "name_fa": fa,
                "is_partner": "partner" in flags,
                "is_grassroots": "grassroots" in flags,
                "is_employer": "employer" in flags,
            },
        )
    types = {t.code: t for t in UnitType.objects.all()}
    for code, children in ALLOWED_CHILDREN.items():
        types[code].allowed_children.add(*[types[c] for c in children])


def seed_admin_maps(AdminScheme, AdminArea) -> None:
    for code, name, valid_from, valid_to in SCHEMES:
        scheme, _ = AdminScheme.objects.get_or_create(
            code=code, defaults={"name": name, "valid_from": valid_from, "valid_to": valid_to}
        )
        with open(DATA / f"provinces_{code}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                AdminArea.objects.get_or_create(
                    scheme=scheme, code=row["code"], defaults={"name": row["name"], "level": "province"}
                )
