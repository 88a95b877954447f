"""The democracy services: exact records, the composition warning and its confirmation, scope; nothing written
on a refusal."""

import datetime as dt

import pytest

from unionhall.activities.models import Activity, ActivityOrganiser
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.democracy import services
from unionhall.democracy.models import Dialogue, EmployeeConference
from unionhall.democracy.services import CompositionWarning
from unionhall.democracy.tests.fixtures import (
    HELD_ON,
    TODAY,
    activity,
    at,
    conference,
    record_conference,
    record_dialogue,
    sides,
    state,
)


def refused(error_class, call, **match):
    """`call` raises `error_class` (with these attributes) and changes nothing."""
    before = state()
    with pytest.raises(error_class) as info:
        call()
    for name, value in match.items():
        actual = getattr(info.value, name)
        assert (str(actual) if name == "message" else actual) == value, name
    assert state() == before
    return info.value


def entries(*actions):
    return list(AuditEntry.objects.filter(action__in=actions).order_by("pk"))


# ---------------------------------------------------------------- recording a dialogue


def test_record_a_dialogue_with_its_activity(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may, published_on=dt.date(2025, 3, 12))
    row = Dialogue.objects.filter(pk=dialogue.pk).values().get()
    assert row == {
        "activity_id": dialogue.pk,
        "employer_id": world.song_may.pk,
        "trigger": "periodic",
        "trigger_article": "",
        "held_on": HELD_ON,
        "headcount": 120,
        "employer_side": 3,
        "employer_side_women": 0,
        "legal_representative_present": True,
        "employee_side": 5,
        "employee_side_women": 2,
        "agreements": "Tăng tiền ăn ca lên 30.000 đồng.",
        "published_on": dt.date(2025, 3, 12),
        "composition_issues": [],
        "composition_confirmed_by": None,
        "composition_confirmed_at": None,
    }
    act = Activity.objects.get(pk=dialogue.pk)
    assert (act.unit_id, act.kind.code, act.title, act.status) == (
        cast.unit.pk,
        "workplace_dialogue",
        "Đối thoại định kỳ năm 2025",
        "held",
    )
    assert [e.action for e in AuditEntry.objects.order_by("-pk")[:2]][::-1] == ["activity.create", "dialogue.record"]
    entry = entries("dialogue.record")[0]
    assert (entry.object_id, entry.unit_id) == (str(dialogue.pk), cast.unit.pk)
    assert entry.after["employer"] == "DN-TB-E001"
    assert entry.after["composition_issues"] == []


def test_the_commune_records_and_the_union_becomes_an_organiser(cast, world):
    dialogue = record_dialogue(cast.parent, cast.commune, world.song_may)
    assert sorted(ActivityOrganiser.objects.filter(activity_id=dialogue.pk).values_list("unit__code", flat=True)) == [
        "DN-TB",
        "DN-TB-001",
    ]


def test_a_composition_breaking_the_band_is_a_warning_and_nothing_is_written(cast, world):
    error = refused(
        CompositionWarning,
        lambda: record_dialogue(cast.officer, cast.unit, world.song_may, employer_side=2, employee_side=9),
        field="confirm_composition",
        code="composition",
    )
    assert [i.code for i in error.issues] == ["employer_side_short", "employee_side_over"]
    assert str(error) == (
        "The composition of the dialogue does not meet Decree 145/2020/NĐ-CP, Art. 38: "
        "The employer side has 2 participants; at least 3 are required. "
        "The employee side has 9 representatives; with 120 employees at most 8. "
        "Confirm to record it anyway."
    )


def test_a_confirmed_composition_is_recorded_with_its_issues_and_confirmer(cast, world):
    dialogue = record_dialogue(
        cast.officer, cast.unit, world.song_may, legal_representative_present=False, employee_side=3, confirm=True
    )
    dialogue.refresh_from_db()
    assert dialogue.composition_issues == [
        {"code": "legal_representative_absent", "actual": 0, "limit": 1, "headcount": 120},
        {"code": "employee_side_short", "actual": 3, "limit": 4, "headcount": 120},
    ]
    assert dialogue.composition_confirmed_by == cast.officer.pk
    assert dialogue.composition_confirmed_at is not None
    (confirmation,) = entries("dialogue.composition_confirm")
    assert (confirmation.actor_id, confirmation.object_id) == (cast.officer.pk, str(dialogue.pk))
    assert confirmation.after["issues"] == dialogue.composition_issues


