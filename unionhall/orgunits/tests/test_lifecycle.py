"""Lifecycle services on the unit tree: establish, rename, transfer, merge, split, dissolve.

Every refusal is checked against a snapshot of units, placements, events, grants and the audit log.
"""

import contextlib
import datetime as dt
import unicodedata

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import grant, make_user
from unionhall.access.models import RoleGrant
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.orgunits import lifecycle, paths, selectors, services
from unionhall.orgunits.models import Unit, UnitEvent, UnitPlacement, UnitType
from unionhall.orgunits.services import Decision, SplitPart, UnitDetails

FOUNDED = dt.date(2020, 1, 1)
DAY = dt.date(2024, 6, 1)
TODAY = dt.date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _vietnamese():
    """Audit labels are names in the writer's language; these tests write as a Vietnamese reader."""
    with translation.override("vi"):
        yield


# ---------------------------------------------------------------- helpers


def db_state() -> dict:
    """Everything a lifecycle operation may touch."""
    return {
        "units": list(
            Unit.objects.order_by("pk").values_list(
                "code", "path", "parent_id", "depth", "status", "version", "ended_date", "merged_into_id", "name_vi"
            )
        ),
        "placements": list(
            UnitPlacement.objects.order_by("pk").values_list("unit_id", "parent_id", "path", "valid_from", "valid_to")
        ),
        "events": UnitEvent.objects.count(),
        "grants": list(RoleGrant.objects.order_by("pk").values_list("user_id", "role_id", "unit_id", "revoked_at")),
        "audit": AuditEntry.objects.count(),
    }


def refused(error_type, service, /, **kwargs):
    """Call `service`, expect `error_type`, and check that nothing changed."""
    before = db_state()
    with pytest.raises(error_type) as info:
        service(**kwargs)
    assert type(info.value) is error_type
    assert db_state() == before
    return info.value


def utype(code: str) -> UnitType:
    return UnitType.objects.get(code=code)


def decision(day: dt.date = DAY, reason: str = "Theo quyết định", ref: str = "") -> Decision:
    return Decision(day, reason, ref)


def establish(actor, parent, code, type_code="grassroots_union", *, day=DAY, name=None) -> Unit:
    return services.unit_establish(
        actor=actor,
        parent=parent,
        unit_type=utype(type_code),
        code=code,
        names={"vi": name or f"Đơn vị {code}"},
        decision=decision(day, "Thành lập"),
        today=TODAY,
    )


def unit(code: str) -> Unit:
    return Unit.objects.select_related("type", "parent").get(code=code)


def placements(code: str) -> list[tuple]:
    """(parent code, path, from, until) of one unit, oldest first."""
    rows = UnitPlacement.objects.filter(unit__code=code).order_by("valid_from", "pk")
    return [(p.parent.code if p.parent else None, p.path, p.valid_from, p.valid_to) for p in rows]


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def audit_since(last_id: int) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(id__gt=last_id)
        .order_by("id")
        .values_list("action", "object_type", "object_label", "before", "after")
    )


def last_audit_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def seg(u: Unit) -> str:
    return paths.segment(u.pk)


@pytest.fixture
def participant():
    """A fake lifecycle participant (e.g. memberships) that records the calls it gets."""

    class Recorder:
        def __init__(self):
            self.calls = []

        def units_dissolved(self, *, actor, unit_ids, day, reason):
            self.calls.append(("dissolved", actor.username, list(unit_ids), day, reason))

        def units_merged(self, *, actor, source_ids, target_id, day, reason):
            self.calls.append(("merged", actor.username, list(source_ids), target_id, day, reason))

        def unit_split(self, *, actor, unit_id, part_ids, day, reason):
            self.calls.append(("split", actor.username, unit_id, list(part_ids), day, reason))

    recorder = Recorder()
    lifecycle.register(recorder)
    try:
        yield recorder
    finally:
        lifecycle._participants.remove(recorder)


# ---------------------------------------------------------------- establish


def test_establish_writes_unit_placement_event_and_audit(cast):
    mark = last_audit_id()
    nfd = unicodedata.normalize("NFD", "Công đoàn cơ sở Công ty Nguyễn Trãi")
    returned = services.unit_establish(
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("grassroots_union"),
        code=" dn-tb-003 ",
        names={"vi": nfd, "en": "  Nguyen Trai company union "},
        decision=Decision(DAY, " Thành lập mới ", "QĐ-12/LĐLĐ"),
        details=UnitDetails(address=" 12 Đường 30/4 "),
        today=TODAY,
    )
    created = unit("DN-TB-003")  # as stored
    assert (returned.pk, returned.path) == (created.pk, created.path)
    assert created.name_vi == "Công đoàn cơ sở Công ty Nguyễn Trãi"
    assert unicodedata.is_normalized("NFC", created.name_vi)
    assert (created.name_en, created.name_ar, created.name_fa) == ("Nguyen Trai company union", "", "")
    assert created.search_name == "dn-tb-003 cong doan co so cong ty nguyen trai nguyen trai company union"
    assert created.address == "12 Đường 30/4"
    assert created.parent == cast.commune
    assert created.path == cast.commune.path + seg(created)
    assert (created.depth, created.status, created.version) == (3, "active", 1)
    assert (created.established_date, created.ended_date) == (DAY, None)
    assert placements("DN-TB-003") == [("DN-TB", created.path, DAY, None)]
    [event] = UnitEvent.objects.filter(unit=created)
    assert (event.kind, event.effective_date, event.reason, event.decision_ref) == (
        "establish",
        DAY,
        "Thành lập mới",
        "QĐ-12/LĐLĐ",
    )
    assert (event.related_unit, event.details, event.actor_id) == (cast.commune, {}, cast.parent.pk)
    [entry] = AuditEntry.objects.filter(id__gt=mark)
    assert (entry.action, entry.object_type, entry.object_id) == ("unit.establish", "orgunits.unit", str(created.pk))
    assert (entry.actor_id, entry.actor_label, entry.unit_id, entry.unit_path) == (
        cast.parent.pk,
        "parent",
        created.pk,
        created.path,
    )
    assert entry.reason == "2024-06-01: Thành lập mới [QĐ-12/LĐLĐ]"
    assert entry.before is None
    assert entry.after == {
        "code": "DN-TB-003",
        "name_vi": "Công đoàn cơ sở Công ty Nguyễn Trãi",
        "name_en": "Nguyen Trai company union",
        "name_ar": "",
        "name_fa": "",
        "type": "grassroots_union",
        "status": "active",
        "parent": "DN-TB",
        "address": "12 Đường 30/4",
        "province_id": None,
        "commune_id": None,
        "employer_id": None,
        "established_date": "2024-06-01",
        "ended_date": None,
    }
    # The NFD and NFC spellings find the same unit.
    for query in ("Nguyễn Trãi", unicodedata.normalize("NFD", "Nguyễn Trãi"), "nguyen trai", "NGUYEN TRAI"):
        assert codes(selectors.unit_search(actor=cast.parent, query=query)) == {"DN-TB-003"}


