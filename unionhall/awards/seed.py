"""The commendation catalogue every installation starts with: award types, their dated rules, base salaries.

Sources and evidence levels are those of `docs` reference §3.4 and §3.5 ([S] sourced, [M] unverified,
[?] unknown). Applied by a data migration with the migration's historical models; idempotent, so an
administrator's later edits are kept (rows are matched by code, by (type, valid_from) and by date).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

LAW_2022 = dt.date(2024, 1, 1)  # Law 06/2022/QH15 and Decree 98/2023/NĐ-CP in force
DECREE_152 = dt.date(2025, 7, 1)  # Decree 152/2025/NĐ-CP restates the bonus tables
DECREE_91 = dt.date(2017, 7, 31)  # Decree 91/2017/NĐ-CP (Law 2003, amended 2013)
VGCL_1689 = dt.date(2019, 11, 12)  # Decision 1689/QĐ-TLĐ, VGCL commendation regulation
VGCL_999 = dt.date(2024, 5, 29)  # Decision 999/QĐ-TLĐ, VGCL commendation regulation
GUIDANCE_149 = dt.date(2015, 2, 4)  # Guidance 149/HD-TLĐ on the commemorative medal

DECREE_98_BONUS = "Nghị định 98/2023/NĐ-CP, Điều 54 (mức tiền thưởng)"
DECREE_152_BONUS = "Nghị định 152/2025/NĐ-CP (mức tiền thưởng, từ 1/7/2025)"

# Unit types (orgunits seed codes) that may grant.
UPPER_UNIONS = [
    "confederation",
    "provincial_federation",
    "industry_union",
    "corporation_union",
    "district_federation",
    "commune_union",
    "industrial_park_union",
]
GRASSROOTS_UNIONS = ["grassroots_union", "professional_union", "member_grassroots_union"]
PROVINCIAL = ["confederation", "provincial_federation", "industry_union"]
# Heads of agencies, units and enterprises, and chairs of commune People's Committees (state titles).
AGENCY_HEADS = [*UPPER_UNIONS, "enterprise", "peoples_committee", "police_department", "fatherland_front"]
EDUCATION_TO_COLLEGE = ["none", "primary", "lower_secondary", "upper_secondary", "vocational", "college"]
EDUCATION_UNIVERSITY = ["university", "postgraduate"]
LEADERS = ["chair", "vice_chair"]
ALL_POSITIONS = [
    "chair",
    "vice_chair",
    "standing_committee",
    "executive_committee",
    "inspection_committee",
    "union_group_leader",
    "section_head",
]


def manual(vi: str, en: str) -> dict[str, str]:
    return {"check": "manual", "label_vi": vi, "label_en": en}


def initiatives(count: int, level: str, years: int) -> dict[str, Any]:
    return {"check": "initiatives", "count": count, "level": level, "years": years}


def benefit(amount_vnd: int, years: int, single: bool) -> dict[str, Any]:
    return {"check": "benefit", "amount_vnd": amount_vnd, "years": years, "single": single}


EXCELLENT = manual("Hoàn thành xuất sắc nhiệm vụ", "Completed the assigned tasks excellently")


@dataclass(frozen=True)
class Rule:
    valid_from: dt.date
    legal_basis: str
    verified: str
    bonus_multiple: str = "0"
    collective_multiple: str | None = None
    granting: list[str] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)
    valid_to: dt.date | None = None
    quota_of: str | None = None
    quota_percent: str | None = None
    quota_per_year: int | None = None
    period_years: int = 1
    note: str = ""


@dataclass(frozen=True)
class Type:
    code: str
    recipient: str
    kind: str
    system: str
    recurrence: str
    rank: int
    names: tuple[str, str, str, str]  # vi, en, ar, fa
    rules: list[Rule]


def state_bonus_versions(basis: str, verified: str, **rule: Any) -> list[Rule]:
    """The Law 2022 rule with Decree 98/2023's bonus, and the same from 1 July 2025 with Decree 152/2025's."""
    return [
        Rule(LAW_2022, f"{basis}; {DECREE_98_BONUS}", verified, valid_to=DECREE_152, **rule),
        Rule(DECREE_152, f"{basis}; {DECREE_152_BONUS}", verified, **rule),
    ]


def union_versions(basis_1689: str, basis_999: str, verified: str, **rule: Any) -> list[Rule]:
    """The rule read in the 1689/2019 regulation, carried over to 999/2024 pending a check of its text ([?])."""
    note_999 = "Ngưỡng của 1689/QĐ-TLĐ được giữ nguyên; cần đối chiếu văn bản 999/QĐ-TLĐ/2024 [?]."
    return [
        Rule(VGCL_1689, basis_1689, verified, valid_to=VGCL_999, **rule),
        Rule(VGCL_999, basis_999, "?", **{**rule, "note": (rule.get("note", "") + " " + note_999).strip()}),
    ]


CATALOGUE: list[Type] = [
    # ------------------------------------------------------------ state emulation titles, individuals
    Type(
        "lao_dong_tien_tien",
        "individual",
        "title",
        "state",
        "annual",
        10,
        ("Lao động tiên tiến", "Advanced Worker", "العامل المتقدم", "کارگر پیشرو"),
        state_bonus_versions(
            "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 24",
            "S",
            bonus_multiple="0.3",
            granting=AGENCY_HEADS,
            criteria=[
                manual(
                    "Hoàn thành tốt nhiệm vụ được giao, đạt năng suất và chất lượng cao",
                    "Completed the assigned tasks well, with high productivity and quality",
                ),
                manual(
                    "Không nghỉ từ 40 ngày làm việc trở lên (trừ thai sản), không bị kỷ luật từ khiển trách trở lên",
                    "Absent fewer than 40 working days (maternity excepted); no discipline from reprimand up",
                ),
                {"check": "membership_months", "months": 10},
            ],
            note="Loại trừ (tuyển dụng dưới 10 tháng, nghỉ từ 40 ngày, kỷ luật): hướng dẫn công đoàn [S], "
            "điều khoản Nghị định 98/2023 [M].",
        ),
    ),
    Type(
        "chien_si_thi_dua_co_so",
        "individual",
        "title",
        "state",
        "annual",
        11,
        (
            "Chiến sĩ thi đua cơ sở",
            "Grassroots Emulation Fighter",
            "مقاتل المنافسة على المستوى القاعدي",
            "رزمنده رقابت در سطح پایه",
        ),
        [
            Rule(
                DECREE_91,
                "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
                "S",
                valid_to=LAW_2022,
                bonus_multiple="1.0",
                granting=AGENCY_HEADS,
                quota_of="lao_dong_tien_tien",
                quota_percent="15",
                criteria=[
                    {"check": "holds", "award": "lao_dong_tien_tien"},
                    initiatives(1, "grassroots", 1),
                ],
                note="Luật 2003/2013: sáng kiến là điều kiện bắt buộc [S]; tỷ lệ 15 % [M].",
            ),
            *state_bonus_versions(
                "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 23",
                "M",
                bonus_multiple="1.0",
                granting=AGENCY_HEADS,
                quota_of="lao_dong_tien_tien",
                quota_percent="15",
                criteria=[
                    {"check": "holds", "award": "lao_dong_tien_tien"},
                    {"check": "any", "of": [EXCELLENT, initiatives(1, "grassroots", 1)]},
                ],
                note="Luật 2022: đạt LĐTT và (hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến cấp cơ sở) [S]; "
                "tỷ lệ không quá 15 % số LĐTT (Nghị định 98/2023) [M].",
            ),
        ],
    ),
    Type(
        "chien_si_thi_dua_tinh",
        "individual",
        "title",
        "state",
        "periodic",
        12,
        (
            "Chiến sĩ thi đua bộ, ban, ngành, tỉnh",
            "Ministry or Provincial Emulation Fighter",
            "مقاتل المنافسة على مستوى الوزارة أو المحافظة",
            "رزمنده رقابت در سطح وزارت یا استان",
        ),
        state_bonus_versions(
            "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 22",
            "M",
            bonus_multiple="3.0",
            granting=[*PROVINCIAL, "peoples_committee"],
            period_years=3,
            criteria=[
                {"check": "consecutive", "award": "chien_si_thi_dua_co_so", "years": 3},
                initiatives(1, "provincial", 3),
            ],
            note="3 lần liên tục CSTĐCS và sáng kiến có phạm vi ảnh hưởng cấp bộ, tỉnh (văn bản cũ [S], "
            "lời văn 2022 [M]).",
        ),
    ),
    Type(
        "chien_si_thi_dua_toan_quoc",
        "individual",
        "title",
        "state",
        "periodic",
        13,
        (
            "Chiến sĩ thi đua toàn quốc",
            "National Emulation Fighter",
            "مقاتل المنافسة الوطني",
            "رزمنده رقابت ملی",
        ),
        state_bonus_versions(
            "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 21",
            "S",
            bonus_multiple="4.5",
            granting=["confederation"],
            period_years=6,
            criteria=[
                {"check": "consecutive", "award": "chien_si_thi_dua_tinh", "years": 2},
                initiatives(1, "national", 6),
            ],
            note="Thủ tướng Chính phủ quyết định; ghi nhận tại cấp Tổng Liên đoàn.",
        ),
    ),
    # ------------------------------------------------------------ state emulation titles, collectives
    Type(
        "tap_the_lao_dong_tien_tien",
        "collective",
        "title",
        "state",
        "annual",
        20,
        ("Tập thể lao động tiên tiến", "Advanced Labour Collective", "الجماعة العمالية المتقدمة", "جمع کاری پیشرو"),
        state_bonus_versions(
            "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 27",
            "M",
            collective_multiple="0.8",
            granting=AGENCY_HEADS,
            criteria=[
                {"check": "share", "award": "lao_dong_tien_tien", "percent": 50, "strict": True},
                manual(
                    "Hoàn thành tốt nhiệm vụ; không có cá nhân bị kỷ luật từ cảnh cáo trở lên",
                    "Tasks completed well; no member disciplined from warning up",
                ),
            ],
            note="Trên 50 % cá nhân đạt LĐTT (Luật 2013 [S]; Luật 2022 giữ nguyên [M]).",
        ),
    ),
    Type(
        "tap_the_lao_dong_xuat_sac",
        "collective",
        "title",
        "state",
        "annual",
        21,
        (
            "Tập thể lao động xuất sắc",
            "Excellent Labour Collective",
            "الجماعة العمالية الممتازة",
            "جمع کاری ممتاز",
        ),
        state_bonus_versions(
            "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 26",
            "S",
            collective_multiple="1.5",
            granting=AGENCY_HEADS,
            criteria=[
                {"check": "share", "award": "lao_dong_tien_tien", "percent": 70, "strict": False},
                {"check": "members_hold", "award": "chien_si_thi_dua_co_so", "count": 1},
                manual(
                    "100 % cá nhân hoàn thành nhiệm vụ; tập thể hoàn thành xuất sắc nhiệm vụ",
                    "Every member completed their tasks; the collective completed its tasks excellently",
                ),
            ],
        ),
    ),
    Type(
        "co_thi_dua",
        "collective",
        "title",
        "state",
        "annual",
        22,
        (
            "Cờ thi đua của bộ, ban, ngành, tỉnh, Tổng Liên đoàn",
            "Emulation Flag of a ministry, province or the Confederation",
            "راية المنافسة للوزارة أو المحافظة أو الاتحاد العام",
            "پرچم رقابت وزارت، استان یا کنفدراسیون",
        ),
        [
            Rule(
                LAW_2022,
                "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 28; Nghị định 98/2023/NĐ-CP",
                "M",
                collective_multiple="8.0",
                granting=[*PROVINCIAL, "peoples_committee"],
                criteria=[
                    manual(
                        "Tập thể dẫn đầu cụm, khối thi đua",
                        "The leading collective of an emulation cluster or block",
                    )
                ],
                note="Tổng Liên đoàn trao cờ cho đơn vị dẫn đầu 12 cụm, khối [S]; mức thưởng 8 lần [M].",
            )
        ],
    ),
    # ------------------------------------------------------------ state forms of commendation
    Type(
        "giay_khen",
        "individual",
        "form",
        "state",
        "ad_hoc",
        40,
        ("Giấy khen", "Certificate of Commendation", "شهادة تقدير", "تقدیرنامه"),
        [
            Rule(
                LAW_2022,
                "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 75; Nghị định 98/2023/NĐ-CP",
                "M",
                bonus_multiple="0.3",
                collective_multiple="0.6",
                granting=[*AGENCY_HEADS, *GRASSROOTS_UNIONS],
                criteria=[
                    manual(
                        "Có thành tích trong phong trào thi đua, thành tích đột xuất, hoặc hoàn thành tốt nhiệm vụ",
                        "An achievement in a movement, an ad-hoc achievement, or tasks completed well",
                    )
                ],
                note="Giấy khen của Chủ tịch UBND xã: 0,3 lần [S]; các cấp khác 0,3 (tập thể gấp đôi) [M].",
            )
        ],
    ),
    Type(
        "bang_khen_tinh",
        "individual",
        "form",
        "state",
        "ad_hoc",
        41,
        (
            "Bằng khen của bộ, ban, ngành, tỉnh, đoàn thể trung ương",
            "Certificate of Merit of a ministry, province or central mass organisation",
            "شهادة الاستحقاق للوزارة أو المحافظة",
            "لوح تقدیر وزارت یا استان",
        ),
        [
            Rule(
                LAW_2022,
                "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 72; Nghị định 98/2023/NĐ-CP",
                "M",
                bonus_multiple="1.0",
                collective_multiple="2.0",
                granting=[*PROVINCIAL, "peoples_committee"],
                period_years=2,
                criteria=[
                    {
                        "check": "any",
                        "of": [
                            {
                                "check": "all",
                                "of": [
                                    manual(
                                        "2 năm liên tục hoàn thành xuất sắc nhiệm vụ",
                                        "Completed the tasks excellently 2 years in a row",
                                    ),
                                    initiatives(2, "grassroots", 2),
                                ],
                            },
                            manual("Thành tích đột xuất", "An ad-hoc achievement"),
                        ],
                    }
                ],
            )
        ],
    ),
    Type(
        "bang_khen_thu_tuong",
        "individual",
        "form",
        "state",
        "ad_hoc",
        42,
        (
            "Bằng khen của Thủ tướng Chính phủ",
            "Certificate of Merit of the Prime Minister",
            "شهادة الاستحقاق من رئيس الوزراء",
            "لوح تقدیر نخست‌وزیر",
        ),
        [
            Rule(
                LAW_2022,
                "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 71; Nghị định 98/2023/NĐ-CP",
                "M",
                bonus_multiple="1.5",
                collective_multiple="3.0",
                granting=["confederation"],
                period_years=5,
                criteria=[
                    manual(
                        "Đã được tặng Bằng khen cấp bộ, ban, ngành, tỉnh",
                        "Already holds a Certificate of Merit of a ministry or province",
                    ),
                    manual(
                        "5 năm liên tục hoàn thành xuất sắc nhiệm vụ",
                        "Completed the tasks excellently 5 years in a row",
                    ),
                    initiatives(5, "grassroots", 5),
                ],
                note="Cấu trúc theo Nghị định 65/2014 [S]; Luật 2022 giữ nguyên [M]. "
                "Thủ tướng quyết định; ghi nhận tại cấp Tổng Liên đoàn.",
            )
        ],
    ),
    Type(
        "huan_chuong_lao_dong",
        "individual",
        "medal",
        "state",
        "ad_hoc",
        43,
        ("Huân chương Lao động", "Labour Order", "وسام العمل", "نشان کار"),
        [
            Rule(
                LAW_2022,
                "Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
                "?",
                granting=["confederation"],
                criteria=[
                    manual(
                        "Đạt tiêu chuẩn Huân chương Lao động theo hạng (Nhất, Nhì, Ba) của văn bản hiện hành",
                        "Meets the criteria of the Labour Order of the class proposed (First, Second, Third)",
                    )
                ],
                note="Chủ tịch nước quyết định. Mức thưởng theo hạng chưa có trong tài liệu tham chiếu [?]: "
                "quản trị viên cần nhập.",
            )
        ],
    ),
    # ------------------------------------------------------------ trade-union awards
    Type(
        "doan_vien_cong_doan_xuat_sac",
        "individual",
        "title",
        "union",
        "annual",
        60,
        (
            "Đoàn viên công đoàn xuất sắc",
            "Excellent Union Member",
            "العضو النقابي المتميز",
            "عضو ممتاز اتحادیه",
        ),
        union_versions(
            "Quyết định 1689/QĐ-TLĐ (12/11/2019), Quy chế khen thưởng của tổ chức Công đoàn",
            "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
            "S",
            granting=[*UPPER_UNIONS, *GRASSROOTS_UNIONS],
            criteria=[
                {"check": "registered"},
                {"check": "membership_months", "months": 10},
                manual(
                    "Tích cực tham gia hoạt động công đoàn, hoàn thành tốt nhiệm vụ đoàn viên",
                    "Took an active part in union work and fulfilled a member's duties well",
                ),
            ],
            note="Loại trừ khi không đăng ký thi đua, mới tuyển dụng dưới 10 tháng [S: hướng dẫn CĐCS]. "
            "Mức thưởng theo quy định tài chính công đoàn [?].",
        ),
    ),
    Type(
        "cong_doan_co_so_vung_manh",
        "collective",
        "title",
        "union",
        "annual",
        61,
        (
            "Công đoàn cơ sở vững mạnh",
            "Strong Grassroots Union",
            "النقابة القاعدية القوية",
            "اتحادیه پایه قوی",
        ),
        union_versions(
            "Quyết định 1689/QĐ-TLĐ (12/11/2019), Quy chế khen thưởng của tổ chức Công đoàn",
            "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
            "S",
            granting=UPPER_UNIONS,
            criteria=[
                manual(
                    "Đạt tiêu chuẩn công đoàn cơ sở vững mạnh theo kết quả đánh giá chất lượng năm",
                    "Meets the strong grassroots union standard in the annual quality evaluation",
                )
            ],
        ),
    ),
    Type(
        "to_cong_doan_vung_manh",
        "collective",
        "title",
        "union",
        "annual",
        62,
        ("Tổ công đoàn vững mạnh", "Strong Union Group", "المجموعة النقابية القوية", "گروه اتحادیه قوی"),
        union_versions(
            "Quyết định 1689/QĐ-TLĐ (12/11/2019), Quy chế khen thưởng của tổ chức Công đoàn",
            "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
            "S",
            granting=[*UPPER_UNIONS, *GRASSROOTS_UNIONS],
            criteria=[
                manual(
                    "Tổ công đoàn hoạt động tốt, đoàn viên hoàn thành nhiệm vụ",
                    "The union group works well and its members fulfil their duties",
                )
            ],
        ),
    ),
    Type(
        "bang_lao_dong_sang_tao",
        "individual",
        "form",
        "union",
        "annual",
        63,
        (
            "Bằng Lao động sáng tạo",
            "Creative Labour Certificate",
            "شهادة العمل الإبداعي",
            "گواهی کار خلاق",
        ),
        union_versions(
            "Quyết định 1689/QĐ-TLĐ (12/11/2019); ngưỡng theo 1564/QĐ-TLĐ (2014) Điều 16",
            "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
            "S",
            bonus_multiple="1.0",
            granting=["confederation"],
            period_years=3,
            criteria=[
                {
                    "check": "any",
                    "of": [
                        {
                            "check": "all",
                            "of": [
                                {"check": "education", "in": EDUCATION_TO_COLLEGE},
                                {"check": "not_officer", "positions": LEADERS},
                                {
                                    "check": "any",
                                    "of": [benefit(80_000_000, 1, True), benefit(120_000_000, 3, False)],
                                },
                            ],
                        },
                        {
                            "check": "all",
                            "of": [
                                {"check": "education", "in": EDUCATION_UNIVERSITY},
                                {"check": "not_officer", "positions": LEADERS},
                                benefit(150_000_000, 1, True),
                            ],
                        },
                        {
                            "check": "all",
                            "of": [
                                {"check": "officer", "positions": LEADERS},
                                {
                                    "check": "any",
                                    "of": [
                                        benefit(200_000_000, 1, True),
                                        {
                                            "check": "all",
                                            "of": [
                                                initiatives(1, "provincial", 1),
                                                manual(
                                                    "Giải pháp quản lý có hiệu quả kinh tế - xã hội cao",
                                                    "A management solution with a high socio-economic effect",
                                                ),
                                            ],
                                        },
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
            note="80 triệu (trình độ cao đẳng trở xuống) hoặc 120 triệu trong 3 năm liên tục; 150 triệu (đại học "
            "trở lên); 200 triệu (cán bộ lãnh đạo, quản lý) [S 2014, 2022]. Mức thưởng 1 lần [M].",
        ),
    ),
    Type(
        "giai_thuong_nguyen_duc_canh",
        "individual",
        "prize",
        "union",
        "once",
        64,
        (
            "Giải thưởng Nguyễn Đức Cảnh",
            "Nguyen Duc Canh Prize",
            "جائزة نغوين دوك كانه",
            "جایزه نگوین دوک کان",
        ),
        [
            Rule(
                VGCL_1689,
                "Quyết định 1689/QĐ-TLĐ (12/11/2019), Điều 18; hướng dẫn riêng của từng đợt",
                "S",
                valid_to=VGCL_999,
                granting=["confederation"],
                period_years=5,
                criteria=[
                    {"check": "once"},
                    manual(
                        "Công nhân trực tiếp sản xuất, thành tích xuất sắc trong phong trào "
                        "\u201cLao động giỏi, Lao động sáng tạo\u201d, nhiều sáng kiến, kèm cặp đồng nghiệp",
                        "A worker directly in production, outstanding in the movement "
                        "'Good work, creative work', with many initiatives, who trained colleagues",
                    ),
                ],
                note="Xét 5 năm một lần vào Tháng Công nhân của năm Đại hội Công đoàn; mỗi người một lần [S].",
            ),
            Rule(
                VGCL_999,
                "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
                "?",
                granting=["confederation"],
                period_years=5,
                criteria=[
                    {"check": "once"},
                    manual(
                        "Công nhân trực tiếp sản xuất, thành tích xuất sắc trong phong trào "
                        "\u201cLao động giỏi, Lao động sáng tạo\u201d, nhiều sáng kiến, kèm cặp đồng nghiệp",
                        "A worker directly in production, outstanding in the movement "
                        "'Good work, creative work', with many initiatives, who trained colleagues",
                    ),
                ],
                note="Cần đối chiếu văn bản 999/QĐ-TLĐ/2024 [?].",
            ),
        ],
    ),
    Type(
        "giai_thuong_nguyen_van_linh",
        "individual",
        "prize",
        "union",
        "once",
        65,
        (
            "Giải thưởng Nguyễn Văn Linh",
            "Nguyen Van Linh Prize",
            "جائزة نغوين فان لينه",
            "جایزه نگوین وان لین",
        ),
        union_versions(
            "Quyết định 1689/QĐ-TLĐ (12/11/2019); hướng dẫn xét Giải thưởng Nguyễn Văn Linh",
            "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
            "S",
            granting=["confederation"],
            quota_per_year=10,
            criteria=[
                {"check": "once"},
                {"check": "officer", "positions": ALL_POSITIONS},
                initiatives(2, "grassroots", 5),
                {"check": "unit_holds", "award": "cong_doan_co_so_vung_manh"},
                {"check": "holds", "award": "doan_vien_cong_doan_xuat_sac"},
            ],
            note="Cán bộ công đoàn từ tổ trưởng, tổ phó trở lên; trao hằng năm dịp 28/7; "
            "không quá 10 giải mỗi năm; mỗi người một lần [S].",
        ),
    ),
    Type(
        "ky_niem_chuong",
        "individual",
        "medal",
        "union",
        "once",
        66,
        (
            "Kỷ niệm chương \u201cVì sự nghiệp xây dựng tổ chức Công đoàn\u201d",
            "Commemorative Medal 'For the building of the Trade Union'",
            "ميدالية تذكارية «من أجل بناء النقابة»",
            "مدال یادبود «برای ساختن اتحادیه»",
        ),
        [
            Rule(
                GUIDANCE_149,
                "Hướng dẫn 149/HD-TLĐ (4/2/2015) theo Quyết định 1564/QĐ-TLĐ (2014)",
                "S",
                valid_to=VGCL_999,
                granting=["confederation"],
                criteria=[{"check": "once"}, {"check": "service_years", "years": 20, "part_time_factor": 1.5}],
                note="20 năm công tác công đoàn; năm không chuyên trách nhân hệ số 1,5 [S]; hệ số 2 cho CĐCS "
                "doanh nghiệp ngoài nhà nước chưa được mã hóa (cần xét tay).",
            ),
            Rule(
                VGCL_999,
                "Quyết định 999/QĐ-TLĐ (29/5/2024), Quy chế khen thưởng của tổ chức Công đoàn",
                "?",
                granting=["confederation"],
                criteria=[{"check": "once"}, {"check": "service_years", "years": 20, "part_time_factor": 1.5}],
                note="Ngưỡng hiện hành theo 999/QĐ-TLĐ/2024 chưa rõ [?]; giữ ngưỡng 2015.",
            ),
        ],
    ),
]

# (valid_from, amount, legal basis)
BASE_SALARIES = [
    (dt.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP [M]"),
    (dt.date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]


def seed_catalogue(AwardType: Any, AwardRule: Any, UnitType: Any, BaseSalary: Any) -> None:
    """Create what is missing; rows already there (perhaps edited by an administrator) are left alone."""
    unit_types = {t.code: t for t in UnitType.objects.all()}
    types = {}
    for item in CATALOGUE:
        vi, en, ar, fa = item.names
        types[item.code], _created = AwardType.objects.get_or_create(
            code=item.code,
            defaults={
                "recipient": item.recipient,
                "kind": item.kind,
                "system": item.system,
                "recurrence": item.recurrence,
                "rank": item.rank,
                "name_vi": vi,
                "name_en": en,
                "name_ar": ar,
                "name_fa": fa,
            },
        )
    for item in CATALOGUE:
        for rule in item.rules:
            row, created = AwardRule.objects.get_or_create(
                award_type=types[item.code],
                valid_from=rule.valid_from,
                defaults={
                    "valid_to": rule.valid_to,
                    "legal_basis": rule.legal_basis,
                    "verified": rule.verified,
                    "bonus_multiple": Decimal(rule.bonus_multiple),
                    "collective_multiple": None
                    if rule.collective_multiple is None
                    else Decimal(rule.collective_multiple),
                    "quota_of": types[rule.quota_of] if rule.quota_of else None,
                    "quota_percent": None if rule.quota_percent is None else Decimal(rule.quota_percent),
                    "quota_per_year": rule.quota_per_year,
                    "period_years": rule.period_years,
                    "criteria": rule.criteria,
                    "note": rule.note,
                },
            )
            if created:
                row.granting_unit_types.set([unit_types[code] for code in rule.granting if code in unit_types])
    for valid_from, amount, basis in BASE_SALARIES:
        BaseSalary.objects.get_or_create(valid_from=valid_from, defaults={"amount_vnd": amount, "legal_basis": basis})
