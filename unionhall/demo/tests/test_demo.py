"""`unionhall demo`: exact contents, history, idempotence, and logins that work."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.http import HttpRequest

from unionhall.access.models import RoleGrant
from unionhall.accounts.models import User
from unionhall.audit.chain import find_break, iterate_rows
from unionhall.audit.models import AuditEntry
from unionhall.demo.builder import DEMO_PASSWORD, USERS
from unionhall.orgunits import selectors
from unionhall.orgunits.models import AdminArea, Unit, UnitEvent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def unit(code: str) -> Unit:
    return Unit.objects.select_related("parent", "type").get(code=code)


DEMO_TYPES = {
    "confederation": 1,
    "provincial_federation": 1,
    "police_department": 2,
    "fatherland_front": 1,
    "district_federation": 2,
    "industrial_park_union": 2,
    "commune_union": 5,
    "corporation_union": 1,
    "grassroots_union": 39,
    "professional_union": 1,
    "enterprise": 12,
    "union_section": 90,
    "union_group": 130,
}


def test_demo_builds_once_with_exact_counts_and_history():
    first = run("demo")
    entries = AuditEntry.objects.count()
    second = run("demo")

    assert first.startswith("Demo organisation created: 287 units, 8 users, 355 union members.")
    assert first.splitlines()[1] == (
        "Emulation: 2 movements, 194 pledges, 20 initiatives (17 recognised), 8 award decisions with 46 awards, "
        "2 nominations."
    )
    assert second.startswith("The demo organisation is already there; nothing was changed.")
    assert Unit.objects.count() == 287 == sum(DEMO_TYPES.values())
    assert dict(Unit.objects.values_list("type__code").annotate(n=Count("pk"))) == DEMO_TYPES
    assert dict(Unit.objects.values_list("status").annotate(n=Count("pk"))) == {
        "active": 284,
        "dissolved": 2,
        "merged": 1,
    }
    assert User.objects.count() == 8
    assert RoleGrant.objects.current().count() == 7
    assert AdminArea.objects.filter(scheme__code="vn-2025", level="commune", parent__code="75").count() == 8
    assert AuditEntry.objects.count() == entries
    assert find_break(iterate_rows(AuditEntry.objects.all())) is None

    # Before 1 July 2025 the grassroots unions stood under the district federations; now under communes.
    bien_hoa, tran_bien = unit("DN-BH"), unit("DN-TB")
    before = dt.date(2024, 12, 31)
    assert selectors.unit_children(unit=bien_hoa, as_of=before).count() == 9
    assert selectors.unit_children(unit=bien_hoa).count() == 0
    assert selectors.unit_subtree(unit=bien_hoa).count() == 1
    assert (bien_hoa.status, bien_hoa.ended_date) == ("dissolved", dt.date(2025, 7, 1))
    assert unit("DN-CS-001").parent == tran_bien
    first = unit("DN-CS-001")
    assert selectors.unit_placements_on(unit_ids=[first.pk], day=before)[first.pk].parent == bien_hoa
    assert selectors.unit_subtree(unit=tran_bien, as_of=before).count() == 0
    # Four grassroots unions moved in and one was founded since; each has 2 or 3 sections and their groups.
    assert selectors.unit_subtree(unit=tran_bien).count() == 1 + 5 + (5 + 5 + 7 + 5 + 5)
    assert sorted(
        selectors.unit_subtree(unit=unit("DN"), as_of=dt.date(2016, 1, 1)).values_list("code", flat=True)
    ) == ["DN", "DN-BH", "DN-CA", "DN-KCN-BH", "DN-MTTQ", "DN-TBH"]

    # The merge, the rename, and the addresses moved to the 2025 map.
    merged = unit("DN-CS-026")
    assert (merged.status, merged.merged_into) == ("merged", unit("DN-CS-025"))
    assert selectors.unit_children(unit=unit("DN-CS-025")).count() == 3
    assert unit("DN-CS-017").name_vi == "Công đoàn cơ sở Công ty TNHH Giày da Tân Phú Việt Nam"
    assert UnitEvent.objects.filter(unit__code="DN-CS-017", kind="rename").count() == 1
    moved = unit("DN-CS-010")
    assert (moved.province.scheme.code, moved.commune.code) == ("vn-2025", "D75-05")
    assert moved.address == "Khu công nghiệp Sông Mây, xã Trảng Bom, tỉnh Đồng Nai"
    assert bien_hoa.province.scheme.code == "vn-2008"
    assert unit("DN-CS-016").employer == unit("DN-E-016")
    assert Unit.objects.filter(employer__isnull=False).count() == 12
    assert unit("DN-CS-035").name_en == "Long Thanh Ride-hailing Drivers' Union"


def test_demo_logins_work_with_their_scopes(client):
    out = run("demo", "--print-logins")

    for spec in USERS:
        assert spec.username in out
        assert client.login(request=HttpRequest(), username=spec.username, password=DEMO_PASSWORD)
        client.logout()
    assert out.count(DEMO_PASSWORD) == len(USERS)
    users = {u.username: u for u in User.objects.all()}
    assert {u.language for u in users.values()} == {"vi", "fa", "ar"}
    assert all(u.full_name for u in users.values())
    assert users["admin"].is_superuser
    visible = {name: Unit.objects.visible_to(users[name], "unit.view").count() for name in users}
    assert visible == {
        "admin": 287,
        "tinh.dongnai": 286,
        "xem.dongnai": 286,
        "xa.tranbien": 33,
        "cdcs.songmay": 6,
        "congan.dongnai": 1,
        "kcn.nhontrach": 52,
        "kcn.bienhoa": 61,
    }
    assert Unit.objects.visible_to(users["xem.dongnai"], "unit.change").count() == 0

    # A second run prints the same logins and notices a changed password.
    users["xem.dongnai"].set_password("another-password-77")
    users["xem.dongnai"].save()
    again = run("demo", "--print-logins")
    assert "already there" in again
    assert again.count(DEMO_PASSWORD) == len(USERS) - 1
    assert "(changed)" in again


def test_demo_refuses_an_admin_that_is_not_a_superuser():
    User.objects.create_user("admin", password="another-password-77")
    with pytest.raises(CommandError, match="not a superuser"):
        run("demo")
    assert not Unit.objects.exists()


# ---------------------------------------------------------------- generate


def test_demo_persian_user_reads_jalali_dates():
    run("demo")
    user = User.objects.get(username="kcn.nhontrach")
    assert (user.language, user.calendar) == ("fa", "jalali")
    assert User.objects.get(username="tinh.dongnai").calendar == "gregorian"


# ---------------------------------------------------------------- members


def test_demo_members_have_history_officers_cards_and_valid_ids():
    from unionhall.core import fieldcrypto
    from unionhall.members import identity
    from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard
    from unionhall.members.services import ID_CONTEXT

    run("demo")
    assert Person.objects.count() == 355
    rows = Membership.objects.values_list("status", "end_reason").annotate(n=Count("pk"))
    assert {(status, reason): n for status, reason, n in rows} == {
        ("active", ""): 334,
        ("ended", "left_job"): 21,
        ("ended", "transferred"): 15,
    }
    # Each grassroots union (and the drivers' union) has a chair and a vice-chair, members of the union itself.
    unions = Unit.objects.filter(type__code__in=("grassroots_union", "professional_union"), status="active")
    assert unions.count() == 39
    for position in ("chair", "vice_chair"):
        terms = OfficerTerm.objects.filter(position=position, term_end__isnull=True)
        assert sorted(terms.values_list("membership__unit__code", flat=True)) == sorted(u.code for u in unions)
    assert dict(UnionCard.objects.values_list("status").annotate(n=Count("pk"))) == {
        "active": 321,
        "lost": 8,
        "revoked": 21,
    }
    assert dict(Person.objects.values_list("nationality").annotate(n=Count("pk"))) == {
        "VN": 350,
        "KR": 2,
        "CN": 1,
        "TW": 1,
        "JP": 1,
    }
    # Every CCCD agrees with its holder's gender and year of birth.
    for person in Person.objects.filter(id_kind="cccd"):
        number = fieldcrypto.decrypt(person.national_id_encrypted, context=ID_CONTEXT)
        assert identity.cccd_problems(number, gender=person.gender, date_of_birth=person.date_of_birth) == []
    known = Person.objects.get(full_name="Nguyễn Văn Đệ")
    assert known.memberships.get().unit.code == "DN-CS-010"
    assert UnionCard.objects.filter(person=known, status="active").count() == 1


def test_demo_users_see_the_members_of_their_units():
    from unionhall.members.models import Person

    run("demo")
    users = {u.username: u for u in User.objects.all()}
    visible = {name: Person.objects.visible_to(users[name], "member.view").count() for name in users}
    assert visible["admin"] == visible["tinh.dongnai"] == visible["xem.dongnai"] == 355
    assert visible["congan.dongnai"] == 0
    assert 0 < visible["cdcs.songmay"] < visible["xa.tranbien"] < 355
    assert 0 < visible["kcn.nhontrach"] < 355 and 0 < visible["kcn.bienhoa"] < 355
    changes = {name: Person.objects.visible_to(users[name], "member.change").count() for name in users}
    assert changes["xem.dongnai"] == 0
    assert changes["cdcs.songmay"] == visible["cdcs.songmay"]
    national_ids = {name: Person.objects.visible_to(users[name], "member.view_national_id").count() for name in users}
    assert national_ids["cdcs.songmay"] == 0  # officers change records but do not read national IDs
    assert national_ids["xa.tranbien"] == visible["xa.tranbien"]


# ---------------------------------------------------------------- emulation


def test_demo_emulation_story_has_exact_figures_and_a_predictable_verdict():
    from decimal import Decimal

    from django.db.models import Q, Sum
    from django.utils import translation

    from unionhall.awards.eligibility import evaluate
    from unionhall.awards.models import Award, AwardType, Decision, Nomination
    from unionhall.initiatives import deadlines
    from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit, RemunerationPayment
    from unionhall.initiatives.services import rule_of
    from unionhall.members.models import Person
    from unionhall.movements.models import Movement, Registration
    from unionhall.movements.results import results

    run("demo")
    day = dt.date(2026, 6, 1)  # a fixed "today" for the clocks and the checks, after every date of the story

    # Two movements of the provincial federation: the five-year one with its reviews, and a joint one.
    work, security = (
        Movement.objects.get(code="ldg-ldst-2023-2027"),
        Movement.objects.get(code="bao-ve-an-ninh-2024-2026"),
    )
    assert (work.title, work.launcher.code, work.start_date, work.end_date, work.scope, work.status) == (
        "Lao động giỏi, Lao động sáng tạo",
        "DN",
        dt.date(2023, 1, 1),
        dt.date(2027, 12, 31),
        "subtree",
        "running",
    )
    assert sorted(work.milestones.values_list("kind", "due_date", "held_on")) == [
        ("final", dt.date(2027, 12, 15), None),
        ("preliminary", dt.date(2025, 6, 30), dt.date(2025, 6, 20)),
    ]
    assert (security.scope, security.start_date, security.end_date) == (
        "listed",
        dt.date(2024, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert sorted(security.units.values_list("code", flat=True)) == ["DN-CA", "DN-KCN-BH", "DN-KCN-NT", "DN-MTTQ"]
    assert Movement.objects.count() == 2

    # Pledges: most grassroots unions (31 of 34 in 2024, 32 in 2025) and two of their members each.
    pledges = Registration.objects.values_list("movement__code", "year").annotate(
        own=Count("pk", filter=Q(person__isnull=True)), members=Count("person")
    )
    assert {(m, y): (own, members) for m, y, own, members in pledges} == {
        ("ldg-ldst-2023-2027", 2024): (31, 62),
        ("ldg-ldst-2023-2027", 2025): (32, 64),
        ("bao-ve-an-ninh-2024-2026", 2024): (2, 0),
        ("bao-ve-an-ninh-2024-2026", 2025): (3, 0),
    }

    # Initiatives: 20 in the first movement, in seven grassroots unions, authors' shares summing to 100.
    assert Initiative.objects.filter(movement=work).count() == 20
    assert dict(Initiative.objects.values_list("status").annotate(n=Count("pk"))) == {
        "recognised": 17,
        "submitted": 1,
        "needs_amendment": 1,
        "rejected": 1,
    }
    assert dict(Initiative.objects.filter(status="recognised").values_list("level").annotate(n=Count("pk"))) == {
        "grassroots": 14,
        "provincial": 3,
    }
    assert Initiative.objects.values("unit").distinct().count() == 7
    shares = InitiativeAuthor.objects.values_list("initiative").annotate(total=Sum("share"))
    assert {total for _pk, total in shares} == {Decimal(100)}
    assert InitiativeAuthor.objects.count() == 33
    assert Initiative.objects.filter(status="recognised").exclude(certificate_number="").count() == 17
    assert InitiativeBenefit.objects.aggregate(total=Sum("amount_vnd"))["total"] == 1_508_000_000
    assert RemunerationPayment.objects.count() == 6
    assert RemunerationPayment.objects.aggregate(total=Sum("amount_vnd"))["total"] == 12_810_000
    waiting = Initiative.objects.get(status="submitted")
    steps = {s.code: s for s in deadlines.procedure_steps(waiting, rule_of(waiting), day)}
    assert (steps["examine"].due, steps["examine"].overdue) == (dt.date(2026, 4, 2), True)
    # The movement page's results, as the other apps compute them.
    figures = {r.code: r.compute([work.pk]).get(work.pk, 0) for r in results()}
    assert figures == {
        "initiatives_submitted": 20,
        "initiatives_recognised": 17,
        "initiatives_benefit_vnd": 1_508_000_000,
        "awards_decided": 45,
        "activities_held": 1,
        "activity_participants": 150,
        "models_registered": 3,
        "models_effective": 1,
    }

    # Commendations: eight decisions, 46 awards of which one revoked, two nominations.
    assert Decision.objects.count() == 8
    assert dict(Award.objects.values_list("award_type__code").annotate(n=Count("pk"))) == {
        "lao_dong_tien_tien": 42,
        "chien_si_thi_dua_co_so": 3,
        "tap_the_lao_dong_tien_tien": 1,
    }
    revoked = Award.objects.get(revoked_on__isnull=False)
    assert (revoked.award_type.code, revoked.year, revoked.revocation_reason, revoked.recovered_vnd) == (
        "lao_dong_tien_tien",
        2024,
        "criteria_not_met",
        702_000,
    )
    assert Award.objects.aggregate(total=Sum("bonus_vnd"))["total"] == 42 * 702_000 + 3 * 2_340_000 + 1_872_000
    assert sorted(Decision.objects.values_list("granting_unit__code", flat=True)) == sorted(
        ["DN", "DN", "DN-TBM", "DN-E-016", "DN-E-016", "DN-E-017", "DN-E-017", "DN-E-017"]
    )
    assert sorted(Nomination.objects.values_list("award_type__code", "year", "status")) == [
        ("bang_lao_dong_sang_tao", 2025, "submitted"),
        ("tap_the_lao_dong_xuat_sac", 2025, "draft"),
    ]
    actions = dict(AuditEntry.objects.values_list("action").annotate(n=Count("pk")))
    assert (actions["movement.launch"], actions["initiative.recognise"], actions["decision.create"]) == (2, 17, 8)
    assert (actions["movement.registration_create"], actions["award.revoke"], actions["nomination.submit"]) == (
        194,
        1,
        1,
    )

    # The known member holds Lao động tiên tiến 2025 and co-authored an initiative recognised in 2025 (60 % of
    # ₫180,000,000 that year), in a union of 9 advanced workers with no Chiến sĩ thi đua cơ sở yet: eligible.
    known = Person.objects.get(full_name="Nguyễn Văn Đệ")
    with translation.override("en"):
        fighter = evaluate(
            award_type=AwardType.objects.get(code="chien_si_thi_dua_co_so"), year=2025, people=[known], today=day
        )[known.pk]
        creative = evaluate(
            award_type=AwardType.objects.get(code="bang_lao_dong_sang_tao"), year=2025, people=[known], today=day
        )[known.pk]
    assert fighter.eligible is True
    assert [(r.code, r.outcome) for r in fighter.reasons] == [
        ("holds", "pass"),
        ("any", "pass"),
        ("already_awarded", "pass"),
        ("quota", "pass"),
    ]
    assert fighter.reasons[3].message == (
        "Quota of Grassroots union of Song May Wood Processing Co., Ltd. for 2025: 0 of at most 1 "
        "(15% of 9 Advanced Worker)."
    )
    # For the Creative Labour Certificate the benefit passes, but education is not recorded and he is nominated.
    assert creative.eligible is None
    assert [(r.code, r.outcome) for r in creative.reasons] == [
        ("any", "review"),
        ("already_awarded", "pass"),
        ("already_nominated", "review"),
    ]
    branch = creative.reasons[0].children[0]
    assert [(r.code, r.outcome) for r in branch.children] == [
        ("education", "review"),
        ("not_officer", "pass"),
        ("any", "pass"),
    ]
    assert branch.children[2].children[0].message == "Benefit from one initiative in 2025: ₫108,000,000 ≥ ₫80,000,000."


def test_demo_activities_story_has_exact_figures():
    from django.db.models import Sum
    from django.utils import translation

    from unionhall.activities.models import Activity, Attendee
    from unionhall.democracy.models import Dialogue, EmployeeConference
    from unionhall.democracy.selectors import compliance_counts
    from unionhall.practices.models import Practice
    from unionhall.programmes.models import Programme
    from unionhall.programmes.selectors import programme_totals

    out = run("demo").splitlines()
    assert out[2] == (
        "Activities: 1 joint programme, 6 models (3 recognised as effective), 29 activities with 3,285 "
        "participants, 9 workplace dialogues, 9 employee conferences."
    )
    per_kind = dict(Activity.objects.values_list("kind__code").annotate(n=Sum("participants")))
    assert per_kind == {
        "cultural_sports": 660,
        "dissemination": 1201,
        "employee_conference": 674,
        "leader_dialogue": 340,
        "summary_conference": 150,
        "training": 25,
        "welfare_visit": 45,
        "workplace_dialogue": 190,
    }
    # Rosters: two sessions and a training, each with one non-member; nobody twice.
    assert Attendee.objects.count() == 24 + 1 + 40 + 1 + 30 + 1
    assert Attendee.objects.filter(person__isnull=True).count() == 3
    # One dialogue's employee side was too small for its headcount (240 employees: 9 to 13), confirmed.
    ((employer, issues, confirmed),) = Dialogue.objects.exclude(composition_issues=[]).values_list(
        "employer__code", "composition_issues", "composition_confirmed_by"
    )
    assert (employer, [i["code"] for i in issues], confirmed) == (
        "DN-E-019",
        ["employee_side_short"],
        User.objects.get(username="admin").pk,
    )
    assert EmployeeConference.objects.count() == 9
    # On 26 November 2026, of the twelve employers with a union in the province:
    counts = compliance_counts(actor=User.objects.get(username="admin"), unit=unit("DN"), today=dt.date(2026, 11, 26))
    assert (counts.employers, dict(counts.overall), dict(counts.dialogue), dict(counts.conference)) == (
        12,
        {"overdue": 8, "due_soon": 2, "up_to_date": 2},
        {"overdue": 7, "due_soon": 2, "up_to_date": 3},
        {"overdue": 8, "due_soon": 2, "up_to_date": 2},
    )
    assert sorted(Practice.objects.filter(recognised_on__isnull=False).values_list("code", flat=True)) == [
        "camera-an-ninh-kcn-bien-hoa",
        "dan-van-kheo-tb",
        "to-tu-quan-nha-tro-an-binh",
    ]
    programme = Programme.objects.get()
    with translation.override("en"):
        sections = {
            s.code: [(str(line.label), line.value) for line in s.lines]
            for s in programme_totals([programme])[programme.pk]
        }
    assert sections == {
        "models": [("Models registered", 3), ("Models recognised as effective", 2)],
        "activities": [
            ("Dissemination / propaganda session", 3),
            ("Dialogue between leaders and workers or citizens", 1),
            ("Participants", 1469),
        ],
    }


def test_demo_reports_story_has_exact_figures():
    from unionhall.reports import periods
    from unionhall.reports.figures import summary_build
    from unionhall.reports.models import ReportingRound
    from unionhall.reports.selectors import round_status

    out = run("demo").splitlines()
    assert (
        out[3]
        == "Reports: 7 targets for 2025, 2 reported figures, 3 reports submitted to the province (one sent back)."
    )
    province = Unit.objects.get(code="DN")
    report = summary_build(unit=province, period=periods.year(2025), today=dt.date(2026, 11, 26))
    assert report.as_of is not None  # the demo builds the roll-ups
    assert {
        code: report.total.value(code) for code in ("members.active", "members.joined", "initiatives.benefit_vnd")
    } == {
        "members.active": 317,
        "members.joined": 58,
        "initiatives.benefit_vnd": 1_235_000_000,
    }
    # Long Bình's reported sessions are added to the 14 recorded ones, and marked.
    assert (report.total.value("activities.count"), report.total.value("activities.participants")) == (20, 1582)
    assert report.total.figures["activities.count"].reported
    assert {c: (p.target, p.value, str(p.percent)) for c, p in report.total.targets.items()} == {
        "members.joined": (50, 58, "116.00")
    }
    rows = {row.unit.code: row for row in report.children}
    assert {c: str(p.percent) for c, p in rows["DN-KCN-BH"].targets.items()} == {
        "activities.count": "125.00",
        "members.joined": "125.00",
    }
    assert str(rows["DN-TBM"].targets["members.joined"].percent) == "80.00"
    # The joint programme's activities count for the police and the Fatherland Front alike.
    assert rows["DN-CA"].value("programmes.activities") == rows["DN-MTTQ"].value("programmes.activities") == 2
    status = round_status(reporting_round=ReportingRound.objects.get(unit=province), today=dt.date(2026, 11, 26))
    states = {row.unit.code: row.state for row in status.children}
    assert (states["DN-KCN-BH"], states["DN-TBM"], states["DN-TB"], states["DN-LB"]) == (
        "submitted",
        "submitted_late",
        "returned",
        "late",
    )