def test_establish_on_the_effective_date_today_is_allowed(cast):
    created = services.unit_establish(
        actor=cast.admin,
        parent=cast.commune,
        unit_type=utype("professional_union"),
        code="DN-TB-NGH",
        names={"vi": "Nghiệp đoàn xe ôm"},
        decision=decision(TODAY),
        today=TODAY,
    )
    assert created.established_date == TODAY


def test_top_level_units_are_for_national_administrators(cast):
    error = refused(
        Forbidden,
        services.unit_establish,
        actor=cast.outsider,
        parent=None,
        unit_type=utype("confederation"),
        code="VN2",
        names={"vi": "Tổng Liên đoàn 2"},
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "forbidden"
    created = services.unit_establish(
        actor=cast.admin,
        parent=None,
        unit_type=utype("confederation"),
        code="VN2",
        names={"vi": "Tổng Liên đoàn 2"},
        decision=decision(),
        today=TODAY,
    )
    assert (created.parent, created.path, created.depth) == (None, seg(created), 0)


@pytest.mark.parametrize("code", ["DN-TB-001", "dn-tb-001", " DN-TB-001 "])
def test_establish_refuses_a_used_code(cast, code):
    error = refused(
        Conflict,
        services.unit_establish,
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("grassroots_union"),
        code=code,
        names={"vi": "Trùng mã"},
        decision=decision(),
        today=TODAY,
    )
    assert (error.status, error.field) == (409, "code")


@pytest.mark.parametrize("code", ["", "DN TB 3", "-DN", "DN/3", "ĐN-3", "X" * 41, "DN\x00"])
def test_establish_refuses_a_malformed_code(cast, code):
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("grassroots_union"),
        code=code,
        names={"vi": "Mã sai"},
        decision=decision(),
        today=TODAY,
    )
    assert error.field == "code"


@pytest.mark.parametrize(
    ("names", "field", "code"),
    [
        ({"vi": "Công\x00đoàn"}, "name_vi", "bad_characters"),
        ({"vi": "Công đoàn \ud800"}, "name_vi", "bad_characters"),
        ({"vi": "Công đoàn", "fa": "اتحادیه\x00"}, "name_fa", "bad_characters"),
        ({"vi": "   "}, "name_vi", "invalid"),
        ({"en": "Only English"}, "name_vi", "invalid"),
        ({"vi": "A" * 301}, "name_vi", "invalid"),
    ],
)
def test_establish_refuses_bad_names(cast, names, field, code):
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("grassroots_union"),
        code="DN-TB-009",
        names=names,
        decision=decision(),
        today=TODAY,
    )
    assert (error.field, error.code) == (field, code)


@pytest.mark.parametrize(
    ("dec", "field"),
    [
        (Decision(TODAY + dt.timedelta(days=1), "Thành lập"), "effective_date"),
        (Decision(DAY, ""), "reason"),
        (Decision(DAY, "  \n "), "reason"),
        (Decision(DAY, "Lý do\x00"), "reason"),
        (Decision(DAY, "Thành lập", "Q" * 101), "decision_ref"),
        (Decision(dt.date(2019, 12, 31), "Trước khi đơn vị cha thành lập"), "effective_date"),
    ],
)
def test_establish_refuses_bad_decisions(cast, dec, field):
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("grassroots_union"),
        code="DN-TB-009",
        names={"vi": "Công đoàn"},
        decision=dec,
        today=TODAY,
    )
    assert error.field == field


def test_establish_refuses_a_type_the_parent_may_not_hold(cast):
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.parent,
        parent=cast.commune,
        unit_type=utype("union_section"),
        code="DN-TB-S9",
        names={"vi": "Công đoàn bộ phận"},
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "type_not_allowed"


def test_establish_refuses_a_dissolved_parent(cast):
    services.unit_dissolve(actor=cast.admin, units=[cast.sibling_unit], decision=decision(), today=TODAY)
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.admin,
        parent=cast.sibling_unit,
        unit_type=utype("union_section"),
        code="DN-TB-002-S1",
        names={"vi": "Công đoàn bộ phận"},
        decision=decision(TODAY),
        today=TODAY,
    )
    assert error.code == "inactive_unit"