def test_confirming_a_composition_that_complies_stores_no_confirmation(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may, confirm=True)
    assert (dialogue.composition_issues, dialogue.composition_confirmed_by) == ([], None)
    assert entries("dialogue.composition_confirm") == []


@pytest.mark.parametrize(
    ("headcount", "employee_side", "issue"),
    [
        (49, 3, None),
        (50, 3, "employee_side_short"),
        (149, 8, None),
        (150, 8, "employee_side_short"),
        (999, 24, "employee_side_over"),
        (1000, 24, None),
    ],
)
def test_the_band_follows_the_headcount(cast, world, headcount, employee_side, issue):
    call = lambda: record_dialogue(  # noqa: E731
        cast.officer, cast.unit, world.song_may, headcount=headcount, employee_side=employee_side
    )
    if issue is None:
        assert call().composition_issues == []
    else:
        assert [i.code for i in refused(CompositionWarning, call).issues] == [issue]


def test_employer_outside_the_scope_is_not_found(cast, world):
    refused(
        NotFound,
        lambda: record_dialogue(cast.officer, cast.unit, world.cam_ranh),
        field="employer",
        message="Unit KH-E001 was not found.",
    )
    # The sibling union's employer: the officer holds nothing over its union.
    refused(NotFound, lambda: record_dialogue(cast.officer, cast.unit, world.hoa_phat), field="employer")


def test_recording_unit_outside_the_scope_is_not_found(cast, world):
    refused(NotFound, lambda: record_dialogue(cast.sibling, cast.unit, world.song_may), field="unit")
    refused(NotFound, lambda: record_dialogue(cast.outsider, cast.unit, world.song_may), field="unit")


def test_the_employers_union_must_be_under_the_recording_unit(cast, world):
    refused(
        DomainError,
        lambda: record_dialogue(cast.parent, cast.sibling_unit, world.song_may),
        field="employer",
        message="The union of employer DN-TB-E001 is not under unit DN-TB-002, which records this.",
    )


def test_an_employer_without_a_union_or_not_an_employer(cast, world):
    refused(
        DomainError,
        lambda: record_dialogue(cast.parent, cast.commune, cast.section),
        field="employer",
        message="The employer must be a unit of an employer type.",
    )
    world.hoa_phat.refresh_from_db()
    cast.sibling_unit.employer = None
    cast.sibling_unit.save(update_fields=["employer"])
    refused(
        DomainError,
        lambda: record_dialogue(cast.parent, cast.commune, world.hoa_phat),
        field="employer",
        message="Employer DN-TB-E002 has no active grassroots union.",
    )


def test_the_kind_must_be_the_workplace_dialogue(cast, world):
    refused(
        DomainError,
        lambda: services.dialogue_record(
            actor=cast.officer,
            unit=cast.unit,
            activity=activity(code="dissemination"),
            dialogue=sides(world.song_may),
            today=TODAY,
        ),
        field="kind",
        code="wrong_kind",
    )


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"headcount": -1}, "headcount", "The number cannot be negative."),
        ({"headcount": 0}, "headcount", "An employer has at least one employee."),
        ({"employee_side": -3}, "employee_side", "The number cannot be negative."),
        (
            {"employee_side_women": 6},
            "employee_side_women",
            "There cannot be more women than participants on this side.",
        ),
        ({"trigger": "whim"}, "trigger", "Choose why the dialogue was held."),
        (
            {"published_on": dt.date(2025, 3, 9)},
            "published_on",
            "The agreements cannot be published before the dialogue.",
        ),
        ({"published_on": dt.date(2025, 3, 16)}, "published_on", "The date cannot be in the future."),
    ],
)
def test_bad_dialogue_figures(cast, world, extra, field, message):
    refused(
        DomainError,
        lambda: record_dialogue(cast.officer, cast.unit, world.song_may, **extra),
        field=field,
        message=message,
    )


def test_an_activity_ending_before_it_starts_writes_nothing(cast, world):
    refused(
        DomainError,
        lambda: services.dialogue_record(
            actor=cast.officer,
            unit=cast.unit,
            activity=activity(ends_at=at(HELD_ON) - dt.timedelta(hours=1)),
            dialogue=sides(world.song_may),
            today=TODAY,
        ),
        field="ends_at",
    )


def test_a_held_dialogue_cannot_be_in_the_future(cast, world):
    refused(
        DomainError,
        lambda: services.dialogue_record(
            actor=cast.officer,
            unit=cast.unit,
            activity=activity(starts_at=at(dt.date(2025, 3, 16))),
            dialogue=sides(world.song_may),
            today=TODAY,
        ),
        field="starts_at",
        message="The date cannot be in the future.",
    )


