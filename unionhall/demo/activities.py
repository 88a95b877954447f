"""The activities story of the demo organisation: a joint programme, models, activities and workplace democracy.

Written after the emulation story, through the product's services as the national administrator,
with fixed past dates and no randomness beyond a fixed seed, so two builds give the same figures:

- 2023: the provincial federation (DN), the provincial police (DN-CA) and the Fatherland Front
  committee (DN-MTTQ) sign a coordination programme on security and order in the industrial parks
  for 2023-2027 and mobilise five officers;
- 2024-2026: units register six models (three in the joint security movement, three in "Lao động giỏi,
  Lao động sáng tạo"), evaluated each year; three are recognised as effective by the federation;
- 2024-2026: dissemination sessions (some counted by category, some with a roster of members checked
  in), trainings, a preliminary-review conference, welfare visits and a dialogue between the
  province's leaders and workers, several of them organised with the police under the programme;
- 2024-2026: periodic dialogues and employee conferences at the employers of the Biên Hòa parks and
  of the corporation, with their minutes; one dialogue's employee side is too small for the headcount
  and was confirmed by the officer; some employers are overdue, so the dashboard has something to show.
"""

import datetime as dt
import io
import random
import struct
import zlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from unionhall.activities import services as activity_services
from unionhall.activities.choices import ActivityStatus, AttendanceMode, FileKind, ParticipantCategory
from unionhall.activities.models import Activity, ActivityKind
from unionhall.activities.services import ActivityDetails, SpeakerDetails
from unionhall.democracy import services as democracy_services
from unionhall.democracy.choices import ConferenceForm, DialogueTrigger
from unionhall.democracy.services import ConferenceDetails, DialogueDetails
from unionhall.members.choices import MembershipStatus
from unionhall.members.models import Membership, Person
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit
from unionhall.practices import services as practice_services
from unionhall.practices.choices import EvaluationResult, PracticeField, PracticeKind
from unionhall.practices.services import PracticeDetails
from unionhall.programmes import services as programme_services
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme
from unionhall.programmes.services import PartyDetails, ProgrammeDetails

from .emulation import AN_NINH, LDG_LDST

D = dt.date
SEED = 2028
ICT = ZoneInfo("Asia/Ho_Chi_Minh")
PROGRAMME = "phoi-hop-ca-ldld-2023-2027"


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ICT)


@dataclass
class ActivitiesResult:
    programmes: int = 0
    models: int = 0
    effective: int = 0
    activities: int = 0
    participants: int = 0
    dialogues: int = 0
    conferences: int = 0


@dataclass(frozen=True)
class Session:
    """One activity of the story that is not a workplace-democracy record."""

    reference: str
    unit: str
    kind: str
    title: str
    day: dt.date
    place: str
    topic: str = ""
    co_organisers: tuple[str, ...] = ()
    programme: bool = False
    movement: str = ""
    counts: tuple[tuple[str, int, int], ...] = ()  # counted: (category, total, women)
    roster_from: str = ""  # roster: members of this unit's subtree check in
    roster_size: int = 0
    speakers: tuple[tuple[str, str], ...] = ()
    hours: int = 3
    status: str = ActivityStatus.HELD