def test_establish_refuses_a_date_before_the_parent_stood_where_it_stands(cast):
    # DN-TB-002 moved under KH on DAY; a unit founded earlier could not have been under it at KH.
    services.unit_transfer(
        actor=cast.admin, units=[cast.sibling_unit], new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    error = refused(
        DomainError,
        services.unit_establish,
        actor=cast.admin,
        parent=unit("DN-TB-002"),
        unit_type=utype("union_section"),
        code="DN-TB-002-S1",
        names={"vi": "Công đoàn bộ phận"},
        decision=decision(DAY - dt.timedelta(days=1)),
        today=TODAY,
    )
    assert error.field == "effective_date"


@pytest.mark.parametrize("actor", ["sibling", "outsider", "officer"])
def test_establish_outside_scope_is_not_found(cast, actor):
    refused(
        NotFound,
        services.unit_establish,
        actor=getattr(cast, actor),
        parent=cast.commune if actor == "officer" else cast.unit,
        unit_type=utype("grassroots_union" if actor == "officer" else "union_section"),
        code="NEW-1",
        names={"vi": "Mới"},
        decision=decision(),
        today=TODAY,
    )


def test_establish_with_a_unit_scope_grant_on_the_parent(cast):
    """A lifecycle grant on a unit alone is enough to found units directly under it."""
    clerk = make_user("clerk")
    grant(clerk, cast.unit, scope="unit")
    created = establish(clerk, cast.unit, "DN-TB-001-S2", "union_section")
    assert created.parent == cast.unit


# ---------------------------------------------------------------- rename


def test_rename_writes_event_and_audit(cast):
    mark = last_audit_id()
    nfd = unicodedata.normalize("NFD", "Công đoàn cơ sở Công ty Sông Mây Mới")
    renamed = services.unit_rename(
        actor=cast.officer,
        unit=cast.unit,
        names={"vi": nfd, "en": "Song May union"},
        decision=Decision(DAY, "Đổi tên công ty", "QĐ-7"),
        today=TODAY,
    )
    assert renamed.name_vi == "Công đoàn cơ sở Công ty Sông Mây Mới"
    assert (renamed.name_en, renamed.version) == ("Song May union", 2)
    assert renamed.search_name == "dn-tb-001 cong doan co so cong ty song may moi song may union"
    before = {
        "name_vi": "Công đoàn cơ sở Công ty Sông Mây",
        "name_en": "",
        "name_ar": "",
        "name_fa": "",
    }
    after = {
        "name_vi": "Công đoàn cơ sở Công ty Sông Mây Mới",
        "name_en": "Song May union",
        "name_ar": "",
        "name_fa": "",
    }
    [event] = UnitEvent.objects.filter(unit=cast.unit, kind="rename")
    assert (event.effective_date, event.reason, event.decision_ref, event.actor_id) == (
        DAY,
        "Đổi tên công ty",
        "QĐ-7",
        cast.officer.pk,
    )
    assert event.details == {"before": before, "after": after}
    assert audit_since(mark) == [
        ("unit.rename", "orgunits.unit", "Công đoàn cơ sở Công ty Sông Mây Mới", before, after)
    ]
    assert AuditEntry.objects.get(id__gt=mark).reason == "2024-06-01: Đổi tên công ty [QĐ-7]"
    # Placements and paths are untouched by a rename.
    assert placements("DN-TB-001") == [("DN-TB", cast.unit.path, FOUNDED, None)]


def test_rename_to_the_same_names_is_refused(cast):
    nfd_same = unicodedata.normalize("NFD", "Công đoàn cơ sở Công ty Sông Mây")
    error = refused(
        DomainError,
        services.unit_rename,
        actor=cast.officer,
        unit=cast.unit,
        names={"vi": f" {nfd_same} "},
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "unchanged"


def test_rename_refusals(cast):
    refused(
        NotFound,
        services.unit_rename,
        actor=cast.sibling,
        unit=cast.unit,
        names={"vi": "Tên mới"},
        decision=decision(),
        today=TODAY,
    )
    refused(
        DomainError,
        services.unit_rename,
        actor=cast.officer,
        unit=cast.unit,
        names={"vi": "Tên\x00mới"},
        decision=decision(),
        today=TODAY,
    )
    refused(
        DomainError,
        services.unit_rename,
        actor=cast.officer,
        unit=cast.unit,
        names={"vi": "Tên mới"},
        decision=decision(reason=""),
        today=TODAY,
    )
    services.unit_dissolve(actor=cast.admin, units=[cast.sibling_unit], decision=decision(), today=TODAY)
    error = refused(
        DomainError,
        services.unit_rename,
        actor=cast.admin,
        unit=cast.sibling_unit,
        names={"vi": "Tên mới"},
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "inactive_unit"


# ---------------------------------------------------------------- update details (P28)


def test_update_details_refuses_a_stale_version(cast):
    first = services.unit_update_details(
        actor=cast.officer, unit=cast.unit, version=1, details=UnitDetails(address="Số 1 Đồng Khởi")
    )
    assert (first.address, first.version) == ("Số 1 Đồng Khởi", 2)
    error = refused(
        Conflict,
        services.unit_update_details,
        actor=cast.parent,
        unit=cast.unit,
        version=1,
        details=UnitDetails(address="Số 2 Đồng Khởi"),
    )
    assert error.code == "stale"
    assert (unit("DN-TB-001").address, unit("DN-TB-001").version) == ("Số 1 Đồng Khởi", 2)
    [entry] = AuditEntry.objects.filter(action="unit.update")
    assert (entry.before, entry.after) == (
        {"address": "", "province_id": None, "commune_id": None, "employer_id": None},
        {"address": "Số 1 Đồng Khởi", "province_id": None, "commune_id": None, "employer_id": None},
    )
    refused(
        NotFound,
        services.unit_update_details,
        actor=cast.sibling,
        unit=cast.unit,
        version=2,
        details=UnitDetails(address="x"),
    )


# ---------------------------------------------------------------- transfer


def test_transfer_rewrites_the_subtree_and_keeps_history(cast):
    old_unit_path, old_section_path = cast.unit.path, cast.section.path
    mark = last_audit_id()
    plan = services.unit_transfer(
        actor=cast.admin,
        units=[cast.unit],
        new_parent=cast.other_province,
        decision=Decision(DAY, "Chuyển về LĐLĐ tỉnh Khánh Hòa", "QĐ-99"),
        today=TODAY,
    )
    assert (plan.kind, plan.subtree_size, plan.target) == ("transfer", 2, cast.other_province)
    moved, section = unit("DN-TB-001"), unit("DN-TB-001-S1")
    assert moved.parent == cast.other_province
    assert moved.path == cast.other_province.path + seg(moved)
    assert section.path == moved.path + seg(section)
    assert (moved.depth, section.depth) == (2, 3)
    assert (moved.version, section.version) == (2, 1)
    assert section.parent == moved
    assert placements("DN-TB-001") == [
        ("DN-TB", old_unit_path, FOUNDED, DAY),
        ("KH", moved.path, DAY, None),
    ]
    assert placements("DN-TB-001-S1") == [
        ("DN-TB-001", old_section_path, FOUNDED, DAY),
        ("DN-TB-001", section.path, DAY, None),
    ]
    before, after = DAY - dt.timedelta(days=1), DAY
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=before)) == {
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
    }
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=after)) == {"DN-TB", "DN-TB-002"}
    assert codes(selectors.unit_subtree(unit=cast.commune)) == {"DN-TB", "DN-TB-002"}
    assert codes(selectors.unit_subtree(unit=cast.other_province, as_of=before)) == {"KH"}
    assert codes(selectors.unit_subtree(unit=cast.other_province, as_of=after)) == {"KH", "DN-TB-001", "DN-TB-001-S1"}
    assert [u.code for u in selectors.unit_ancestors(unit=section, as_of=before)] == ["VN", "DN", "DN-TB", "DN-TB-001"]
    assert [u.code for u in selectors.unit_ancestors(unit=section, as_of=after)] == ["VN", "KH", "DN-TB-001"]
    assert [u.code for u in selectors.unit_ancestors(unit=section)] == ["VN", "KH", "DN-TB-001"]
    [event] = UnitEvent.objects.filter(kind="transfer")
    assert (event.unit, event.related_unit, event.effective_date, event.decision_ref) == (
        moved,
        cast.other_province,
        DAY,
        "QĐ-99",
    )
    assert event.details == {"from": "DN-TB", "to": "KH", "units_moved": 2}
    assert audit_since(mark) == [
        (
            "unit.transfer",
            "orgunits.unit",
            "Công đoàn cơ sở Công ty Sông Mây",
            {"parent": "DN-TB", "path": old_unit_path},
            {"parent": "KH", "path": moved.path, "units_moved": 2},
        )
    ]