# ---------------------------------------------------------------- changing a dialogue


def _update(actor, dialogue, *, version, confirm=False, title="Đối thoại định kỳ năm 2025", **extra):
    return services.dialogue_update(
        actor=actor,
        dialogue=dialogue,
        activity=activity(title, starts_at=at(HELD_ON)),
        details=sides(dialogue.employer, **extra),
        version=version,
        confirm_composition=confirm,
        today=TODAY,
    )


def test_update_the_sides_moves_the_activity_version(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    updated = _update(cast.officer, dialogue, version=1, employee_side=6, agreements="Thưởng Tết 1 tháng lương.")
    assert (updated.employee_side, updated.agreements) == (6, "Thưởng Tết 1 tháng lương.")
    assert Activity.objects.get(pk=dialogue.pk).version == 2
    (entry,) = entries("dialogue.update")
    assert (entry.before["employee_side"], entry.after["employee_side"]) == (5, 6)
    refused(Conflict, lambda: _update(cast.officer, dialogue, version=1, employee_side=7), code="stale")


def test_update_without_a_change_writes_nothing(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    before = state()
    _update(cast.officer, dialogue, version=1)
    assert state() == before


def test_update_into_a_broken_composition_needs_confirmation(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    refused(CompositionWarning, lambda: _update(cast.officer, dialogue, version=1, employee_side=2))
    updated = _update(cast.officer, dialogue, version=1, employee_side=2, confirm=True)
    assert [i["code"] for i in updated.composition_issues] == ["employee_side_short"]
    assert updated.composition_confirmed_by == cast.officer.pk
    assert len(entries("dialogue.composition_confirm")) == 1


def test_a_confirmation_covers_only_the_issues_it_confirmed(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    _update(cast.officer, dialogue, version=1, employee_side=2, confirm=True)
    # Other figures, the same broken rule with the same numbers: the confirmation stands, no new one.
    kept = _update(cast.officer, dialogue, version=2, employee_side=2, agreements="Tăng bữa ăn ca.")
    assert [i["actual"] for i in kept.composition_issues] == [2]
    assert len(entries("dialogue.composition_confirm")) == 1
    # A different breach needs its own confirmation; refused, nothing changes.
    before = state()
    refused(
        CompositionWarning,
        lambda: _update(cast.officer, dialogue, version=3, employee_side=1, employee_side_women=1),
    )
    assert state() == before


def test_update_by_others(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may)
    refused(NotFound, lambda: _update(cast.sibling, dialogue, version=1, employee_side=6))
    refused(NotFound, lambda: _update(cast.outsider, dialogue, version=1, employee_side=6))
    commune_dialogue = record_dialogue(cast.parent, cast.commune, world.song_may, day=dt.date(2025, 3, 11))
    refused(
        Forbidden,
        lambda: _update(cast.officer, commune_dialogue, version=1, employee_side=6),
        message="Only the recording unit DN-TB changes this activity.",
    )


# ---------------------------------------------------------------- employee conferences


def test_record_an_employee_conference(cast, world):
    row = record_conference(cast.officer, cast.unit, world.song_may, resolutions="  Thông qua quy chế dân chủ. ")
    assert EmployeeConference.objects.filter(pk=row.pk).values().get() == {
        "activity_id": row.pk,
        "employer_id": world.song_may.pk,
        "held_on": HELD_ON,
        "form": "all",
        "headcount": 120,
        "attended": 95,
        "resolutions": "Thông qua quy chế dân chủ.",
        "agreement_reviewed": True,
    }
    (entry,) = entries("employee_conference.record")
    assert entry.after["attended"] == 95


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"attended": 121}, "attended", "More people attended (121) than the employer has employees (120)."),
        ({"attended": -1}, "attended", "The number cannot be negative."),
        ({"form": "party"}, "form", "Choose the form of the conference."),
    ],
)
def test_bad_conference_figures(cast, world, extra, field, message):
    refused(
        DomainError,
        lambda: record_conference(cast.officer, cast.unit, world.song_may, **extra),
        field=field,
        message=message,
    )


def test_conference_outside_the_scope_and_wrong_kind(cast, world):
    refused(NotFound, lambda: record_conference(cast.officer, cast.unit, world.cam_ranh), field="employer")
    refused(
        DomainError,
        lambda: services.conference_record(
            actor=cast.officer, unit=cast.unit, activity=activity(), conference=conference(world.song_may), today=TODAY
        ),
        field="kind",
    )