SESSIONS = [
    Session(
        "TT-01/2024",
        "DN",
        "dissemination",
        "Tuyên truyền Bộ luật Lao động và phòng, chống tội phạm cho công nhân khu công nghiệp",
        D(2024, 3, 14),
        "Hội trường Khu công nghiệp Biên Hòa 2",
        "Pháp luật lao động; phòng, chống tội phạm ma túy, lừa đảo qua mạng",
        co_organisers=("DN-CA",),
        programme=True,
        movement=AN_NINH,
        counts=(
            (ParticipantCategory.WORKER, 412, 268),
            (ParticipantCategory.MEMBER, 96, 51),
            (ParticipantCategory.OFFICIAL, 18, 7),
        ),
        speakers=(("Thượng tá Vũ Quốc Hưng", "Phó Trưởng phòng Cảnh sát hình sự, Công an tỉnh"),),
    ),
    Session(
        "TT-02/2024",
        "DN-KCN-NT",
        "dissemination",
        "Tuyên truyền an toàn giao thông và phòng cháy, chữa cháy tại khu nhà trọ công nhân",
        D(2024, 6, 22),
        "Khu nhà trọ ấp 3, xã Nhơn Trạch",
        "An toàn giao thông; phòng cháy, chữa cháy",
        co_organisers=("DN-CA",),
        programme=True,
        movement=AN_NINH,
        counts=((ParticipantCategory.WORKER, 236, 150), (ParticipantCategory.CITIZEN, 58, 30)),
        speakers=(("Thiếu tá Trần Văn Phúc", "Đội Cảnh sát phòng cháy, chữa cháy"),),
    ),
    Session(
        "TH-01/2024",
        "DN",
        "training",
        "Tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở các khu công nghiệp",
        D(2024, 8, 8),
        "Trung tâm Văn hóa Lao động tỉnh",
        "Thương lượng tập thể, đối thoại tại nơi làm việc",
        roster_from="DN-KCN-BH",
        roster_size=24,
        speakers=(("Phạm Thị Thu Hà", "Phó Chủ tịch Liên đoàn Lao động tỉnh"),),
        hours=8,
    ),
    Session(
        "SK-2025",
        "DN",
        "summary_conference",
        'Hội nghị sơ kết phong trào thi đua "Lao động giỏi, Lao động sáng tạo" giai đoạn 2023-2025',
        D(2025, 6, 20),
        "Hội trường Liên đoàn Lao động tỉnh",
        movement=LDG_LDST,
        counts=((ParticipantCategory.OFFICIAL, 64, 27), (ParticipantCategory.MEMBER, 86, 40)),
        speakers=(("Phạm Thị Thu Hà", "Phó Chủ tịch Liên đoàn Lao động tỉnh"),),
    ),
    Session(
        "TT-03/2025",
        "DN-KCN-BH",
        "dissemination",
        "Tuyên truyền Luật Công đoàn 2024 cho đoàn viên khu công nghiệp",
        D(2025, 7, 10),
        "Nhà văn hóa công nhân Biên Hòa",
        "Luật Công đoàn năm 2024 (có hiệu lực từ 01/7/2025)",
        roster_from="DN-KCN-BH",
        roster_size=40,
    ),
    Session(
        "DT-LD-2025",
        "DN",
        "leader_dialogue",
        "Đối thoại giữa lãnh đạo tỉnh với công nhân lao động",
        D(2025, 9, 27),
        "Nhà văn hóa công nhân Biên Hòa",
        "Nhà ở, nhà trẻ, an ninh trật tự khu nhà trọ",
        co_organisers=("DN-CA", "DN-MTTQ"),
        programme=True,
        counts=((ParticipantCategory.WORKER, 318, 190), (ParticipantCategory.OFFICIAL, 22, 8)),
        speakers=(("Phạm Thị Thu Hà", "Phó Chủ tịch Liên đoàn Lao động tỉnh"),),
    ),
    Session(
        "TT-04/2025",
        "DN-KCN-BH",
        "dissemination",
        "Tuyên truyền phòng, chống lừa đảo qua mạng cho công nhân",
        D(2025, 11, 6),
        "Hội trường Công ty TNHH Dệt may Hòa Bình Đồng Nai",
        "Nhận diện thủ đoạn lừa đảo qua mạng xã hội",
        co_organisers=("DN-CA",),
        programme=True,
        movement=AN_NINH,
        counts=((ParticipantCategory.WORKER, 274, 201), (ParticipantCategory.MEMBER, 35, 22)),
    ),
    Session(
        "TH-TG-2026",
        "DN-TB",
        "welfare_visit",
        "Thăm hỏi, tặng quà đoàn viên có hoàn cảnh khó khăn dịp Tết Bính Ngọ",
        D(2026, 2, 3),
        "Các công đoàn cơ sở xã Trảng Bom",
        counts=((ParticipantCategory.MEMBER, 45, 31),),
        hours=4,
    ),
    Session(
        "TT-05/2026",
        "DN-KCN-NT",
        "dissemination",
        "Tuyên truyền pháp luật về bảo hiểm xã hội cho người lao động",
        D(2026, 4, 16),
        "Nhà văn hóa công nhân Nhơn Trạch",
        "Luật Bảo hiểm xã hội năm 2024",
        roster_from="DN-KCN-NT",
        roster_size=30,
    ),
    Session(
        "VH-2026",
        "DN",
        "cultural_sports",
        "Hội thao công nhân các khu công nghiệp năm 2026",
        D(2026, 5, 1),
        "Sân vận động tỉnh",
        counts=((ParticipantCategory.WORKER, 520, 230), (ParticipantCategory.MEMBER, 140, 60)),
        hours=8,
    ),
    Session(
        "TH-02/2026",
        "DN",
        "training",
        "Tập huấn kỹ năng xây dựng tổ tự quản về an ninh, trật tự",
        D(2026, 12, 10),
        "Trung tâm Văn hóa Lao động tỉnh",
        co_organisers=("DN-CA",),
        programme=True,
        movement=AN_NINH,
        status=ActivityStatus.PLANNED,
    ),
]

