"""The demo organisation: a provincial federation with its history, partners and demo users.

Everything is written through the product's services (unit lifecycle, role grants, commune
loading), with past effective dates, so the audit log, placements and as-of views look like a
real installation's. The story, in order:

- 1929/1976: the confederation (VN) and the Đồng Nai provincial federation (DN), with the provincial
  police and Fatherland Front committee as partner bodies;
- 2015-2020: two district federations (Biên Hòa city, Trảng Bom district), two industrial-park
  unions and a defence-industry corporation union, with their grassroots unions, union sections and
  groups, and the enterprises that employ some of them;
- 2022: a grassroots union is renamed after its company; 2023: two grassroots unions merge;
- 1 July 2025: five commune/ward unions are established, the grassroots unions of both district
  federations are transferred to them, the district federations are dissolved and the addresses
  move to the 2025 administrative map;
- 2025-2026: new grassroots unions (and a professional union of ride-hailing drivers) under the
  commune unions;
- 2023-2026 (`emulation.py`): the "Lao động giỏi, Lao động sáng tạo" movement and a joint security
  movement with the police and the Fatherland Front, pledges, initiatives with their benefit and
  remuneration, award decisions (one revoked) and nominations;
- 2023-2026 (`activities.py`): a joint programme of the federation, the police and the Fatherland
  Front, models registered and recognised, sessions, trainings, conferences and visits with their
  attendance, and the workplace dialogues and employee conferences of the parks' employers.

The names of companies and of the corporation are fictional. Commune codes are demo codes (D75-..),
not official ones.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from unionhall.access.models import Role, RoleGrant
from unionhall.access.services import role_grant
from unionhall.accounts.models import User
from unionhall.demo.activities import activities_build
from unionhall.demo.emulation import emulation_build
from unionhall.demo.reports import reports_build
from unionhall.members import identity
from unionhall.members import services as members
from unionhall.members.models import Membership, Person
from unionhall.orgunits import services
from unionhall.orgunits.geography import CommuneRow, communes_load
from unionhall.orgunits.models import AdminArea, Unit, UnitType

# One shared password, printed to whoever runs the demo; it passes AUTH_PASSWORD_VALIDATORS.
DEMO_PASSWORD = "unionhall-demo-2026"  # noqa: S105
ROOT_CODE = "VN"
PROVINCE = "75"  # Đồng Nai on both maps
RESTRUCTURED = dt.date(2025, 7, 1)

# Demo codes, not the official ones: (Vietnamese name, English name)
COMMUNES = {
    "D75-01": ("Phường Trấn Biên", "Tran Bien Ward"),
    "D75-02": ("Phường Tam Hiệp", "Tam Hiep Ward"),
    "D75-03": ("Phường Long Bình", "Long Binh Ward"),
    "D75-04": ("Phường Hố Nai", "Ho Nai Ward"),
    "D75-05": ("Xã Trảng Bom", "Trang Bom Commune"),
    "D75-06": ("Xã Long Thành", "Long Thanh Commune"),
    "D75-07": ("Xã Nhơn Trạch", "Nhon Trach Commune"),
    "D75-08": ("Xã An Viễn", "An Vien Commune"),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    language: str
    role: str  # a role code, or "" for the national administrator (superuser)
    unit: str
    scope: str = "subtree"


USERS = [
    DemoUser("admin", "Nguyễn Văn An", "vi", "", ROOT_CODE),
    DemoUser("tinh.dongnai", "Phạm Thị Thu Hà", "vi", "unit_admin", "DN"),
    DemoUser("xa.tranbien", "Lê Văn Bình", "vi", "unit_admin", "DN-TB"),
    DemoUser("cdcs.songmay", "Trần Thị Mai", "vi", "officer", "DN-CS-010"),
    DemoUser("xem.dongnai", "Hoàng Minh Tuấn", "vi", "viewer", "DN"),
    DemoUser("congan.dongnai", "Vũ Quốc Hưng", "vi", "unit_admin", "DN-CA", "unit"),
    DemoUser("kcn.nhontrach", "Đỗ Thu Trang", "fa", "unit_admin", "DN-KCN-NT"),
    DemoUser("kcn.bienhoa", "Bùi Đức Anh", "ar", "officer", "DN-KCN-BH"),
]


@dataclass(frozen=True)
class Grassroots:
    """A grassroots union of one company, with its union sections and groups."""

    number: int
    company_vi: str
    company_en: str
    day: dt.date
    commune: str
    street: str
    sections: tuple[str, ...] = ()  # keys of SECTIONS; empty for the usual ones
    employer: bool = False

    @property
    def code(self) -> str:
        return f"DN-CS-{self.number:03d}"


D = dt.date
# Biên Hòa city federation, until 30 June 2025: (number, company, English, day, commune, street, old ward, to)
BIEN_HOA = [
    (
        1,
        "Công ty TNHH May mặc Trấn Biên",
        "Tran Bien Garment",
        D(2016, 4, 12),
        "D75-01",
        "Đường Phạm Văn Thuận",
        "phường Tân Tiến",
        "DN-TB",
    ),
    (
        2,
        "Công ty Cổ phần Cơ khí Đồng Nai Xanh",
        "Dong Nai Xanh Mechanical",
        D(2016, 9, 20),
        "D75-01",
        "Đường Võ Thị Sáu",
        "phường Quyết Thắng",
        "DN-TB",
    ),
    (
        3,
        "Công ty TNHH Thực phẩm Bửu Long",
        "Buu Long Foods",
        D(2017, 3, 8),
        "D75-01",
        "Đường Nguyễn Ái Quốc",
        "phường Bửu Long",
        "DN-TB",
    ),
    (
        4,
        "Công ty Cổ phần Bệnh viện Đa khoa Tân Mai",
        "Tan Mai General Hospital",
        D(2018, 5, 15),
        "D75-01",
        "Đường Đồng Khởi",
        "phường Tân Mai",
        "DN-TB",
    ),
    (
        5,
        "Công ty TNHH Bao bì Tam Hiệp",
        "Tam Hiep Packaging",
        D(2016, 6, 1),
        "D75-02",
        "Đường Phạm Văn Khoai",
        "phường Tam Hiệp",
        "DN-TH",
    ),
    (
        6,
        "Công ty TNHH Điện tử Hoàng Gia Việt Nam",
        "Hoang Gia Electronics Vietnam",
        D(2017, 10, 10),
        "D75-02",
        "Quốc lộ 1A",
        "phường Tam Hòa",
        "DN-TH",
    ),
    (
        7,
        "Công ty Cổ phần Vật liệu Xây dựng Biên Hòa Mới",
        "Bien Hoa Moi Building Materials",
        D(2018, 2, 27),
        "D75-02",
        "Đường Bùi Văn Hòa",
        "phường An Bình",
        "DN-TH",
    ),
    (
        8,
        "Công ty TNHH Logistics Long Bình",
        "Long Binh Logistics",
        D(2019, 1, 15),
        "D75-03",
        "Đường Bùi Văn Hòa",
        "phường Long Bình",
        "DN-LB",
    ),
    (
        9,
        "Công ty TNHH Giày Phúc Thịnh",
        "Phuc Thinh Footwear",
        D(2019, 8, 1),
        "D75-03",
        "Quốc lộ 51",
        "phường Long Bình Tân",
        "DN-LB",
    ),
]
# Trảng Bom district federation, until 30 June 2025
TRANG_BOM = [
    (
        10,
        "Công ty TNHH Chế biến Gỗ Sông Mây",
        "Song May Wood Processing",
        D(2016, 2, 18),
        "D75-05",
        "Khu công nghiệp Sông Mây",
        "xã Bắc Sơn",
        "DN-TBM",
    ),
    (
        11,
        "Công ty TNHH Nội thất Bàu Xéo",
        "Bau Xeo Furniture",
        D(2016, 7, 7),
        "D75-05",
        "Khu công nghiệp Bàu Xéo",
        "xã Sông Trầu",
        "DN-TBM",
    ),
    (
        12,
        "Công ty Cổ phần Thực phẩm Trảng Bom",
        "Trang Bom Foods",
        D(2017, 4, 4),
        "D75-05",
        "Quốc lộ 1A",
        "thị trấn Trảng Bom",
        "DN-TBM",
    ),
    (
        13,
        "Công ty TNHH Dệt Hưng Thịnh",
        "Hung Thinh Weaving",
        D(2018, 9, 10),
        "D75-05",
        "Đường 29 Tháng 4",
        "xã Hưng Thịnh",
        "DN-TBM",
    ),
    (
        14,
        "Công ty TNHH Cao su Kỹ thuật Trảng Bom",
        "Trang Bom Technical Rubber",
        D(2019, 3, 12),
        "D75-05",
        "Đường Trần Phú",
        "xã Đông Hòa",
        "DN-TBM",
    ),
    (
        15,
        "Công ty TNHH Nhựa An Viễn",
        "An Vien Plastics",
        D(2020, 6, 22),
        "D75-08",
        "Khu công nghiệp Giang Điền",
        "xã An Viễn",
        "DN-TBM",
    ),
]
# Industrial-park unions: (number, company, English, day)
PARK_BIEN_HOA = [
    (16, "Công ty TNHH Linh kiện Điện tử Sao Bắc Việt Nam", "Sao Bac Electronic Components Vietnam", D(2016, 1, 20)),
    (17, "Công ty TNHH Giày da Tân Phú", "Tan Phu Footwear", D(2016, 5, 9)),
    (18, "Công ty TNHH Dệt may Hòa Bình Đồng Nai", "Hoa Binh Dong Nai Textile and Garment", D(2016, 11, 2)),
    (19, "Công ty TNHH Cơ khí Chính xác Long Bình", "Long Binh Precision Engineering", D(2017, 8, 14)),
    (20, "Công ty TNHH Hóa mỹ phẩm Hương Sen", "Huong Sen Cosmetics", D(2018, 3, 19)),
    (21, "Công ty TNHH Kết cấu Thép Biên Hòa", "Bien Hoa Steel Structures", D(2018, 12, 3)),
    (22, "Công ty TNHH Bao bì Giấy Đông Á", "Dong A Paper Packaging", D(2019, 7, 29)),
    (23, "Công ty TNHH Thực phẩm Xuất khẩu Phước Lộc", "Phuoc Loc Export Foods", D(2020, 9, 8)),
]
PARK_NHON_TRACH = [
    (24, "Công ty TNHH Sợi Nhơn Trạch", "Nhon Trach Yarn", D(2016, 4, 25)),
    (25, "Công ty Cổ phần Bao bì Phước An", "Phuoc An Packaging", D(2016, 10, 17)),
    (26, "Công ty TNHH Bao bì Nhơn Trạch", "Nhon Trach Packaging", D(2017, 2, 6)),
    (27, "Công ty TNHH Hóa chất Hiệp Phước", "Hiep Phuoc Chemicals", D(2017, 9, 11)),
    (28, "Công ty TNHH Thép ống Đại Phước", "Dai Phuoc Steel Pipes", D(2018, 6, 4)),
    (29, "Công ty TNHH Thức ăn Chăn nuôi Long Tân", "Long Tan Animal Feed", D(2019, 2, 18)),
    (30, "Công ty TNHH Găng tay Y tế Vĩnh Thanh", "Vinh Thanh Medical Gloves", D(2019, 11, 25)),
    (31, "Công ty TNHH Điện máy Phú Hội", "Phu Hoi Electrical Appliances", D(2020, 8, 17)),
]
CORPORATION = "Tổng công ty Công nghiệp Quốc phòng Hưng Việt"
CORPORATION_EN = "Hung Viet Defence Industry Corporation"
DEFENCE = [
    (36, f"Cơ quan {CORPORATION}", f"{CORPORATION_EN} head office", D(2017, 6, 1)),
    (37, "Công ty TNHH MTV Cơ khí Hưng Việt", "Hung Viet Mechanical", D(2017, 7, 3)),
    (38, "Công ty TNHH MTV Đóng tàu Hưng Việt", "Hung Viet Shipbuilding", D(2017, 7, 3)),
    (39, "Công ty TNHH MTV Vật liệu nổ công nghiệp Hưng Việt", "Hung Viet Industrial Explosives", D(2018, 1, 10)),
]
# New grassroots unions under the commune unions after July 2025: (number, company, English, day, parent, commune)
AFTER_2025 = [
    (
        32,
        "Công ty TNHH Dịch vụ Hàng không Long Thành",
        "Long Thanh Aviation Services",
        D(2025, 8, 15),
        "DN-LT",
        "D75-06",
    ),
    (33, "Công ty TNHH Xây dựng An Phước", "An Phuoc Construction", D(2025, 10, 1), "DN-LT", "D75-06"),
    (
        34,
        "Công ty TNHH Chế biến Nông sản Bình Sơn",
        "Binh Son Agricultural Processing",
        D(2026, 1, 15),
        "DN-LT",
        "D75-06",
    ),
    (40, "Công ty TNHH Phần mềm Trấn Biên", "Tran Bien Software", D(2026, 2, 2), "DN-TB", "D75-01"),
]
DRIVERS = (
    35,
    "Nghiệp đoàn cơ sở Tài xế công nghệ xã Long Thành",
    "Long Thanh Ride-hailing Drivers' Union",
    D(2025, 11, 20),
)

SECTIONS = {
    "SX": ("Sản xuất", "Production", (("Ca 1", "Shift 1"), ("Ca 2", "Shift 2"))),
    "VP": ("Văn phòng", "Office", (("Hành chính – Nhân sự", "Administration and HR"),)),
    "KT": ("Kỹ thuật", "Engineering", (("Bảo trì", "Maintenance"),)),
    "IN": ("Xưởng in", "Print shop", (("In ống đồng", "Gravure printing"),)),
}


@dataclass
class DemoResult:
    """What the demo wrote (zero everywhere when it already existed)."""

    created: bool
    units: int = 0
    users: int = 0
    people: int = 0
    movements: int = 0
    registrations: int = 0
    initiatives: int = 0
    recognised: int = 0
    decisions: int = 0
    awards: int = 0
    nominations: int = 0
    programmes: int = 0
    models: int = 0
    effective: int = 0
    activities: int = 0
    participants: int = 0
    dialogues: int = 0
    conferences: int = 0
    targets: int = 0
    reported: int = 0
    submissions: int = 0
    notes: list[str] = field(default_factory=list)


class DemoRefused(Exception):
    """The database is in a state the demo cannot build on."""


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    language: str
    role: str
    unit: str


def demo_exists() -> bool:
    return Unit.objects.filter(code=ROOT_CODE).exists()


class _Builder:
    def __init__(self, admin: User, today: dt.date | None) -> None:
        self.admin = admin
        self.today = today
        self.types = {t.code: t for t in UnitType.objects.all()}
        self.units: dict[str, Unit] = {}
        self.count = 0
        self.province = AdminArea.objects.get(scheme__code="vn-2025", code=PROVINCE, level="province")
        self.old_province = AdminArea.objects.get(scheme__code="vn-2008", code=PROVINCE, level="province")
        self.communes: dict[str, AdminArea] = {}

    def decision(self, day: dt.date, reason: str, ref: str = "") -> services.Decision:
        return services.Decision(day, reason, ref)

    def details(self, commune: str | None, address: str, employer: str | None = None) -> services.UnitDetails:
        return services.UnitDetails(
            address=address,
            province=self.province,
            commune=self.communes[commune] if commune else None,
            employer=self.units[employer] if employer else None,
        )

    def establish(
        self,
        code: str,
        type_code: str,
        parent: str | None,
        vi: str,
        en: str,
        day: dt.date,
        details: services.UnitDetails | None = None,
        reason: str = "Thành lập",
        ref: str = "",
    ) -> Unit:
        unit = services.unit_establish(
            actor=self.admin,
            parent=self.units[parent] if parent else None,
            unit_type=self.types[type_code],
            code=code,
            names={"vi": vi, "en": en},
            decision=self.decision(day, reason, ref),
            details=details or services.UnitDetails(),
            today=self.today,
        )
        self.units[code] = unit
        self.count += 1
        return unit

    def fresh(self, code: str) -> Unit:
        self.units[code] = Unit.objects.select_related("type", "parent").get(code=code)
        return self.units[code]

    def sections(self, gr: Grassroots, parent_type: str) -> None:
        if parent_type == "professional_union":
            for j, (vi, en) in enumerate((("số 1", "no. 1"), ("số 2", "no. 2")), start=1):
                self.establish(
                    f"{gr.code}-T{j}", "union_group", gr.code, f"Tổ công đoàn {vi}", f"Union group {en}", gr.day
                )
            return
        keys = gr.sections or (("SX", "VP", "KT") if gr.number % 3 == 0 else ("SX", "VP"))
        for i, key in enumerate(keys, start=1):
            vi, en, groups = SECTIONS[key]
            code = f"{gr.code}-BP{i}"
            self.establish(code, "union_section", gr.code, f"Công đoàn bộ phận {vi}", f"{en} union section", gr.day)
            for j, (gvi, gen) in enumerate(groups, start=1):
                self.establish(f"{code}-T{j}", "union_group", code, f"Tổ công đoàn {gvi}", f"{gen} union group", gr.day)

    def grassroots(
        self, gr: Grassroots, parent: str, details: services.UnitDetails, type_code: str = "grassroots_union"
    ) -> Unit:
        if type_code == "professional_union":
            vi, en = gr.company_vi, gr.company_en
        else:
            vi, en = f"Công đoàn cơ sở {gr.company_vi}", f"Grassroots union of {gr.company_en}"
            if not gr.company_vi.startswith("Cơ quan"):
                en += " Co., Ltd." if "TNHH" in gr.company_vi else " JSC"
        unit = self.establish(gr.code, type_code, parent, vi, en, gr.day, details)
        self.sections(gr, type_code)
        return unit


def _commune_name(code: str) -> str:
    name = COMMUNES[code][0]
    return name[:1].lower() + name[1:]


def _address(street: str, commune: str) -> str:
    return f"{street}, {_commune_name(commune)}, tỉnh Đồng Nai"


def _build(b: _Builder) -> None:
    """The story of the module docstring, in date order (history is appended, never rewritten)."""
    est = b.establish
    est(
        ROOT_CODE,
        "confederation",
        None,
        "Tổng Liên đoàn Lao động Việt Nam",
        "Vietnam General Confederation of Labour",
        D(1929, 7, 28),
        services.UnitDetails(
            address="82 Trần Hưng Đạo, phường Cửa Nam, Thành phố Hà Nội",
            province=AdminArea.objects.get(scheme__code="vn-2025", code="01"),
        ),
    )
    est(
        "DN",
        "provincial_federation",
        ROOT_CODE,
        "Liên đoàn Lao động tỉnh Đồng Nai",
        "Dong Nai Provincial Federation of Labour",
        D(1976, 1, 1),
        b.details("D75-01", _address("Đường 30 Tháng 4", "D75-01")),
    )
    est(
        "DN-CA",
        "police_department",
        "DN",
        "Công an tỉnh Đồng Nai",
        "Dong Nai Provincial Police Department",
        D(1976, 1, 1),
        b.details("D75-01", _address("Đường Võ Thị Sáu", "D75-01")),
        reason="Đơn vị phối hợp: quy chế phối hợp giữa Công an tỉnh và Liên đoàn Lao động tỉnh",
    )
    est(
        "DN-MTTQ",
        "fatherland_front",
        "DN",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai",
        "Viet Nam Fatherland Front Committee of Dong Nai Province",
        D(1976, 1, 1),
        b.details("D75-01", _address("Đường Cách Mạng Tháng 8", "D75-01")),
        reason="Đơn vị phối hợp: chương trình phối hợp thực hiện cuộc vận động",
    )

    # 2015-2016: district federations and industrial-park unions
    old = services.UnitDetails
    est(
        "DN-BH",
        "district_federation",
        "DN",
        "Liên đoàn Lao động thành phố Biên Hòa",
        "Bien Hoa City Federation of Labour",
        D(2015, 1, 5),
        old(address="Phường Quyết Thắng, thành phố Biên Hòa, tỉnh Đồng Nai", province=b.old_province),
    )
    est(
        "DN-TBH",
        "district_federation",
        "DN",
        "Liên đoàn Lao động huyện Trảng Bom",
        "Trang Bom District Federation of Labour",
        D(2015, 3, 2),
        old(address="Thị trấn Trảng Bom, huyện Trảng Bom, tỉnh Đồng Nai", province=b.old_province),
    )
    est(
        "DN-KCN-BH",
        "industrial_park_union",
        "DN",
        "Công đoàn các Khu công nghiệp Biên Hòa",
        "Bien Hoa Industrial Parks Union",
        D(2015, 6, 1),
        b.details("D75-03", _address("Khu công nghiệp Biên Hòa 2", "D75-03")),
    )
    est(
        "DN-KCN-NT",
        "industrial_park_union",
        "DN",
        "Công đoàn các Khu công nghiệp Nhơn Trạch",
        "Nhon Trach Industrial Parks Union",
        D(2016, 3, 1),
        b.details("D75-07", _address("Khu công nghiệp Nhơn Trạch 1", "D75-07")),
    )

    for number, vi, en, day, commune, street, old_ward, _moves_to in BIEN_HOA + TRANG_BOM:
        parent = "DN-BH" if number <= 9 else "DN-TBH"
        town = "thành phố Biên Hòa" if parent == "DN-BH" else "huyện Trảng Bom"
        gr = Grassroots(number, vi, en, day, commune, street)
        b.grassroots(gr, parent, old(address=f"{street}, {old_ward}, {town}, tỉnh Đồng Nai", province=b.old_province))

    for park, rows, commune, estate in (
        ("DN-KCN-BH", PARK_BIEN_HOA, "D75-03", "Khu công nghiệp Biên Hòa 2"),
        ("DN-KCN-NT", PARK_NHON_TRACH, "D75-07", "Khu công nghiệp Nhơn Trạch 3"),
    ):
        for i, (number, vi, en, day) in enumerate(rows, start=1):
            street = f"Lô {chr(64 + i)}{number}, {estate}"
            employer = None
            if park == "DN-KCN-BH":  # the employers of these unions are in the system as partners
                employer = f"DN-E-{number:03d}"
                est(
                    employer,
                    "enterprise",
                    park,
                    vi,
                    f"{en} Co., Ltd.",
                    day,
                    b.details(commune, _address(street, commune)),
                )
            sections = ("IN",) if number == 26 else ()
            gr = Grassroots(number, vi, en, day, commune, street, sections=sections)
            b.grassroots(gr, park, b.details(commune, _address(street, commune), employer))

    est(
        "DN-HV",
        "corporation_union",
        "DN",
        f"Công đoàn {CORPORATION}",
        f"{CORPORATION_EN} Trade Union",
        D(2017, 5, 19),
        b.details("D75-04", _address("Đường Nguyễn Ái Quốc", "D75-04")),
    )
    for number, vi, en, day in DEFENCE:
        employer = f"DN-E-{number:03d}"
        street = "Khu phố 3, đường Nguyễn Ái Quốc"
        address = _address(street, "D75-04")
        est(
            employer,
            "enterprise",
            "DN-HV",
            vi.removeprefix("Cơ quan "),
            en.removesuffix(" head office"),
            day,
            b.details("D75-04", address),
        )
        b.grassroots(Grassroots(number, vi, en, day, "D75-04", street), "DN-HV", b.details("D75-04", address, employer))

    # 2022: the company behind DN-CS-017 changes its name
    services.unit_rename(
        actor=b.admin,
        unit=b.fresh("DN-CS-017"),
        names={
            "vi": "Công đoàn cơ sở Công ty TNHH Giày da Tân Phú Việt Nam",
            "en": "Grassroots union of Tan Phu Footwear Vietnam Co., Ltd.",
        },
        decision=b.decision(D(2022, 9, 15), "Doanh nghiệp đổi tên theo Giấy chứng nhận đăng ký doanh nghiệp mới"),
        today=b.today,
    )
    # 2023: two packaging companies merge, and so do their unions
    services.unit_merge(
        actor=b.admin,
        sources=[b.fresh("DN-CS-026")],
        target=b.fresh("DN-CS-025"),
        decision=b.decision(
            D(2023, 4, 1),
            "Công ty TNHH Bao bì Nhơn Trạch sáp nhập vào Công ty Cổ phần Bao bì Phước An",
            "18/QĐ-CĐKCN",
        ),
        today=b.today,
    )

    # 1 July 2025: commune unions replace the district federations
    restructuring = "Kết thúc hoạt động công đoàn cấp huyện; tổ chức công đoàn theo chính quyền địa phương hai cấp"
    for code, commune, street in (
        ("DN-TB", "D75-01", "Đường Phan Đình Phùng"),
        ("DN-TH", "D75-02", "Đường Đồng Khởi"),
        ("DN-LB", "D75-03", "Đường Bùi Văn Hòa"),
        ("DN-TBM", "D75-05", "Quốc lộ 1A"),
        ("DN-LT", "D75-06", "Đường Lê Duẩn"),
    ):
        est(
            code,
            "commune_union",
            "DN",
            f"Công đoàn {_commune_name(commune)}",
            f"{COMMUNES[commune][1]} Trade Union",
            RESTRUCTURED,
            b.details(commune, _address(street, commune)),
            reason=restructuring,
            ref="125/QĐ-LĐLĐ",
        )
    est(
        "DN-CA-TB",
        "police_department",
        "DN-CA",
        "Công an phường Trấn Biên",
        "Tran Bien Ward Police",
        RESTRUCTURED,
        b.details("D75-01", _address("Đường Phan Chu Trinh", "D75-01")),
    )
    for target in ("DN-TB", "DN-TH", "DN-LB", "DN-TBM"):
        moving = [row for row in BIEN_HOA + TRANG_BOM if row[7] == target]
        services.unit_transfer(
            actor=b.admin,
            units=[b.fresh(f"DN-CS-{row[0]:03d}") for row in moving],
            new_parent=b.fresh(target),
            decision=b.decision(RESTRUCTURED, restructuring, "125/QĐ-LĐLĐ"),
            today=b.today,
        )
    services.unit_dissolve(
        actor=b.admin,
        units=[b.fresh("DN-BH"), b.fresh("DN-TBH")],
        decision=b.decision(RESTRUCTURED, restructuring, "125/QĐ-LĐLĐ"),
        today=b.today,
    )
    for number, _vi, _en, _day, commune, street, _old_ward, _to in BIEN_HOA + TRANG_BOM:
        unit = b.fresh(f"DN-CS-{number:03d}")
        services.unit_update_details(
            actor=b.admin, unit=unit, version=unit.version, details=b.details(commune, _address(street, commune))
        )

    # 2025-2026: new unions under the commune unions
    for number, vi, en, day, parent, commune in AFTER_2025:
        street = "Khu dân cư Bình Sơn" if parent == "DN-LT" else "Đường Hà Huy Giáp"
        b.grassroots(
            Grassroots(number, vi, en, day, commune, street), parent, b.details(commune, _address(street, commune))
        )
    number, vi, en, day = DRIVERS
    b.grassroots(
        Grassroots(number, vi, en, day, "D75-06", "Đường Lê Duẩn"),
        "DN-LT",
        b.details("D75-06", _address("Đường Lê Duẩn", "D75-06")),
        type_code="professional_union",
    )


# ---------------------------------------------------------------- members

SURNAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
MIDDLE = {
    "male": ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Công"),
    "female": ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ"),
}
GIVEN = {
    "male": (
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang", "Sơn",
        "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh",
    ),
    "female": (
        "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai", "Nga", "Ngân",
        "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến",
    ),
}  # fmt: skip
# CCCD province codes of birth registration: mostly Đồng Nai, then the provinces its workers come from.
BIRTH_PROVINCES = ("075", "075", "075", "075", "038", "040", "036", "079", "052", "089")
# Foreign workers of the electronics and footwear companies: (unit, name, gender, born, nationality, passport)
FOREIGN = [
    ("DN-CS-016", "Kim Min-jun", "male", D(1985, 3, 14), "KR", "M48213975"),
    ("DN-CS-016", "Park Ji-yeon", "female", D(1990, 11, 2), "KR", "M73120468"),
    ("DN-CS-006", "Chen Wei", "male", D(1982, 7, 21), "CN", "E59318204"),
    ("DN-CS-017", "Lin Mei-ling", "female", D(1988, 1, 30), "TW", "351204876"),
    ("DN-CS-006", "Tanaka Hiroshi", "male", D(1979, 9, 9), "JP", "TK2048193"),
]
# A member the guides and the browser tests look up: Sông Mây's union, typed without diacritics.
KNOWN_MEMBER = ("DN-CS-010", "Nguyễn Văn Đệ", "male", D(1990, 5, 17))
SINCE = D(2016, 1, 1)
LAST_JOIN = D(2025, 6, 30)


class _People:
    """Union members of every grassroots union, written through the member services."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
        self.today = b.today or timezone.localdate()
        self.serial = 0
        self.cards = 0

    def cccd(self, gender: str, born: dt.date) -> str:
        self.serial += 1
        digit = identity.century_gender_digit(born.year, gender)
        tail = f"{(self.serial * 7919 + 104729) % 1_000_000:06d}"
        return f"{self.rng.choice(BIRTH_PROVINCES)}{digit}{born.year % 100:02d}{tail}"

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.today)
        return start if end <= start else start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def register(
        self,
        unit: Unit,
        name: str,
        gender: str,
        born: dt.date,
        joined: dt.date,
        employer: Unit | None,
        **identity_: str,
    ) -> Person:
        details = members.PersonDetails(
            full_name=name,
            gender=gender,
            date_of_birth=born,
            phone=f"09{self.rng.randrange(10**8):08d}",
            employer=employer,
            job_title=self.rng.choice(("Công nhân", "Công nhân", "Công nhân", "Kỹ thuật viên", "Nhân viên")),
            **identity_,  # type: ignore[arg-type]
        )
        return members.person_create(actor=self.b.admin, unit=unit, join_date=joined, details=details, today=self.today)

    def vietnamese(self, unit: Unit, joined_from: dt.date, employer: Unit | None) -> Person:
        gender = self.rng.choice(("male", "female"))
        name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE[gender])} {self.rng.choice(GIVEN[gender])}"
        born = D(self.rng.randrange(1968, 2004), self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        joined = self.day_between(max(joined_from, born.replace(year=born.year + 18)), LAST_JOIN)
        number = self.cccd(gender, born)
        return self.register(unit, name, gender, born, joined, employer, id_kind="cccd", national_id=number)

    def card(self, person: Person, membership: Membership) -> None:
        self.cards += 1
        issued = self.day_between(
            membership.join_date + dt.timedelta(days=30), membership.join_date + dt.timedelta(days=90)
        )
        members.card_issue(
            actor=self.b.admin, person=person, card_number=f"DN{self.cards:07d}", issue_date=issued, today=self.today
        )


def _members(b: _Builder) -> int:
    """A few hundred members over the grassroots unions: officers, cards, some who left or moved."""
    people = _People(b)
    today = people.today
    unions = list(
        Unit.objects.filter(type__code__in=("grassroots_union", "professional_union"), status="active")
        .select_related("employer")
        .order_by("code")
    )
    sections: dict[int, list[Unit]] = {}
    for section in Unit.objects.filter(type__code="union_section", status="active").select_related("employer"):
        sections.setdefault(section.parent_id or 0, []).append(section)
    created: list[tuple[Person, Membership]] = []
    for i, union in enumerate(unions):
        joined_from = max(union.established_date, SINCE)
        places = [union, *sorted(sections.get(union.pk, []), key=lambda u: u.code)]
        for n in range(7 + i % 5):
            where = union if n < 2 else places[n % len(places)]
            person = people.vietnamese(where, joined_from, union.employer)
            membership = person.memberships.get()
            if n < 2:
                position = "chair" if n == 0 else "vice_chair"
                start = people.day_between(membership.join_date, membership.join_date + dt.timedelta(days=365))
                members.officer_appoint(
                    actor=b.admin, membership=membership, position=position, term_start=start, today=today
                )
            people.card(person, membership)
            if n >= 2:  # officers stay
                created.append((person, membership))
    code, name, gender, born = KNOWN_MEMBER
    unit = b.fresh(code)
    number = people.cccd(gender, born)
    known = people.register(unit, name, gender, born, D(2018, 3, 1), unit.employer, id_kind="cccd", national_id=number)
    people.card(known, known.memberships.get())
    for code, name, gender, born, nationality, passport in FOREIGN:
        unit = Unit.objects.select_related("employer").get(code=code)
        joined = people.day_between(max(unit.established_date, SINCE), LAST_JOIN)
        people.register(
            unit,
            name,
            gender,
            born,
            joined,
            unit.employer,
            id_kind="passport",
            national_id=passport,
            nationality=nationality,
        )
    _history(b, people, created, unions)
    return Person.objects.count()


def _history(b: _Builder, people: _People, created: list[tuple[Person, Membership]], unions: list[Unit]) -> None:
    """Every 13th member left the job, every 17th moved to another union; a few cards were lost."""
    today = people.today
    older = [u for u in unions if u.established_date < D(2021, 1, 1)]
    for k, (person, membership) in enumerate(created):
        start = max(membership.join_date, D(2024, 1, 1))
        if k % 13 == 3:
            day = people.day_between(start, D(2025, 10, 31))
            members.membership_end(actor=b.admin, membership=membership, reason="left_job", day=day, today=today)
            card = person.cards.get(status="active")
            members.card_status_change(actor=b.admin, card=card, status="revoked")
        elif k % 17 == 4:
            target = older[(k * 7) % len(older)]
            if target.pk in (membership.unit_id, membership.unit.parent_id):
                continue
            day = people.day_between(max(start, target.established_date), D(2025, 10, 31))
            members.membership_transfer(actor=b.admin, membership=membership, new_unit=target, day=day, today=today)
        elif k % 29 == 7:
            members.card_status_change(actor=b.admin, card=person.cards.get(status="active"), status="lost")


def _user(spec: DemoUser, result: DemoResult) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        result.notes.append(f"user {spec.username} already existed and was left as it was")
        return user
    user = User(
        username=spec.username,
        full_name=spec.full_name,
        language=spec.language,
        # The Persian-speaking demo user reads dates in the Jalali calendar.
        calendar="jalali" if spec.language == "fa" else "gregorian",
        is_superuser=not spec.role,
        is_staff=not spec.role,
    )
    validate_password(DEMO_PASSWORD, user)
    user.set_password(DEMO_PASSWORD)
    user.save()
    result.users += 1
    return user


@transaction.atomic
def demo_build(*, today: dt.date | None = None) -> DemoResult:
    """Build the demo organisation once; if it is there already, change nothing."""
    if demo_exists():
        return DemoResult(created=False)
    result = DemoResult(created=True)
    admin = _user(USERS[0], result)
    if not admin.is_superuser:
        raise DemoRefused("User 'admin' exists but is not a superuser; the demo builds everything as 'admin'.")
    communes_load(
        actor=admin,
        scheme_code="vn-2025",
        rows=[CommuneRow(i, code, vi, PROVINCE) for i, (code, (vi, _en)) in enumerate(COMMUNES.items(), start=2)],
        source="demo",
    )
    builder = _Builder(admin, today)
    builder.communes = {a.code: a for a in AdminArea.objects.filter(scheme__code="vn-2025", code__in=COMMUNES)}
    _build(builder)
    result.units = builder.count
    result.people = _members(builder)
    emulation = emulation_build(admin=admin, today=today, known_member=KNOWN_MEMBER[:2])
    for name in ("movements", "registrations", "initiatives", "recognised", "decisions", "awards", "nominations"):
        setattr(result, name, getattr(emulation, name))
    done = activities_build(admin=admin, today=today)
    for name in ("programmes", "models", "effective", "activities", "participants", "dialogues", "conferences"):
        setattr(result, name, getattr(done, name))
    roles = {r.code: r for r in Role.objects.all()}
    for spec in USERS[1:]:
        user = _user(spec, result)
        unit = Unit.objects.get(code=spec.unit)
        held = RoleGrant.objects.current().filter(user=user, role=roles[spec.role], unit=unit, scope=spec.scope)
        if not held.exists():
            role_grant(actor=admin, user=user, role=roles[spec.role], unit=unit, scope=spec.scope)
    reported = reports_build(admin=admin)
    result.targets, result.reported, result.submissions = reported.targets, reported.reported, reported.submissions
    return result


def demo_logins() -> list[Login]:
    """The demo users as they are now: their current roles, and whether the demo password still works."""
    logins = []
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in USERS])}
    for spec in USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(changed)"
        if user.is_superuser:
            logins.append(Login(user.username, password, user.language, "national administrator", "everything"))
            continue
        grants = RoleGrant.objects.current().filter(user=user).select_related("role", "unit").order_by("pk")
        if not grants:
            logins.append(Login(user.username, password, user.language, "(no role)", ""))
        for g in grants:
            where = f"{g.unit.code} {g.unit.name_vi}" + (" (this unit only)" if g.scope == "unit" else "")
            logins.append(Login(user.username, password, user.language, g.role.code, where))
    return logins