def test_transfer_moves_the_scope_with_the_unit(cast):
    services.unit_transfer(
        actor=cast.admin, units=[cast.unit], new_parent=cast.other_province, decision=decision(), today=TODAY
    )

    def sees(username):
        fresh = type(cast.admin).objects.get(username=username)
        return codes(Unit.objects.visible_to(fresh, "unit.view"))

    assert sees("parent") == {"DN-TB", "DN-TB-002"}
    assert sees("outsider") == {"KH", "DN-TB-001", "DN-TB-001-S1"}
    assert sees("officer") == {"DN-TB-001", "DN-TB-001-S1"}


def test_a_parent_officer_moves_a_section_between_its_grassroots_unions(cast):
    services.unit_transfer(
        actor=cast.parent, units=[cast.section], new_parent=cast.sibling_unit, decision=decision(), today=TODAY
    )
    assert unit("DN-TB-001-S1").path == cast.sibling_unit.path + seg(cast.section)


@pytest.mark.parametrize("target", ["unit", "section"])
def test_transfer_under_itself_or_its_descendant_is_refused(cast, target):
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.unit],
        new_parent=getattr(cast, target),
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "cycle"
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.province],
        new_parent=getattr(cast, target),
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "cycle"


@pytest.mark.parametrize(("moved", "target"), [("unit", "root"), ("section", "commune"), ("sibling_unit", "section")])
def test_transfer_under_a_type_that_may_not_hold_it_is_refused(cast, moved, target):
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[getattr(cast, moved)],
        new_parent=getattr(cast, target),
        decision=decision(),
        today=TODAY,
    )
    assert error.code == "type_not_allowed"


def test_transfer_into_a_dissolved_unit_is_refused(cast):
    services.unit_dissolve(actor=cast.admin, units=[cast.other_province], decision=decision(), today=TODAY)
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.unit],
        new_parent=cast.other_province,
        decision=decision(TODAY),
        today=TODAY,
    )
    assert error.code == "inactive_unit"


def test_transfer_of_a_dissolved_unit_is_refused(cast):
    services.unit_dissolve(actor=cast.admin, units=[cast.sibling_unit], decision=decision(), today=TODAY)
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.sibling_unit],
        new_parent=cast.other_province,
        decision=decision(TODAY),
        today=TODAY,
    )
    assert error.code == "inactive_unit"


def test_transfer_of_nested_listed_units_is_refused(cast):
    p1 = establish(cast.admin, cast.root, "CA-1", "police_department")
    p2 = establish(cast.admin, p1, "CA-1-1", "police_department")
    p3 = establish(cast.admin, cast.root, "CA-2", "police_department")
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[p1, p2],
        new_parent=p3,
        decision=decision(),
        today=TODAY,
    )
    assert error.field == "units"
    assert "CA-1-1" in str(error)


def test_transfer_other_refusals(cast):
    for kwargs in (
        {"units": [], "new_parent": cast.other_province},
        {"units": [cast.unit, cast.unit], "new_parent": cast.other_province},
        {"units": [cast.unit], "new_parent": cast.commune},  # already there
        {"units": [cast.root], "new_parent": cast.other_province},
    ):
        error = refused(
            DomainError, services.unit_transfer, actor=cast.admin, decision=decision(), today=TODAY, **kwargs
        )
        assert error.field == "units"
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.unit],
        new_parent=cast.other_province,
        decision=decision(TODAY + dt.timedelta(days=1)),
        today=TODAY,
    )
    assert error.field == "effective_date"


def test_transfer_dated_before_the_last_change_is_refused(cast):
    services.unit_transfer(
        actor=cast.admin, units=[cast.unit], new_parent=cast.other_province, decision=decision(DAY), today=TODAY
    )
    # The unit itself changed on DAY.
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[unit("DN-TB-001")],
        new_parent=cast.province,
        decision=decision(DAY - dt.timedelta(days=1)),
        today=TODAY,
    )
    assert error.field == "effective_date"
    # A unit inside the moved subtree changed on DAY.
    services.unit_transfer(
        actor=cast.admin,
        units=[unit("DN-TB-001-S1")],
        new_parent=cast.sibling_unit,
        decision=decision(DAY),
        today=TODAY,
    )
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.sibling_unit],
        new_parent=cast.other_province,
        decision=decision(DAY - dt.timedelta(days=1)),
        today=TODAY,
    )
    assert error.field == "effective_date"


def test_transfer_under_a_parent_that_only_stands_there_later_is_refused(cast):
    """DN-TB-002 moved under KH on DAY: putting S1 under it earlier would invent a place in the tree."""
    services.unit_transfer(
        actor=cast.admin, units=[cast.sibling_unit], new_parent=cast.other_province, decision=decision(DAY), today=TODAY
    )
    error = refused(
        DomainError,
        services.unit_transfer,
        actor=cast.admin,
        units=[cast.section],
        new_parent=unit("DN-TB-002"),
        decision=decision(DAY - dt.timedelta(days=1)),
        today=TODAY,
    )
    assert error.field == "effective_date"
    # On or after DAY it is fine.
    services.unit_transfer(
        actor=cast.admin, units=[cast.section], new_parent=unit("DN-TB-002"), decision=decision(DAY), today=TODAY
    )
    assert codes(selectors.unit_subtree(unit=cast.other_province, as_of=DAY)) == {"KH", "DN-TB-002", "DN-TB-001-S1"}