# Models: (code, unit, kind, field, title, movement, programme, started, registered,
#          {year: result}, recognised on (by DN) or None)
MODELS = [
    (
        "to-tu-quan-nha-tro-an-binh",
        "DN-CS-016",
        PracticeKind.MODEL,
        PracticeField.DEFENCE_SECURITY,
        "Tổ công nhân tự quản về an ninh, trật tự khu nhà trọ An Bình",
        AN_NINH,
        True,
        D(2024, 3, 1),
        D(2024, 3, 20),
        {2024: EvaluationResult.EFFECTIVE, 2025: EvaluationResult.EFFECTIVE},
        D(2025, 12, 18),
    ),
    (
        "camera-an-ninh-kcn-bien-hoa",
        "DN-KCN-BH",
        PracticeKind.MODEL,
        PracticeField.DEFENCE_SECURITY,
        "Camera an ninh tại các khu nhà trọ công nhân Khu công nghiệp Biên Hòa",
        AN_NINH,
        True,
        D(2024, 5, 1),
        D(2024, 5, 15),
        {2024: EvaluationResult.PARTLY, 2025: EvaluationResult.EFFECTIVE},
        D(2025, 12, 18),
    ),
    (
        "zalo-nha-tro-nhon-trach",
        "DN-KCN-NT",
        PracticeKind.MODEL,
        PracticeField.DEFENCE_SECURITY,
        'Nhóm Zalo "Nhà trọ an toàn" kết nối chủ nhà trọ, công nhân và công an xã',
        AN_NINH,
        True,
        D(2024, 9, 1),
        D(2024, 9, 10),
        {2025: EvaluationResult.PARTLY},
        None,
    ),
    (
        "dan-van-kheo-tb",
        "DN-TB",
        PracticeKind.MODEL,
        PracticeField.POLITICAL_SYSTEM,
        '"Dân vận khéo": cán bộ công đoàn xã đến tận nhà trọ vận động thành lập công đoàn cơ sở',
        LDG_LDST,
        False,
        D(2024, 2, 1),
        D(2024, 2, 25),
        {2024: EvaluationResult.EFFECTIVE, 2025: EvaluationResult.EFFECTIVE},
        D(2025, 12, 18),
    ),
    (
        "sang-kien-moi-thang-song-may",
        "DN-CS-010",
        PracticeKind.MODEL,
        PracticeField.ECONOMY,
        '"Mỗi tháng một sáng kiến" ở các tổ sản xuất',
        LDG_LDST,
        False,
        D(2023, 6, 1),
        D(2023, 6, 15),
        {2024: EvaluationResult.EFFECTIVE, 2025: EvaluationResult.NOT_EFFECTIVE},
        None,
    ),
    (
        "dien-hinh-to-truong-may",
        "DN-CS-018",
        PracticeKind.EXEMPLAR,
        PracticeField.ECONOMY,
        "Tổ trưởng tổ may tiêu biểu trong phong trào thi đua",
        LDG_LDST,
        False,
        D(2025, 1, 1),
        D(2025, 2, 10),
        {},
        None,
    ),
]

