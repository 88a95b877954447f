"""The roles every installation starts with; administrators may add more as data."""

EMULATION_VIEWER = ["movement.view", "initiative.view", "award.view"]
EMULATION_OFFICER = [*EMULATION_VIEWER, "movement.change", "initiative.change", "initiative.import", "award.nominate"]
EMULATION_ADMIN = [*EMULATION_OFFICER, "initiative.decide", "award.decide", "award.import"]
ACTIVITY_VIEWER = ["activity.view", "practice.view", "programme.view"]
ACTIVITY_OFFICER = [
    *ACTIVITY_VIEWER,
    "activity.change",
    "activity.checkin",
    "activity.import",
    "practice.change",
    "programme.change",
]
ACTIVITY_ADMIN = [*ACTIVITY_OFFICER, "practice.recognise"]
REPORT_VIEWER = ["report.view"]
REPORT_OFFICER = [*REPORT_VIEWER, "report.submit"]
REPORT_ADMIN = [*REPORT_OFFICER, "report.review"]

ROLES = {
    "unit_admin": (
        [
            "unit.view",
            "unit.change",
            "unit.lifecycle",
            "role.grant",
            "audit.view",
            "member.view",
            "member.change",
            "member.view_national_id",
            "member.view_sensitive",
            "member.import",
            "member.export",
            *EMULATION_ADMIN,
            *ACTIVITY_ADMIN,
            *REPORT_ADMIN,
        ],
        "Quản trị đơn vị",
        "Unit administrator",
        "مسؤول الوحدة",
        "مدیر واحد",
    ),
    "officer": (
        [
            "unit.view",
            "unit.change",
            "audit.view",
            "member.view",
            "member.change",
            "member.import",
            "member.export",
            *EMULATION_OFFICER,
            *ACTIVITY_OFFICER,
            *REPORT_OFFICER,
        ],
        "Cán bộ",
        "Officer",
        "موظف نقابي",
        "کارشناس",
    ),
    "viewer": (
        ["unit.view", "member.view", *EMULATION_VIEWER, *ACTIVITY_VIEWER, *REPORT_VIEWER],
        "Người xem",
        "Viewer",
        "مشاهد",
        "بیننده",
    ),
}


def seed_roles(Role) -> None:
    for code, (actions, vi, en, ar, fa) in ROLES.items():
        Role.objects.get_or_create(
            code=code, defaults={"actions": actions, "name_vi": vi, "name_en": en, "name_ar": ar, "name_fa": fa}
        )