def test_transfer_twice_on_the_same_day_leaves_no_empty_placement(cast):
    old_path = cast.unit.path
    services.unit_transfer(
        actor=cast.admin, units=[cast.unit], new_parent=cast.province, decision=decision(), today=TODAY
    )
    services.unit_transfer(
        actor=cast.admin, units=[unit("DN-TB-001")], new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    moved = unit("DN-TB-001")
    assert placements("DN-TB-001") == [("DN-TB", old_path, FOUNDED, DAY), ("KH", moved.path, DAY, None)]
    assert [p[2:] for p in placements("DN-TB-001-S1")] == [(FOUNDED, DAY), (DAY, None)]
    assert not UnitPlacement.objects.filter(valid_to__isnull=False, valid_from__gte=DAY).exists()
    assert codes(selectors.unit_subtree(unit=cast.province, as_of=DAY)) == {"DN", "DN-TB", "DN-TB-002"}
    assert codes(selectors.unit_subtree(unit=cast.other_province, as_of=DAY)) == {"KH", "DN-TB-001", "DN-TB-001-S1"}
    assert UnitEvent.objects.filter(kind="transfer", unit=moved).count() == 2
    assert moved.version == 3


def test_transfer_the_day_a_unit_was_founded_replaces_its_first_placement(cast):
    new = establish(cast.admin, cast.commune, "DN-TB-010", day=DAY)
    services.unit_transfer(
        actor=cast.admin, units=[new], new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    assert placements("DN-TB-010") == [("KH", unit("DN-TB-010").path, DAY, None)]


def test_bulk_transfer_of_sixty_grassroots_unions(cast):
    created = [establish(cast.admin, cast.commune, f"DN-TB-1{i:02d}", day=dt.date(2021, 1, 1)) for i in range(60)]
    mark, events_before = last_audit_id(), UnitEvent.objects.count()
    plan = services.unit_transfer(
        actor=cast.admin, units=created, new_parent=cast.other_province, decision=decision(), today=TODAY
    )
    assert plan.subtree_size == 60
    kh = cast.other_province
    assert codes(Unit.objects.filter(parent=kh)) == {f"DN-TB-1{i:02d}" for i in range(60)}
    for u in Unit.objects.filter(parent=kh):
        assert (u.path, u.depth, u.version) == (kh.path + seg(u), 2, 2)
        assert placements(u.code) == [
            ("DN-TB", cast.commune.path + seg(u), dt.date(2021, 1, 1), DAY),
            ("KH", u.path, DAY, None),
        ]
    events = UnitEvent.objects.filter(kind="transfer")
    assert UnitEvent.objects.count() - events_before == 60
    assert sorted(e.unit_id for e in events) == sorted(u.pk for u in created)
    assert len({e.operation for e in events}) == 1
    entries = audit_since(mark)
    assert len(entries) == 60
    assert {(a, t) for a, t, *_ in entries} == {("unit.transfer", "orgunits.unit")}
    assert codes(Unit.objects.filter(parent=cast.commune)) == {"DN-TB-001", "DN-TB-002"}


def test_transfer_out_of_scope_is_not_found(cast):
    # The sibling's officer does not see DN-TB-001.
    refused(
        NotFound,
        services.unit_transfer,
        actor=cast.sibling,
        units=[cast.unit],
        new_parent=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )
    # The unit's officer does not see the sibling it would move to.
    refused(
        NotFound,
        services.unit_transfer,
        actor=cast.officer,
        units=[cast.unit],
        new_parent=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )
    refused(
        NotFound,
        services.unit_transfer,
        actor=cast.officer,
        units=[cast.section],
        new_parent=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )
    # Nor can the unit's officer move the unit's parent, which they only see from below.
    refused(
        NotFound,
        services.unit_transfer,
        actor=cast.officer,
        units=[cast.commune],
        new_parent=cast.province,
        decision=decision(),
        today=TODAY,
    )
    refused(
        NotFound,
        services.unit_transfer,
        actor=cast.parent,
        units=[cast.unit],
        new_parent=cast.other_province,
        decision=decision(),
        today=TODAY,
    )


def test_a_unit_scope_grant_does_not_allow_moving_the_subtree(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, scope="unit")
    grant(clerk, cast.other_province)
    refused(
        NotFound,
        services.unit_transfer,
        actor=clerk,
        units=[cast.unit],
        new_parent=cast.other_province,
        decision=decision(),
        today=TODAY,
    )


def test_an_officer_without_lifecycle_rights_cannot_transfer(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.commune, role="officer")
    refused(
        NotFound,
        services.unit_transfer,
        actor=clerk,
        units=[cast.section],
        new_parent=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )


# ---------------------------------------------------------------- merge


def test_merge_moves_children_and_ends_the_sources(cast, participant):
    mark = last_audit_id()
    old_section_path = cast.section.path
    plan = services.unit_merge(
        actor=cast.parent,
        sources=[cast.unit],
        target=cast.sibling_unit,
        decision=Decision(DAY, "Hợp nhất hai công ty", "QĐ-5"),
        today=TODAY,
    )
    assert (plan.kind, plan.subtree_size) == ("merge", 2)
    source, target, section = unit("DN-TB-001"), unit("DN-TB-002"), unit("DN-TB-001-S1")
    assert (source.status, source.merged_into, source.ended_date, source.version) == ("merged", target, DAY, 2)
    assert (target.status, target.version) == ("active", 1)
    assert section.parent == target
    assert section.path == target.path + seg(section)
    assert (section.depth, section.version) == (4, 2)
    assert placements("DN-TB-001") == [("DN-TB", source.path, FOUNDED, DAY)]
    assert placements("DN-TB-001-S1") == [
        ("DN-TB-001", old_section_path, FOUNDED, DAY),
        ("DN-TB-002", section.path, DAY, None),
    ]
    events = UnitEvent.objects.filter(effective_date=DAY).order_by("pk")
    assert [(e.kind, e.unit.code, e.related_unit.code, e.details) for e in events] == [
        ("transfer", "DN-TB-001-S1", "DN-TB-002", {"from": "DN-TB-001", "to": "DN-TB-002", "units_moved": 1}),
        ("merge", "DN-TB-001", "DN-TB-002", {"into": "DN-TB-002"}),
    ]
    assert len({e.operation for e in events}) == 1
    assert [e[:3] for e in audit_since(mark)] == [
        ("unit.transfer", "orgunits.unit", "Công đoàn bộ phận Sản xuất"),
        ("unit.merge", "orgunits.unit", "Công đoàn cơ sở Công ty Sông Mây"),
    ]
    assert audit_since(mark)[1][3:] == ({"status": "active"}, {"status": "merged", "merged_into": "DN-TB-002"})
    assert participant.calls == [
        ("merged", "parent", [cast.unit.pk], cast.sibling_unit.pk, DAY, "Hợp nhất hai công ty")
    ]
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=DAY)) == {"DN-TB", "DN-TB-002", "DN-TB-001-S1"}
    # The merged unit's own grants stop applying.
    fresh = type(cast.officer).objects.get(pk=cast.officer.pk)
    assert codes(Unit.objects.visible_to(fresh, "unit.view")) == set()