def login_table(logins: list[Login]) -> str:
    header = Login("username", "password", "lang", "role", "unit")
    rows = [header, *logins]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("username", "password", "language", "role")]
    lines = []
    for r in rows:
        cells = [
            getattr(r, f).ljust(w) for f, w in zip(("username", "password", "language", "role"), widths, strict=True)
        ]
        lines.append("  ".join([*cells, r.unit]))
    lines.insert(1, "  ".join("-" * w for w in [*widths, len(header.unit)]))
    return "\n".join(lines)


def describe(result: DemoResult) -> list[str]:
    out: list[str] = []
    if result.created:
        out.append(
            f"Demo organisation created: {result.units} units, {result.users} users, {result.people} union members."
        )
        out.append(
            f"Emulation: {result.movements} movements, {result.registrations} pledges, {result.initiatives} "
            f"initiatives ({result.recognised} recognised), {result.decisions} award decisions with "
            f"{result.awards} awards, {result.nominations} nominations."
        )
        out.append(
            f"Activities: {result.programmes} joint programme, {result.models} models ({result.effective} recognised "
            f"as effective), {result.activities} activities with {result.participants:,} participants, "
            f"{result.dialogues} workplace dialogues, {result.conferences} employee conferences."
        )
        out.append(
            f"Reports: {result.targets} targets for 2025, {result.reported} reported figures, "
            f"{result.submissions} reports submitted to the province (one sent back)."
        )
    else:
        out.append("The demo organisation is already there; nothing was changed.")
    out.extend(f"Note: {n}" for n in result.notes)
    return out
