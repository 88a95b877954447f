"""The emulation story of the demo organisation: movements, pledges, initiatives and commendations.

Written after the members, through the product's services (movements, initiatives, awards) as the
national administrator, with past dates and no randomness beyond a fixed seed, so two builds give
the same figures. The story, in order:

- 2023: the provincial federation (DN) launches "Lao động giỏi, Lao động sáng tạo" for 2023-2027,
  with a preliminary review (held June 2025) and a final review due in December 2027;
- 2024: DN, the provincial police and the Fatherland Front committee launch the joint movement
  "Toàn dân bảo vệ an ninh Tổ quốc" for 2024-2026 in the industrial parks;
- 2024 and 2025: most grassroots unions and two of their members each register pledges;
- 2024-2026: twenty initiatives in seven grassroots unions follow the Decree 13/2012 procedure:
  seventeen recognised (three at provincial level) with their yearly benefit, one waiting for an
  examination that is overdue, one sent back for amendment, one rejected; some remuneration paid;
- January-February 2025 and 2026: Lao động tiên tiến for most members of three grassroots unions
  (granted by their employers, the provincial federation and the commune union), Chiến sĩ thi đua
  cơ sở 2025 for three initiative authors, Tập thể lao động tiên tiến 2025 for one union; one award
  is revoked; then a draft and a submitted nomination.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from unionhall.awards import services as award_services
from unionhall.awards.models import Award, AwardType
from unionhall.initiatives import services as initiative_services
from unionhall.initiatives.choices import Field, Level, Status, Verdict
from unionhall.initiatives.models import Initiative, InitiativeAuthor
from unionhall.members.choices import MembershipStatus
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.movements import services as movement_services
from unionhall.movements.choices import MilestoneKind, MovementKind, MovementScope
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit

D = dt.date
SEED = 2027
LDG_LDST = "ldg-ldst-2023-2027"
AN_NINH = "bao-ve-an-ninh-2024-2026"
LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"
TTLDTT = "tap_the_lao_dong_tien_tien"
TTLDXS = "tap_the_lao_dong_xuat_sac"
BANG_LDST = "bang_lao_dong_sang_tao"
# Lao động tiên tiến for most members of three grassroots unions, granted by a unit whose type the rule allows
# (the employer's head, or an upper union where the employer is not in the system):
# (achievement year, union, granting unit, decision number, signed on)
ADVANCED = [
    (2024, "DN-CS-010", "DN", "12/QĐ-LĐLĐ", D(2025, 1, 22)),
    (2024, "DN-CS-016", "DN-E-016", "05/QĐ-SBV", D(2025, 1, 15)),
    (2024, "DN-CS-017", "DN-E-017", "04/QĐ-TP", D(2025, 1, 17)),
    (2025, "DN-CS-010", "DN-TBM", "02/QĐ-CĐX", D(2026, 1, 16)),
    (2025, "DN-CS-016", "DN-E-016", "06/QĐ-SBV", D(2026, 1, 14)),
    (2025, "DN-CS-017", "DN-E-017", "02/QĐ-TP", D(2026, 1, 19)),
]
# Unions that did not register a pledge in a year (most did).
NO_PLEDGE = {2024: {"DN-CS-011", "DN-CS-022", "DN-CS-029"}, 2025: {"DN-CS-011", "DN-CS-031"}}
SHARES = {1: ("100",), 2: ("60", "40"), 3: ("50", "30", "20")}
LEADERS = ("chair", "vice_chair")
M = 1_000_000


@dataclass(frozen=True)
class Idea:
    """One initiative of the story and how far its procedure went."""

    unit: str
    title: str
    field: str
    applied: dt.date
    requested: dt.date
    examined: dt.date | None = None
    outcome: str = Status.RECOGNISED  # recognised, submitted, needs_amendment or rejected
    level: str = Level.GRASSROOTS
    recognised: dt.date | None = None
    benefits: tuple[tuple[int, int], ...] = ()  # (calendar year, VND)
    authors: int = 1
    known: bool = False  # the known member of the guides is the first author
    note: str = ""  # the examiner's note when sent back or rejected
    estimate: int = 0


TECH, MGMT, OPS, APP = Field.TECHNICAL, Field.MANAGEMENT, Field.OPERATIONAL, Field.TECHNOLOGY_APPLICATION
PROVINCIAL = Level.PROVINCIAL
IDEAS = [
    Idea("DN-CS-010", "Đồ gá khoan lỗ chốt trên máy CNC cho chi tiết ghế gỗ", TECH, D(2024, 2, 19), D(2024, 4, 8),
         D(2024, 4, 29), recognised=D(2024, 6, 14), benefits=((2024, 45 * M), (2025, 52 * M)), authors=2),
    Idea("DN-CS-010", "Tận dụng gỗ vụn làm phôi ván ghép thanh", TECH, D(2024, 10, 7), D(2025, 1, 13),
         D(2025, 2, 5), recognised=D(2025, 3, 10), benefits=((2024, 15 * M), (2025, 180 * M)), authors=2,
         known=True),
    Idea("DN-CS-010", "Quy trình sấy gỗ cao su theo độ ẩm thực tế, tiết kiệm điện năng", TECH, D(2025, 3, 3),
         D(2025, 5, 12), D(2025, 6, 2), recognised=D(2025, 7, 8), benefits=((2025, 75 * M),)),
    Idea("DN-CS-010", "Quản lý tồn kho phôi gỗ bằng mã QR", APP, D(2025, 1, 6), D(2025, 4, 21), D(2025, 5, 12),
         level=PROVINCIAL, recognised=D(2025, 10, 20), benefits=((2025, 95 * M),), authors=3),
    Idea("DN-CS-010", "Bảng điều phối ca sản xuất theo đơn hàng", MGMT, D(2025, 9, 1), D(2026, 2, 9), D(2026, 3, 4),
         outcome=Status.NEEDS_AMENDMENT, estimate=40 * M,
         note="Bổ sung số liệu so sánh năng suất trước và sau khi áp dụng giải pháp."),
    Idea("DN-CS-016", "Kiểm tra ngoại quan bảng mạch bằng camera và phần mềm nhận dạng ảnh", APP, D(2024, 3, 18),
         D(2024, 7, 1), D(2024, 7, 22), level=PROVINCIAL, recognised=D(2024, 11, 5),
         benefits=((2024, 120 * M), (2025, 280 * M)), authors=3),
    Idea("DN-CS-016", "Khay chứa linh kiện chống tĩnh điện dùng lại nhiều lần", TECH, D(2025, 1, 13), D(2025, 3, 17),
         D(2025, 4, 7), recognised=D(2025, 5, 20), benefits=((2025, 38 * M),)),
    Idea("DN-CS-016", "Bố trí chuyền lắp ráp theo mô hình tế bào", MGMT, D(2025, 2, 24), D(2025, 6, 9), D(2025, 6, 30),
         recognised=D(2025, 8, 12), benefits=((2025, 64 * M),), authors=2),
    Idea("DN-CS-016", "Chia ca bốn kíp ba ca cho bộ phận dán linh kiện", OPS, D(2024, 12, 2), D(2025, 4, 14),
         D(2025, 5, 6), outcome=Status.REJECTED, estimate=25 * M,
         note="Giải pháp đã được công ty áp dụng trước ngày đề xuất; không có tính mới trong cơ sở."),
    Idea("DN-CS-017", "Khuôn ép đế giày nhiều ngăn", TECH, D(2024, 1, 15), D(2024, 3, 11), D(2024, 4, 1),
         recognised=D(2024, 5, 16), benefits=((2024, 30 * M), (2025, 55 * M)), authors=2),
    Idea("DN-CS-017", "Giảm tỷ lệ hỏng khi dán mũ giày bằng keo gốc nước", TECH, D(2025, 2, 10), D(2025, 4, 7),
         D(2025, 4, 28), recognised=D(2025, 6, 3), benefits=((2025, 40 * M),)),
    Idea("DN-CS-017", "Sắp xếp kho nguyên liệu theo 5S và mã vị trí", MGMT, D(2025, 5, 5), D(2025, 8, 4),
         D(2025, 8, 25), recognised=D(2025, 10, 2), benefits=((2025, 22 * M),), authors=2),
    Idea("DN-CS-017", "Máy cắt da tự động theo dưỡng mẫu số hóa", TECH, D(2025, 11, 3), D(2026, 3, 2),
         outcome=Status.SUBMITTED, estimate=120 * M, authors=2),
    Idea("DN-CS-012", "Tái sử dụng nước ngưng nồi hơi cho khâu rửa nguyên liệu", TECH, D(2024, 4, 1), D(2024, 6, 3),
         D(2024, 6, 24), recognised=D(2024, 8, 6), benefits=((2024, 25 * M), (2025, 35 * M))),
    Idea("DN-CS-012", "Rút ngắn chu trình vệ sinh CIP dây chuyền chiết rót", OPS, D(2025, 3, 10), D(2025, 5, 19),
         D(2025, 6, 9), recognised=D(2025, 7, 15), benefits=((2025, 48 * M),), authors=2),
    Idea("DN-CS-024", "Cải tiến miệng hút bụi máy kéo sợi con", TECH, D(2024, 5, 6), D(2024, 7, 15), D(2024, 8, 5),
         recognised=D(2024, 9, 10), benefits=((2024, 18 * M), (2025, 27 * M))),
    Idea("DN-CS-024", "Điều chỉnh tốc độ cọc sợi theo độ ẩm xưởng", TECH, D(2025, 1, 20), D(2025, 3, 24),
         D(2025, 4, 14), level=PROVINCIAL, recognised=D(2025, 9, 15), benefits=((2025, 150 * M),)),
    Idea("DN-CS-036", "Số hóa hồ sơ huấn luyện an toàn lao động", MGMT, D(2025, 2, 3), D(2025, 4, 14), D(2025, 5, 5),
         recognised=D(2025, 6, 17), benefits=((2025, 12 * M),), authors=2),
    Idea("DN-CS-005", "Tái chế lõi giấy cuộn trong dây chuyền in", TECH, D(2024, 6, 3), D(2024, 8, 12), D(2024, 9, 2),
         recognised=D(2024, 10, 8), benefits=((2024, 20 * M), (2025, 33 * M))),
    Idea("DN-CS-005", "Dao cắt bế hộp carton thay nhanh", TECH, D(2025, 4, 7), D(2025, 6, 16), D(2025, 7, 7),
         recognised=D(2025, 8, 19), benefits=((2025, 29 * M),), authors=2),
]  # fmt: skip
# Remuneration paid for the first year of application: (initiative title, paid on, authors paid: all or the first)
PAID = [
    ("Đồ gá khoan lỗ chốt trên máy CNC cho chi tiết ghế gỗ", D(2025, 1, 24), 2),
    ("Kiểm tra ngoại quan bảng mạch bằng camera và phần mềm nhận dạng ảnh", D(2025, 1, 24), 3),
    ("Khuôn ép đế giày nhiều ngăn", D(2025, 2, 14), 1),
]
REMUNERATION_PERCENT = Decimal(7)  # Decree 13/2012, Article 10: at least 7 % of the benefit of each year


@dataclass
class Emulation:
    """What the emulation story wrote."""

    movements: int = 0
    registrations: int = 0
    initiatives: int = 0
    recognised: int = 0
    decisions: int = 0
    awards: int = 0
    nominations: int = 0


class _Story:
    def __init__(self, admin: Any, today: dt.date | None, known_member: tuple[str, str]) -> None:
        self.admin = admin
        self.today = today or timezone.localdate()
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.units: dict[str, Unit] = {}
        self.types = {t.code: t for t in AwardType.objects.all()}
        unit_code, name = known_member
        self.known = Person.objects.get(full_name=name, memberships__unit__code=unit_code)
        self.leaders = set(
            OfficerTerm.objects.filter(term_end__isnull=True, position__in=LEADERS).values_list(
                "membership__person_id", flat=True
            )
        )
        self.pools: dict[str, list[Person]] = {}
        self.active: list[Membership] | None = None
        self.cursor: dict[str, int] = {}
        self.result = Emulation()

    def unit(self, code: str) -> Unit:
        if code not in self.units:
            self.units[code] = Unit.objects.select_related("type", "parent").get(code=code)
        return self.units[code]

    def memberships(self, code: str, joined_by: dt.date) -> list[Membership]:
        """The active memberships of a union's subtree begun by a day, oldest member record first."""
        if self.active is None:  # read once: the story changes no membership
            self.active = list(
                Membership.objects.filter(status=MembershipStatus.ACTIVE)
                .select_related("person", "unit")
                .order_by("person_id")
            )
        path = self.unit(code).path
        return [m for m in self.active if m.unit.path.startswith(path) and m.join_date <= joined_by]

    # ------------------------------------------------------------ movements and pledges

    def movements(self) -> tuple[Movement, Movement]:
        work = movement_services.movement_launch(
            actor=self.admin,
            code=LDG_LDST,
            launcher=self.unit("DN"),
            details=movement_services.MovementDetails(
                title="Lao động giỏi, Lao động sáng tạo",
                kind=MovementKind.REGULAR,
                start_date=D(2023, 1, 1),
                end_date=D(2027, 12, 31),
                criteria=(
                    "Hoàn thành vượt mức kế hoạch sản xuất, kinh doanh; bảo đảm an toàn, vệ sinh lao động.\n"
                    "Mỗi công đoàn cơ sở có ít nhất một sáng kiến được công nhận mỗi năm.\n"
                    "Trên 70 % đoàn viên đạt danh hiệu Lao động tiên tiến."
                ),
            ),
            today=self.today,
        )
        preliminary = movement_services.milestone_add(
            actor=self.admin,
            movement=work,
            kind=MilestoneKind.PRELIMINARY,
            due_date=D(2025, 6, 30),
            note="Sơ kết giữa kỳ giai đoạn 2023-2025",
            today=self.today,
        )
        movement_services.milestone_add(
            actor=self.admin,
            movement=work,
            kind=MilestoneKind.FINAL,
            due_date=D(2027, 12, 15),
            note="Tổng kết phong trào giai đoạn 2023-2027",
            today=self.today,
        )
        movement_services.milestone_hold(
            actor=self.admin, milestone=preliminary, held_on=D(2025, 6, 20), today=self.today
        )
        security = movement_services.movement_launch(
            actor=self.admin,
            code=AN_NINH,
            launcher=self.unit("DN"),
            details=movement_services.MovementDetails(
                title="Toàn dân bảo vệ an ninh Tổ quốc trong công nhân, viên chức, lao động",
                kind=MovementKind.THEMATIC,
                start_date=D(2024, 1, 1),
                end_date=D(2026, 12, 31),
                scope=MovementScope.LISTED,
                units=[self.unit(c) for c in ("DN-CA", "DN-MTTQ", "DN-KCN-BH", "DN-KCN-NT")],
                criteria=(
                    "Chương trình phối hợp giữa Liên đoàn Lao động tỉnh, Công an tỉnh và Ủy ban Mặt trận Tổ quốc "
                    "tỉnh: xây dựng mô hình tự quản về an ninh, trật tự tại các khu công nghiệp."
                ),
            ),
            today=self.today,
        )
        preliminary = movement_services.milestone_add(
            actor=self.admin,
            movement=security,
            kind=MilestoneKind.PRELIMINARY,
            due_date=D(2025, 12, 31),
            note="Sơ kết hai năm thực hiện chương trình phối hợp",
            today=self.today,
        )
        movement_services.milestone_hold(
            actor=self.admin, milestone=preliminary, held_on=D(2025, 12, 18), today=self.today
        )
        self.result.movements = 2
        return work, security

    def pledge(self, movement: Movement, unit: Unit, year: int, day: dt.date, **values: Any) -> None:
        movement_services.registration_create(
            actor=self.admin, movement=movement, unit=unit, year=year, registered_on=day, today=self.today, **values
        )
        self.result.registrations += 1

    def pledges(self, work: Movement, security: Movement) -> None:
        """Most grassroots unions pledge each year, and two of their members each."""
        unions = list(
            Unit.objects.filter(
                type__code__in=("grassroots_union", "professional_union"),
                status="active",
                established_date__lt=D(2024, 1, 1),
            ).order_by("code")
        )
        for year in (2024, 2025):
            for i, union in enumerate(unions):
                if union.code in NO_PLEDGE[year]:
                    continue
                self.units[union.code] = union
                day = D(year, 2, 1) + dt.timedelta(days=i % 24)
                self.pledge(work, union, year, day, titles=[TTLDTT], initiatives_pledged=1 + i % 3)
                members = [m for m in self.memberships(union.code, day) if m.person_id not in self.leaders]
                for membership in self.rng.sample(members, min(2, len(members))):
                    titles = [LDTT, CSTDCS] if self.rng.random() < 0.4 else [LDTT]
                    pledged = 1 if CSTDCS in titles else 0
                    self.pledge(
                        work,
                        membership.unit,
                        year,
                        day,
                        person=membership.person,
                        titles=titles,
                        initiatives_pledged=pledged,
                    )
        for code, years in (("DN-CA", (2024, 2025)), ("DN-MTTQ", (2025,)), ("DN-KCN-BH", (2024, 2025))):
            for year in years:
                self.pledge(security, self.unit(code), year, D(year, 3, 5), note="Đăng ký thi đua theo chương trình")

    # ------------------------------------------------------------ initiatives

    def pool(self, code: str) -> list[Person]:
        """Members who may author a union's initiatives: in it since 2023, not its chair or vice-chair."""
        if code not in self.pools:
            people = [
                m.person
                for m in self.memberships(code, D(2023, 12, 31))
                if m.person_id not in self.leaders and m.person_id != self.known.pk
            ]
            self.rng.shuffle(people)
            self.pools[code], self.cursor[code] = people, 0
        return self.pools[code]

    def authors_for(self, idea: Idea) -> list[tuple[Person, Decimal]]:
        people = [self.known] if idea.known else []
        pool = self.pool(idea.unit)
        while len(people) < idea.authors:
            person = pool[self.cursor[idea.unit] % len(pool)]
            self.cursor[idea.unit] += 1
            if person not in people:
                people.append(person)
        return [(p, Decimal(s)) for p, s in zip(people, SHARES[idea.authors], strict=True)]

    def initiative(self, idea: Idea, movement: Movement, number: int) -> Initiative:
        unit = self.unit(idea.unit)
        estimate = idea.estimate or max((amount for _year, amount in idea.benefits), default=0)
        initiative = initiative_services.initiative_create(
            actor=self.admin,
            unit=unit,
            details=initiative_services.InitiativeDetails(
                title=idea.title,
                field=idea.field,
                first_applied_on=idea.applied,
                estimated_benefit_vnd=estimate,
                movement=movement,
            ),
            today=idea.requested,
        )
        authors = self.authors_for(idea)
        initiative_services.authors_set(actor=self.admin, initiative=initiative, authors=authors, today=idea.requested)
        initiative = initiative_services.initiative_submit(
            actor=self.admin, initiative=initiative, today=idea.requested
        )
        self.result.initiatives += 1
        if idea.outcome == Status.SUBMITTED:
            return initiative
        verdicts: dict[str, str] = {Status.NEEDS_AMENDMENT: Verdict.AMEND, Status.REJECTED: Verdict.REJECT}
        initiative = initiative_services.initiative_examine(
            actor=self.admin,
            initiative=initiative,
            verdict=verdicts.get(idea.outcome, Verdict.ACCEPT),
            note=idea.note,
            day=idea.examined,
            today=idea.examined,
        )
        if idea.outcome != Status.RECOGNISED:
            return initiative
        assert idea.recognised is not None
        initiative = initiative_services.initiative_recognise(
            actor=self.admin,
            initiative=initiative,
            level=idea.level,
            certificate_number=f"{number:02d}/{idea.recognised.year}/QĐ-CNSK",
            recognised_on=idea.recognised,
            today=idea.recognised,
        )
        for year, amount in idea.benefits:
            recorded = max(D(year + 1, 1, 20), idea.recognised)  # after the year, once recognised
            initiative_services.benefit_record(
                actor=self.admin, initiative=initiative, year=year, amount_vnd=amount, today=recorded
            )
        self.result.recognised += 1
        return initiative

    def initiatives(self, movement: Movement) -> dict[str, Initiative]:
        made: dict[str, Initiative] = {}
        numbers: dict[str, int] = {}
        for idea in IDEAS:
            if idea.outcome == Status.RECOGNISED:
                numbers[idea.unit] = numbers.get(idea.unit, 0) + 1
            made[idea.title] = self.initiative(idea, movement, numbers.get(idea.unit, 0))
        benefits = {idea.title: dict(idea.benefits) for idea in IDEAS}
        for title, paid_on, paid in PAID:
            initiative = made[title]
            first_year = benefits[title][initiative.first_applied_on.year]
            for author in list(InitiativeAuthor.objects.filter(initiative=initiative).order_by("-share", "id"))[:paid]:
                amount = int(first_year * REMUNERATION_PERCENT / 100 * author.share / 100)
                initiative_services.remuneration_pay(
                    actor=self.admin, author=author, amount_vnd=amount, paid_on=paid_on, year_index=1, today=paid_on
                )
        return made

    # ------------------------------------------------------------ commendations

    def decide(
        self,
        *,
        number: str,
        signed_on: dt.date,
        signer: str,
        granting: str,
        award: str,
        awardees: list[Any],
        movement: Movement,
        note: str = "",
    ) -> Any:
        decision = award_services.decision_create(
            actor=self.admin,
            number=number,
            signed_on=signed_on,
            signer=signer,
            granting_unit=self.unit(granting),
            award_type=self.types[award],
            awardees=awardees,
            movement=movement,
            note=note,
            today=self.today,
        )
        self.result.decisions += 1
        self.result.awards += len(awardees)
        return decision

    def advanced_workers(self, code: str, year: int, keep: set[int]) -> list[Person]:
        """Three in four members of a union, in it since February of the year, and the people in `keep`."""
        people = [m.person for m in self.memberships(code, D(year, 2, 28))]
        return [p for i, p in enumerate(people) if i % 4 != 3 or p.pk in keep]

    def commendations(self, movement: Movement, made: dict[str, Initiative]) -> None:
        signers = {
            "DN": "Trần Văn Lực, Chủ tịch Liên đoàn Lao động tỉnh",
            "DN-TBM": "Lê Thị Ngọc Bích, Chủ tịch Công đoàn xã Trảng Bom",
            "DN-E-016": "Lý Minh Khoa, Tổng Giám đốc",
            "DN-E-017": "Phan Văn Hậu, Giám đốc",
        }
        # Chiến sĩ thi đua cơ sở 2025: the first authors of initiatives recognised in 2025 in two unions.
        leads = []
        for title in (
            "Khay chứa linh kiện chống tĩnh điện dùng lại nhiều lần",
            "Bố trí chuyền lắp ráp theo mô hình tế bào",
            "Giảm tỷ lệ hỏng khi dán mũ giày bằng keo gốc nước",
        ):
            lead = InitiativeAuthor.objects.filter(initiative=made[title]).order_by("-share", "id").first()
            assert lead is not None
            if lead.person not in leads:
                leads.append(lead.person)
        keep = {self.known.pk, *(p.pk for p in leads)}
        held: dict[tuple[str, int], list[Person]] = {}
        for year, code, granting, number, signed_on in ADVANCED:
            people = held[(code, year)] = self.advanced_workers(code, year, keep)
            self.decide(
                number=number,
                signed_on=signed_on,
                signer=signers[granting],
                granting=granting,
                award=LDTT,
                awardees=[(p, year) for p in people],
                movement=movement,
                note=f"Danh hiệu Lao động tiên tiến năm {year}.",
            )
        self.decide(
            number="03/QĐ-TP",
            signed_on=D(2026, 1, 26),
            signer=signers["DN-E-017"],
            granting="DN-E-017",
            award=TTLDTT,
            awardees=[(self.unit("DN-CS-017"), 2025)],
            movement=movement,
        )
        self.decide(
            number="21/QĐ-LĐLĐ",
            signed_on=D(2026, 2, 5),
            signer=signers["DN"],
            granting="DN",
            award=CSTDCS,
            awardees=[(p, 2025) for p in leads],
            movement=movement,
            note="Đạt danh hiệu Lao động tiên tiến và có sáng kiến được công nhận năm 2025.",
        )
        # A 2024 title withdrawn: the worker was absent more than 40 working days that year.
        revoked = next(p for p in held[("DN-CS-017", 2024)] if p.pk not in keep | self.leaders)
        award = Award.objects.get(award_type=self.types[LDTT], person=revoked, year=2024)
        award_services.award_revoke(
            actor=self.admin,
            award=award,
            reason="criteria_not_met",
            revoked_on=D(2025, 8, 15),
            recovered_vnd=award.bonus_vnd,
            note="Nghỉ quá 40 ngày làm việc trong năm 2024 (không thuộc trường hợp nghỉ thai sản).",
            today=self.today,
        )
        # Nominations: the known member for the Creative Labour Certificate (sent on), one union's draft.
        nomination = award_services.nomination_create(
            actor=self.admin,
            award_type=self.types[BANG_LDST],
            year=2025,
            proposing_unit=self.unit("DN"),
            person=self.known,
            initiatives=[made["Tận dụng gỗ vụn làm phôi ván ghép thanh"]],
            note="Sáng kiến làm lợi trên 100 triệu đồng trong năm 2025.",
            today=D(2026, 3, 16),
        )
        award_services.nomination_submit(actor=self.admin, nomination=nomination, today=D(2026, 3, 20))
        award_services.nomination_create(
            actor=self.admin,
            award_type=self.types[TTLDXS],
            year=2025,
            proposing_unit=self.unit("DN-KCN-BH"),
            unit=self.unit("DN-CS-016"),
            note="Dự thảo: chờ xác nhận tập thể hoàn thành xuất sắc nhiệm vụ năm 2025.",
            today=D(2026, 2, 24),
        )
        self.result.nominations = 2


def emulation_build(*, admin: Any, today: dt.date | None, known_member: tuple[str, str]) -> Emulation:
    """Write the emulation story (inside the demo's transaction); `known_member` is (unit code, full name)."""
    story = _Story(admin, today, known_member)
    work, security = story.movements()
    story.pledges(work, security)
    made = story.initiatives(work)
    story.commendations(work, made)
    return story.result