def test_merge_of_several_sources(cast, participant):
    extra = establish(cast.admin, cast.commune, "DN-TB-003")
    services.unit_merge(
        actor=cast.admin, sources=[cast.sibling_unit, extra], target=cast.unit, decision=decision(), today=TODAY
    )
    assert codes(Unit.objects.filter(merged_into=cast.unit)) == {"DN-TB-002", "DN-TB-003"}
    assert participant.calls == [
        ("merged", "admin", [cast.sibling_unit.pk, extra.pk], cast.unit.pk, DAY, "Theo quyết định")
    ]
    assert UnitEvent.objects.filter(kind="merge").count() == 2


@pytest.mark.parametrize(
    ("sources", "target", "field_or_code"),
    [
        (["unit"], "section", "cycle"),
        (["commune"], "unit", "cycle"),
        (["unit"], "unit", "units"),
        ([], "unit", "units"),
        (["unit", "section"], "sibling_unit", "units"),
        (["unit"], "other_province", "type_not_allowed"),  # KH may not hold the union section
    ],
)
def test_merge_refusals(cast, participant, sources, target, field_or_code):
    error = refused(
        DomainError,
        services.unit_merge,
        actor=cast.admin,
        sources=[getattr(cast, s) for s in sources],
        target=getattr(cast, target),
        decision=decision(),
        today=TODAY,
    )
    assert field_or_code in (error.code, error.field)
    assert participant.calls == []


def test_merge_into_a_dissolved_unit_or_out_of_scope_is_refused(cast, participant):
    refused(
        NotFound,
        services.unit_merge,
        actor=cast.officer,
        sources=[cast.unit],
        target=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )
    refused(
        NotFound,
        services.unit_merge,
        actor=cast.sibling,
        sources=[cast.unit],
        target=cast.sibling_unit,
        decision=decision(),
        today=TODAY,
    )
    services.unit_dissolve(actor=cast.admin, units=[cast.sibling_unit], decision=decision(), today=TODAY)
    error = refused(
        DomainError,
        services.unit_merge,
        actor=cast.admin,
        sources=[cast.unit],
        target=cast.sibling_unit,
        decision=decision(TODAY),
        today=TODAY,
    )
    assert error.code == "inactive_unit"
    assert participant.calls == [("dissolved", "admin", [cast.sibling_unit.pk], DAY, "Theo quyết định")]


# ---------------------------------------------------------------- split


def test_split_creates_units_and_hands_over_children(cast, participant):
    mark = last_audit_id()
    gu = utype("grassroots_union")
    created = services.unit_split(
        actor=cast.parent,
        unit=cast.unit,
        parts=[
            SplitPart("dn-tb-001a", {"vi": "Công đoàn Sông Mây A"}, gu, [cast.section]),
            SplitPart("DN-TB-001B", {"vi": "Công đoàn Sông Mây B", "en": "Song May B"}, gu),
        ],
        decision=Decision(DAY, "Chia tách công ty", "QĐ-8"),
        today=TODAY,
    )
    assert [u.code for u in created] == ["DN-TB-001A", "DN-TB-001B"]
    a, b, source, section = (unit(c) for c in ("DN-TB-001A", "DN-TB-001B", "DN-TB-001", "DN-TB-001-S1"))
    for new in (a, b):
        assert (new.parent, new.depth, new.status, new.established_date) == (cast.commune, 3, "active", DAY)
        assert new.path == cast.commune.path + seg(new)
        assert placements(new.code) == [("DN-TB", new.path, DAY, None)]
    assert b.name_en == "Song May B"
    assert participant.calls == [("split", "parent", source.pk, [a.pk, b.pk], DAY, "Chia tách công ty")]
    assert (source.status, source.ended_date, source.merged_into, source.version) == ("split", DAY, None, 2)
    assert placements("DN-TB-001") == [("DN-TB", source.path, FOUNDED, DAY)]
    assert section.parent == a
    assert section.path == a.path + seg(section)
    events = UnitEvent.objects.filter(effective_date=DAY).order_by("pk")
    assert [(e.kind, e.unit.code) for e in events] == [
        ("establish", "DN-TB-001A"),
        ("transfer", "DN-TB-001-S1"),
        ("establish", "DN-TB-001B"),
        ("split", "DN-TB-001"),
    ]
    assert len({e.operation for e in events}) == 1
    assert events.get(kind="split").details == {"into": ["DN-TB-001A", "DN-TB-001B"]}
    entries = audit_since(mark)
    assert [(e[0], e[2]) for e in entries] == [
        ("unit.establish", "Công đoàn Sông Mây A"),
        ("unit.transfer", "Công đoàn bộ phận Sản xuất"),
        ("unit.establish", "Công đoàn Sông Mây B"),
        ("unit.split", "Công đoàn cơ sở Công ty Sông Mây"),
    ]
    assert entries[-1][3:] == ({"status": "active"}, {"status": "split", "into": ["DN-TB-001A", "DN-TB-001B"]})
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=DAY - dt.timedelta(days=1))) == {
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
    }
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=DAY)) == {
        "DN-TB",
        "DN-TB-001A",
        "DN-TB-001B",
        "DN-TB-001-S1",
        "DN-TB-002",
    }