# Workplace democracy at employers with a grassroots union: (employer, recording unit, headcount,
# [(periodic dialogue day, employer side, employee side, minutes?)], [employee conference days])
WORKPLACES = [
    ("DN-E-016", "DN-KCN-BH", 820, [(D(2024, 12, 12), 4, 20, True), (D(2025, 12, 4), 4, 21, True)], [D(2025, 1, 16)]),
    (
        "DN-E-017",
        "DN-KCN-BH",
        1450,
        [(D(2025, 6, 18), 5, 25, True), (D(2026, 6, 25), 5, 26, True)],
        [D(2025, 2, 20), D(2026, 2, 26)],
    ),
    ("DN-E-018", "DN-KCN-BH", 610, [(D(2025, 3, 27), 3, 19, False)], [D(2025, 3, 6)]),
    ("DN-E-019", "DN-KCN-BH", 240, [(D(2026, 5, 21), 3, 6, True)], [D(2026, 3, 19)]),  # employee side too small
    ("DN-E-020", "DN-KCN-BH", 130, [(D(2025, 11, 20), 3, 5, True)], []),
    ("DN-E-021", "DN-KCN-BH", 95, [], [D(2025, 4, 10)]),
    ("DN-E-037", "DN-HV", 360, [(D(2026, 3, 12), 3, 15, True)], [D(2026, 1, 8)]),
    ("DN-E-038", "DN-HV", 540, [(D(2025, 12, 23), 4, 19, True)], [D(2025, 1, 14), D(2026, 1, 13)]),
]