def test_split_refusals(cast):
    gu, ent = utype("grassroots_union"), utype("enterprise")

    def parts(*specs):
        return [SplitPart(code, {"vi": f"Đơn vị {code}"}, t, children) for code, t, children in specs]

    cases = [
        # An unassigned child.
        (DomainError, parts(("A1", gu, []), ("A2", gu, [])), "parts"),
        # A child given to two new units.
        (DomainError, parts(("A1", gu, [cast.section]), ("A2", gu, [cast.section])), "parts"),
        # Something that is not a child of the split unit.
        (DomainError, parts(("A1", gu, [cast.section, cast.sibling_unit]), ("A2", gu, [])), "parts"),
        # A single part.
        (DomainError, parts(("A1", gu, [cast.section])), "parts"),
        # Codes: used twice, already used, malformed.
        (Conflict, parts(("A1", gu, [cast.section]), ("a1", gu, [])), "code"),
        (Conflict, parts(("A1", gu, [cast.section]), ("DN-TB-002", gu, [])), "code"),
        (DomainError, parts(("A 1", gu, [cast.section]), ("A2", gu, [])), "code"),
        # A new unit that may not hold the child, or may not stand under the parent.
        (DomainError, parts(("A1", ent, [cast.section]), ("A2", gu, [])), "type_not_allowed"),
        (DomainError, parts(("A1", gu, [cast.section]), ("A2", utype("union_section"), [])), "type_not_allowed"),
    ]
    for error_type, the_parts, field_or_code in cases:
        error = refused(
            error_type,
            services.unit_split,
            actor=cast.admin,
            unit=cast.unit,
            parts=the_parts,
            decision=decision(),
            today=TODAY,
        )
        assert field_or_code in (error.field, error.code), the_parts
    refused(
        NotFound,
        services.unit_split,
        actor=cast.sibling,
        unit=cast.unit,
        parts=parts(("A1", gu, [cast.section]), ("A2", gu, [])),
        decision=decision(),
        today=TODAY,
    )
    # The unit's own officer cannot place new units under the parent they do not hold.
    refused(
        Forbidden,
        services.unit_split,
        actor=cast.officer,
        unit=cast.unit,
        parts=parts(("A1", gu, [cast.section]), ("A2", gu, [])),
        decision=decision(),
        today=TODAY,
    )


# ---------------------------------------------------------------- dissolve


def test_dissolve_with_active_children_is_refused(cast, participant):
    error = refused(
        DomainError, services.unit_dissolve, actor=cast.officer, units=[cast.unit], decision=decision(), today=TODAY
    )
    assert error.code == "has_children"
    assert "DN-TB-001-S1" in str(error)
    assert participant.calls == []


def test_dissolve_with_subtree(cast, participant):
    mark = last_audit_id()
    plan = services.unit_dissolve(
        actor=cast.officer,
        units=[cast.unit],
        decision=Decision(DAY, "Công ty giải thể", "QĐ-3"),
        with_subtree=True,
        today=TODAY,
    )
    assert plan.subtree_size == 2
    for code in ("DN-TB-001", "DN-TB-001-S1"):
        u = unit(code)
        assert (u.status, u.ended_date, u.version) == ("dissolved", DAY, 2)
        assert placements(code)[-1][2:] == (FOUNDED, DAY)
    assert participant.calls == [("dissolved", "officer", [cast.unit.pk, cast.section.pk], DAY, "Công ty giải thể")]
    assert [(e.kind, e.unit.code) for e in UnitEvent.objects.filter(kind="dissolve").order_by("pk")] == [
        ("dissolve", "DN-TB-001"),
        ("dissolve", "DN-TB-001-S1"),
    ]
    assert audit_since(mark) == [
        ("unit.dissolve", "orgunits.unit", "DN-TB-001", {"status": "active"}, {"status": "dissolved"}),
        ("unit.dissolve", "orgunits.unit", "DN-TB-001-S1", {"status": "active"}, {"status": "dissolved"}),
    ]
    assert AuditEntry.objects.filter(id__gt=mark).first().reason == "2024-06-01: Công ty giải thể [QĐ-3]"
    assert codes(selectors.units_as_of(day=DAY)) == {"VN", "DN", "DN-TB", "DN-TB-002", "KH"}
    assert codes(selectors.units_as_of(day=DAY - dt.timedelta(days=1))) == {
        "VN",
        "DN",
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
        "KH",
    }
    # A unit without active sub-units needs no with_subtree.
    services.unit_dissolve(actor=cast.parent, units=[cast.sibling_unit], decision=decision(), today=TODAY)
    assert unit("DN-TB-002").status == "dissolved"


def test_dissolve_listing_a_unit_and_its_child(cast, participant):
    services.unit_dissolve(actor=cast.officer, units=[cast.unit, cast.section], decision=decision(), today=TODAY)
    assert codes(Unit.objects.filter(status="dissolved")) == {"DN-TB-001", "DN-TB-001-S1"}


def test_bulk_dissolve(cast, participant):
    created = [establish(cast.admin, cast.commune, f"DN-TB-2{i:02d}", day=dt.date(2021, 1, 1)) for i in range(40)]
    mark = last_audit_id()
    services.unit_dissolve(actor=cast.parent, units=created, decision=decision(), today=TODAY)
    assert Unit.objects.filter(pk__in=[u.pk for u in created], status="dissolved", ended_date=DAY).count() == 40
    assert UnitPlacement.objects.filter(unit__in=created, valid_to__isnull=True).count() == 0
    assert UnitEvent.objects.filter(kind="dissolve").count() == 40
    assert len(audit_since(mark)) == 40
    [call] = participant.calls
    assert sorted(call[2]) == sorted(u.pk for u in created)


def test_dissolve_refusals(cast, participant):
    for units, field in (([], "units"), ([cast.unit, cast.unit], "units"), ([cast.root], "units")):
        error = refused(
            DomainError,
            services.unit_dissolve,
            actor=cast.admin,
            units=units,
            decision=decision(),
            with_subtree=True,
            today=TODAY,
        )
        assert error.field == field
    for actor in (cast.sibling, cast.outsider):
        refused(
            NotFound,
            services.unit_dissolve,
            actor=actor,
            units=[cast.unit],
            decision=decision(),
            with_subtree=True,
            today=TODAY,
        )
    # The unit's officer sees the commune from below only.
    refused(
        NotFound,
        services.unit_dissolve,
        actor=cast.officer,
        units=[cast.commune],
        decision=decision(),
        with_subtree=True,
        today=TODAY,
    )
    services.unit_transfer(
        actor=cast.admin, units=[cast.section], new_parent=cast.sibling_unit, decision=decision(DAY), today=TODAY
    )
    error = refused(
        DomainError,
        services.unit_dissolve,
        actor=cast.admin,
        units=[cast.sibling_unit],
        decision=decision(DAY - dt.timedelta(days=1)),
        with_subtree=True,
        today=TODAY,
    )
    assert error.field == "effective_date"
    services.unit_dissolve(actor=cast.admin, units=[cast.unit], decision=decision(DAY), today=TODAY)
    error = refused(
        DomainError, services.unit_dissolve, actor=cast.admin, units=[cast.unit], decision=decision(TODAY), today=TODAY
    )
    assert error.code == "inactive_unit"
    assert participant.calls == [("dissolved", "admin", [cast.unit.pk], DAY, "Theo quyết định")]


def test_a_dissolved_unit_stays_ended_when_its_parent_moves(cast):
    services.unit_dissolve(actor=cast.admin, units=[cast.section], decision=decision(DAY), today=TODAY)
    later = DAY + dt.timedelta(days=30)
    services.unit_transfer(
        actor=cast.admin, units=[cast.unit], new_parent=cast.other_province, decision=decision(later), today=TODAY
    )
    section = unit("DN-TB-001-S1")
    assert section.status == "dissolved"
    assert section.path == unit("DN-TB-001").path + seg(section)  # its history follows the unit
    assert UnitPlacement.objects.filter(unit=section, valid_to__isnull=True).count() == 0
    assert codes(selectors.unit_subtree(unit=cast.other_province, as_of=later)) == {"KH", "DN-TB-001"}
    assert "DN-TB-001-S1" not in codes(selectors.units_as_of(day=later))


# ---------------------------------------------------------------- history property


@contextlib.contextmanager
def rolled_back():
    """Run one hypothesis example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["transfer", "transfer", "transfer", "dissolve", "establish"]),
        st.integers(0, 50),
        st.integers(0, 50),
        st.integers(0, 3),
    ),
    max_size=8,
)


@example(parents=[0, 1, 0], ops=[("dissolve", 1, 0, 0), ("transfer", 0, 0, 1)])  # ended units stay ended
@example(parents=[0, 0, 2], ops=[("transfer", 1, 0, 2), ("transfer", 2, 2, 0)])
@example(parents=[0, 0], ops=[("transfer", 1, 1, 2), ("establish", 0, 2, 1), ("transfer", 0, 0, 0)])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(parents=st.lists(st.integers(0, 50), min_size=1, max_size=7), ops=OPS)
def test_history_matches_a_naive_model(cast, parents, ops):
    """Random police-department trees (any shape may nest); random moves, foundings and dissolutions in date order."""
    start = dt.date(2021, 1, 1)
    with rolled_back():
        names = ["VN"]
        parent_of: dict[str, str] = {}
        for i, choice in enumerate(parents):
            code = f"P{i}"
            parent_code = names[choice % len(names)]
            establish(cast.admin, unit(parent_code), code, "police_department", day=start)
            parent_of[code] = parent_code
            names.append(code)
        nodes = names[1:]
        established_on = dict.fromkeys(nodes, start)
        dissolved_on: dict[str, dt.date] = {}
        history = [(start, dict(parent_of))]
        day = start

        def inside(code, ancestor):
            while code is not None:
                if code == ancestor:
                    return True
                code = parent_of.get(code)
            return False

        for kind, a, b, step in ops:
            day += dt.timedelta(days=step)
            alive = [n for n in nodes if n not in dissolved_on]
            if not alive:
                break
            moved = alive[a % len(alive)]
            if kind == "establish":
                code, parent_code = f"P{len(nodes)}", ["VN", *alive][b % (len(alive) + 1)]
                establish(cast.admin, unit(parent_code), code, "police_department", day=day)
                parent_of[code] = parent_code
                nodes.append(code)
                established_on[code] = day
            elif kind == "dissolve":
                services.unit_dissolve(
                    actor=cast.admin, units=[unit(moved)], decision=decision(day), with_subtree=True, today=TODAY
                )
                for n in alive:
                    if inside(n, moved):
                        dissolved_on[n] = day
            else:
                targets = ["VN", *alive]
                target = targets[b % len(targets)]
                if inside(target, moved) or parent_of[moved] == target:
                    continue
                services.unit_transfer(
                    actor=cast.admin, units=[unit(moved)], new_parent=unit(target), decision=decision(day), today=TODAY
                )
                parent_of[moved] = target
            history.append((day, dict(parent_of)))

        def state_on(d):
            return [tree for when, tree in history if when <= d][-1]

        def chain(code, tree):
            out = []
            while code != "VN":
                code = tree[code]
                out.append(code)
            return list(reversed(out))

        # The current tree: paths and depths agree with the parents.
        for code in nodes:
            u = unit(code)
            assert u.parent.code == parent_of[code]
            assert u.path == unit(parent_of[code]).path + seg(u)
            assert u.depth == len(chain(code, parent_of))
        days = sorted(
            {d + dt.timedelta(days=k) for d, _ in history for k in (-1, 0, 1) if d + dt.timedelta(days=k) >= start}
        )
        for d in days:
            tree = state_on(d)
            alive = {n for n in nodes if established_on[n] <= d and (n not in dissolved_on or d < dissolved_on[n])}
            assert codes(selectors.units_as_of(day=d)) & set(nodes) == alive, d
            for code in nodes:
                expected = {n for n in alive if code in [*chain(n, tree), n]} if code in alive else set()
                assert codes(selectors.unit_subtree(unit=unit(code), as_of=d)) == expected, (code, d)
                ancestors = [u.code for u in selectors.unit_ancestors(unit=unit(code), as_of=d)]
                assert ancestors == (chain(code, tree) if code in alive else []), (code, d)