def png(width: int = 96, height: int = 64, colour: tuple[int, int, int] = (36, 99, 160)) -> bytes:
    """A small solid-colour PNG (a stand-in for a photo), written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text (a stand-in for scanned minutes)."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


class _Story:
    def __init__(self, admin: Any, today: dt.date | None) -> None:
        self.admin = admin
        self.today = today
        self.random = random.Random(SEED)  # noqa: S311 - reproducible demo figures, not secrets
        self.result = ActivitiesResult()
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        self.movements = {m.code: m for m in Movement.objects.filter(code__in=[AN_NINH, LDG_LDST])}

    def unit(self, code: str) -> Unit:
        return Unit.objects.get(code=code)

    def programme(self) -> Programme:
        dn, police, front = self.unit("DN"), self.unit("DN-CA"), self.unit("DN-MTTQ")
        programme = programme_services.programme_create(
            actor=self.admin,
            code=PROGRAMME,
            owner=dn,
            details=ProgrammeDetails(
                title="Chương trình phối hợp bảo đảm an ninh, trật tự tại các khu công nghiệp giai đoạn 2023-2027",
                start_date=D(2023, 3, 1),
                end_date=D(2027, 12, 31),
                reference="05/CTPH-CA-LĐLĐ",
                goals=(
                    "Tuyên truyền pháp luật cho công nhân lao động; xây dựng tổ tự quản về an ninh, trật tự ở khu "
                    "nhà trọ; phòng ngừa đình công, tụ tập đông người; nắm tình hình tư tưởng công nhân."
                ),
            ),
            parties=[
                PartyDetails(dn, PartyRole.LEAD, "Chủ tịch Liên đoàn Lao động tỉnh"),
                PartyDetails(police, PartyRole.PARTNER, "Giám đốc Công an tỉnh"),
                PartyDetails(front, PartyRole.PARTNER, "Chủ tịch Ủy ban MTTQ tỉnh"),
            ],
        )
        officers = [
            (dn, "Phạm Thị Thu Hà", "Phó Chủ tịch, phụ trách chương trình"),
            (dn, "Nguyễn Thanh Tùng", "Trưởng ban Tuyên giáo"),
            (police, "Vũ Quốc Hưng", "Phó Trưởng phòng Cảnh sát hình sự"),
            (police, "Trần Văn Phúc", "Đội trưởng Đội Cảnh sát phòng cháy, chữa cháy"),
            (front, "Lê Thị Hồng", "Trưởng ban Dân chủ - Pháp luật"),
        ]
        for unit, name, role in officers:
            programme_services.officer_add(actor=self.admin, programme=programme, unit=unit, name=name, role_title=role)
        self.result.programmes += 1
        return programme

    def models(self, programme: Programme) -> None:
        dn = self.unit("DN")
        for code, unit, kind, field, title, movement, joint, started, registered, evaluations, recognised in MODELS:
            practice = practice_services.practice_register(
                actor=self.admin,
                code=code,
                unit=self.unit(unit),
                details=PracticeDetails(
                    title=title,
                    field=field,
                    kind=kind,
                    started_on=started,
                    registered_on=registered,
                    movement=self.movements[movement],
                    programme=programme if joint else None,
                ),
                today=self.today,
            )
            for person in self.members(unit, 3):
                practice_services.practice_member_add(
                    actor=self.admin, practice=practice, person=person, role="Thành viên"
                )
            for year, result in evaluations.items():
                practice_services.practice_evaluate(
                    actor=self.admin,
                    practice=practice,
                    year=year,
                    result=result,
                    evaluated_on=D(year, 12, 10),
                    today=self.today,
                )
            if recognised:
                practice_services.practice_recognise(
                    actor=self.admin,
                    practice=practice,
                    by=dn,
                    recognised_on=recognised,
                    reference="215/QĐ-LĐLĐ",
                    today=self.today,
                )
                self.result.effective += 1
            self.result.models += 1

    def members(self, unit_code: str, count: int) -> list[Person]:
        """The first `count` current members of the unit's subtree, by member code (the same every build)."""
        path = self.unit(unit_code).path
        ids = (
            Membership.objects.filter(status=MembershipStatus.ACTIVE, unit__path__startswith=path)
            .order_by("person__member_code")
            .values_list("person_id", flat=True)[:count]
        )
        return list(Person.objects.filter(pk__in=list(ids)).order_by("member_code"))

    def sessions(self, programme: Programme) -> None:
        for s in SESSIONS:
            details = ActivityDetails(
                kind=self.kinds[s.kind],
                title=s.title,
                starts_at=at(s.day),
                ends_at=at(s.day, 8 + s.hours),
                place=s.place,
                topic=s.topic,
                reference=s.reference,
                movement=self.movements[s.movement] if s.movement else None,
                programme=programme if s.programme else None,
                chair=s.speakers[0][0] if s.speakers else "",
                status=s.status,
                attendance_mode=AttendanceMode.COUNTED if s.counts else AttendanceMode.ROSTER,
                co_organisers=tuple(self.unit(code) for code in s.co_organisers),
                speakers=tuple(SpeakerDetails(name, title) for name, title in s.speakers),
            )
            activity = activity_services.activity_create(actor=self.admin, unit=self.unit(s.unit), details=details)
            if s.counts:
                activity_services.headcounts_set(
                    actor=self.admin, activity=activity, counts={c: (total, women) for c, total, women in s.counts}
                )
            if s.roster_from:
                people = self.members(s.roster_from, s.roster_size)
                activity_services.check_in_people(actor=self.admin, activity=activity, people=people)
                activity_services.check_in_guest(
                    actor=self.admin,
                    activity=activity,
                    name="Nguyễn Thị Lan",
                    category=ParticipantCategory.WORKER,
                    gender="female",
                    phone="0912 345 678",
                )
            if s.status == ActivityStatus.HELD:
                activity_services.file_attach(
                    actor=self.admin,
                    activity=activity,
                    upload=io.BytesIO(png()),
                    kind=FileKind.PHOTO,
                    caption=f"{s.place}, {s.day:%d/%m/%Y}",
                )
            self.result.activities += 1

    def workplaces(self) -> None:
        dialogue_kind, conference_kind = self.kinds["workplace_dialogue"], self.kinds["employee_conference"]
        for employer_code, unit_code, headcount, dialogues, conferences in WORKPLACES:
            employer, unit = self.unit(employer_code), self.unit(unit_code)
            for day, employer_side, employee_side, minutes in dialogues:
                details = DialogueDetails(
                    employer=employer,
                    headcount=headcount,
                    employer_side=employer_side,
                    employee_side=employee_side,
                    employer_side_women=1,
                    employee_side_women=employee_side // 2,
                    trigger=DialogueTrigger.PERIODIC,
                    agreements="Tăng giá trị bữa ăn ca; bố trí xe đưa đón công nhân ca đêm.",
                    published_on=day + dt.timedelta(days=2),
                )
                try:
                    dialogue = democracy_services.dialogue_record(
                        actor=self.admin,
                        unit=unit,
                        activity=self.workplace_activity(dialogue_kind, employer, day, "Đối thoại định kỳ"),
                        dialogue=details,
                        today=self.today,
                    )
                except democracy_services.CompositionWarning:
                    dialogue = democracy_services.dialogue_record(
                        actor=self.admin,
                        unit=unit,
                        activity=self.workplace_activity(dialogue_kind, employer, day, "Đối thoại định kỳ"),
                        dialogue=details,
                        confirm_composition=True,
                        today=self.today,
                    )
                activity = dialogue.activity
                self.count(activity, employer_side + employee_side)
                if minutes:
                    activity_services.file_attach(
                        actor=self.admin,
                        activity=activity,
                        upload=io.BytesIO(pdf(f"Bien ban doi thoai dinh ky {employer_code} {day:%d/%m/%Y}")),
                        kind=FileKind.MINUTES,
                        caption="Biên bản đối thoại",
                    )
                self.result.dialogues += 1
            for day in conferences:
                form = ConferenceForm.DELEGATES if headcount >= 100 else ConferenceForm.ALL_EMPLOYEES
                attended = 60 + self.random.randrange(40) if form == ConferenceForm.DELEGATES else headcount - 7
                conference = democracy_services.conference_record(
                    actor=self.admin,
                    unit=unit,
                    activity=self.workplace_activity(conference_kind, employer, day, "Hội nghị người lao động"),
                    conference=ConferenceDetails(
                        employer=employer,
                        form=form,
                        headcount=headcount,
                        attended=attended,
                        resolutions="Thông qua quy chế dân chủ ở cơ sở, quy chế chi tiêu nội bộ; sửa đổi thỏa ước.",
                        agreement_reviewed=True,
                    ),
                    today=self.today,
                )
                self.count(conference.activity, attended)
                self.result.conferences += 1

    def workplace_activity(self, kind: ActivityKind, employer: Unit, day: dt.date, name: str) -> ActivityDetails:
        return ActivityDetails(
            kind=kind,
            title=f"{name} năm {day.year} tại {employer.name_vi}",
            starts_at=at(day, 14),
            ends_at=at(day, 16, 30),
            place=f"Phòng họp {employer.name_vi}",
            attendance_mode=AttendanceMode.COUNTED,
        )

    def count(self, activity: Activity, total: int) -> None:
        """The participants of a workplace meeting, counted as workers, half of them women."""
        activity_services.headcounts_set(
            actor=self.admin,
            activity=activity,
            counts={ParticipantCategory.WORKER: (total, total // 2)},
        )


def activities_build(*, admin: Any, today: dt.date | None) -> ActivitiesResult:
    """Write the activities story (inside the demo's transaction)."""
    story = _Story(admin, today)
    programme = story.programme()
    story.models(programme)
    story.sessions(programme)
    story.workplaces()
    story.result.activities = Activity.objects.count()
    story.result.participants = sum(Activity.objects.values_list("participants", flat=True))
    return story.result
