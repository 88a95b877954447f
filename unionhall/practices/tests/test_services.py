"""Model services: exact effects, evaluation and recognition rules, and nothing changed on a refusal."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members.tests.people import register
from unionhall.movements.tests.fixtures import fresh
from unionhall.practices import services
from unionhall.practices.models import Practice, PracticeEvaluation, PracticeMember
from unionhall.programmes import services as programme_services
from unionhall.programmes.choices import PartyRole

from .fixtures import TODAY, details, state


def evaluate(actor, practice, year, result="effective", **extra):
    return services.practice_evaluate(
        actor=fresh(actor), practice=practice, year=year, result=result, today=TODAY, **extra
    )


def test_register_records_the_model_and_an_audit_entry(cast, world, models_world):
    practice = Practice.objects.get(code="tu-quan-nha-tro")
    assert (
        practice.unit_id,
        practice.kind,
        practice.field,
        practice.movement_id,
        practice.programme_id,
        practice.started_on,
        practice.registered_on,
        practice.version,
    ) == (
        cast.unit.pk,
        "model",
        "defence_security",
        world.province_mv.pk,
        models_world.programme.pk,
        dt.date(2024, 1, 15),
        dt.date(2024, 2, 1),
        1,
    )
    entry = AuditEntry.objects.get(action="practice.register", object_id=str(practice.pk))
    assert (entry.unit_id, entry.after["movement"], entry.after["programme"]) == (
        cast.unit.pk,
        "ldg-ldst-dn",
        "ca-ldld-2024",
    )


def _outside_programme(cast, world):
    return programme_services.programme_create(
        actor=cast.admin,
        code="ca-songmay",
        owner=cast.unit,
        details=programme_services.ProgrammeDetails(title="Sông Mây", start_date=dt.date(2024, 1, 1)),
        parties=[
            programme_services.PartyDetails(cast.unit, PartyRole.LEAD),
            programme_services.PartyDetails(world.police),
        ],
    )


@pytest.mark.parametrize(
    ("who", "unit", "change", "error", "field", "message"),
    [
        (
            "parent",
            "commune",
            {"movement": "unit_mv"},
            DomainError,
            "movement",
            "Unit DN-TB does not take part in movement xanh-sach-dep.",
        ),
        (
            "parent",
            "commune",
            {"programme": "outside"},
            DomainError,
            "programme",
            "Unit DN-TB does not take part in programme ca-songmay.",
        ),
        (
            "sibling",
            "sibling_unit",
            {"movement": "unit_mv"},
            NotFound,
            "movement",
            "Movement xanh-sach-dep was not found.",
        ),
        ("sibling", "unit", {}, NotFound, "unit", "Unit DN-TB-001 was not found."),
        (
            "officer",
            "unit",
            {"code": "tu-quan-nha-tro"},
            Conflict,
            "code",
            "The code tu-quan-nha-tro is already taken.",
        ),
        (
            "officer",
            "unit",
            {"code": "effective"},
            DomainError,
            "code",
            "The code effective is reserved; choose another.",
        ),
        ("officer", "unit", {"started_on": dt.date(2025, 3, 16)}, DomainError, "started_on", None),
        ("officer", "unit", {"registered_on": dt.date(2025, 3, 16)}, DomainError, "registered_on", None),
        (
            "officer",
            "unit",
            {"movement": "province_mv", "registered_on": dt.date(2023, 12, 31)},
            DomainError,
            "registered_on",
            "The registration day is outside the movement's period.",
        ),
        ("officer", "unit", {"field": "sports"}, DomainError, "field", "Choose a field."),
    ],
)
def test_bad_registrations_are_refused_and_nothing_changes(
    cast, world, models_world, who, unit, change, error, field, message
):
    outside = _outside_programme(cast, world)
    extra = {}
    if "movement" in change:
        extra["movement"] = getattr(world, change["movement"])
    if "programme" in change:
        extra["programme"] = outside
    for name in ("started_on", "registered_on", "field"):
        if name in change:
            extra[name] = change[name]
    before = state()
    with pytest.raises(error) as raised:
        services.practice_register(
            actor=fresh(getattr(cast, who)),
            code=change.get("code", "moi"),
            unit=getattr(cast, unit),
            details=details(**extra),
            today=TODAY,
        )
    assert raised.value.field == field
    if message is not None:
        assert str(raised.value) == message
    assert state() == before


def test_evaluation_one_a_year_not_in_the_future_not_before_the_start(cast, models_world):
    practice = models_world.unit_practice
    evaluation = evaluate(cast.officer, practice, 2024, note="Tốt", evaluated_on=dt.date(2025, 1, 10))
    assert (evaluation.year, evaluation.result, evaluation.evaluated_by_id, evaluation.evaluated_on) == (
        2024,
        "effective",
        cast.unit.pk,
        dt.date(2025, 1, 10),
    )
    assert AuditEntry.objects.get(action="practice.evaluate").after["result"] == "effective"
    before = state()
    for year, error, code in (
        (2026, DomainError, "future_year"),
        (2023, DomainError, "before_start"),
        (2024, Conflict, "duplicate"),
    ):
        with pytest.raises(error) as refused:
            evaluate(cast.officer, practice, year)
        assert refused.value.code == code, year
    with pytest.raises(DomainError) as early:
        evaluate(cast.officer, practice, 2025, evaluated_on=dt.date(2024, 12, 31))
    assert early.value.field == "evaluated_on"
    with pytest.raises(Forbidden) as below:  # a section under the registering unit does not judge it
        evaluate(cast.officer, practice, 2025, evaluator=cast.section)
    assert str(below.value).startswith("A model is evaluated and recognised by the registering unit DN-TB-001")
    with pytest.raises(NotFound):
        evaluate(cast.sibling, practice, 2025)
    assert state() == before


def test_recognition_by_a_unit_above_after_an_effective_evaluation(cast, models_world):
    practice = models_world.commune_practice
    before = state()
    with pytest.raises(DomainError) as unevaluated:
        services.practice_recognise(actor=fresh(cast.parent), practice=practice, by=cast.commune, today=TODAY)
    assert unevaluated.value.code == "not_evaluated"
    with pytest.raises(Forbidden) as below:  # the parent holds practice.recognise on the unit, below the commune
        services.practice_recognise(actor=fresh(cast.parent), practice=practice, by=cast.unit, today=TODAY)
    assert below.value.field == "by"
    with pytest.raises(Forbidden) as not_allowed:  # above the commune, but the parent holds nothing on the province
        services.practice_recognise(actor=fresh(cast.parent), practice=practice, by=cast.province, today=TODAY)
    assert str(not_allowed.value) == "You may not do this on behalf of unit DN."
    assert state() == before

    evaluate(cast.parent, practice, 2024, result="effective")
    evaluate(cast.parent, practice, 2025, result="partly")
    before = state()
    with pytest.raises(DomainError) as partly:
        services.practice_recognise(actor=fresh(cast.parent), practice=practice, by=cast.commune, today=TODAY)
    assert str(partly.value) == (
        "The model was evaluated partly effective for 2025; it is recognised only when evaluated effective."
    )
    assert state() == before

    recognised = services.practice_recognise(
        actor=fresh(cast.parent),
        practice=practice,
        by=cast.commune,
        recognised_on=dt.date(2024, 12, 20),
        reference="15/QĐ-LĐLĐ",
        today=TODAY,
    )
    assert (recognised.recognised_on, recognised.recognised_by_id, recognised.recognition_ref, recognised.version) == (
        dt.date(2024, 12, 20),
        cast.commune.pk,
        "15/QĐ-LĐLĐ",
        2,
    )
    entry = AuditEntry.objects.get(action="practice.recognise")
    assert (entry.before["recognised_on"], entry.after["recognised_by"]) == (None, "DN-TB")
    with pytest.raises(Conflict):
        services.practice_recognise(actor=fresh(cast.parent), practice=practice, by=cast.commune, today=TODAY)


def test_the_launcher_of_a_joint_movement_recognises_a_model_registered_under_it(cast, world):
    practice = services.practice_register(
        actor=fresh(cast.officer),
        code="an-ninh-songmay",
        unit=cast.unit,
        details=details(movement=world.joint_mv),
        today=TODAY,
    )
    evaluate(cast.officer, practice, 2024)
    recognised = services.practice_recognise(
        actor=fresh(world.police_officer), practice=practice, by=world.police, today=TODAY
    )
    assert (recognised.recognised_on, recognised.recognised_by_id) == (TODAY, world.police.pk)


def test_members_and_discontinuation(cast, world, models_world):
    practice = models_world.unit_practice
    member = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    stranger = register(cast.admin, cast.other_province, "Lê Văn Khách")
    actor = fresh(cast.officer)
    row = services.practice_member_add(actor=actor, practice=practice, person=member, role="Tổ trưởng")
    services.practice_member_add(actor=actor, practice=practice, name="Bà Năm (chủ nhà trọ)", role="Tổ viên")
    assert list(PracticeMember.objects.order_by("pk").values_list("person_id", "name", "role")) == [
        (member.pk, "", "Tổ trưởng"),
        (None, "Bà Năm (chủ nhà trọ)", "Tổ viên"),
    ]
    before = state()
    for kwargs, error in (
        ({"person": member}, Conflict),
        ({"person": stranger}, NotFound),
        ({}, DomainError),
        ({"person": member, "name": "X"}, DomainError),
    ):
        with pytest.raises(error):
            services.practice_member_add(actor=actor, practice=practice, **kwargs)
    with pytest.raises(Forbidden):  # the police sees the model (a party of its programme) but does not keep it
        services.practice_member_add(actor=fresh(world.police_officer), practice=practice, name="X")
    assert state() == before
    services.practice_member_remove(actor=actor, member=row)
    assert PracticeMember.objects.count() == 1

    evaluate(cast.officer, practice, 2025)
    before = state()
    with pytest.raises(DomainError) as early:
        services.practice_discontinue(actor=actor, practice=practice, ended_on=dt.date(2024, 12, 31), today=TODAY)
    assert str(early.value) == "The model is evaluated for 2025, after that day."
    with pytest.raises(DomainError):
        services.practice_discontinue(actor=actor, practice=practice, ended_on=dt.date(2025, 3, 16), today=TODAY)
    assert state() == before
    ended = services.practice_discontinue(actor=actor, practice=practice, reason="Khu trọ giải tỏa", today=TODAY)
    assert (ended.ended_on, ended.version) == (TODAY, 2)
    assert AuditEntry.objects.get(action="practice.discontinue").reason == "Khu trọ giải tỏa"
    with pytest.raises(Conflict):
        services.practice_discontinue(actor=actor, practice=practice, today=TODAY)
    with pytest.raises(DomainError):
        services.practice_recognise(actor=actor, practice=practice, by=cast.unit, today=TODAY)


def test_update_with_version(cast, world, models_world):
    practice = models_world.unit_practice
    evaluate(cast.officer, practice, 2024)
    updated = services.practice_update(
        actor=fresh(cast.officer),
        practice=practice,
        details=details(title="Tổ tự quản", movement=world.province_mv, kind="exemplar"),
        version=1,
        today=TODAY,
    )
    assert (updated.title, updated.kind, updated.programme_id, updated.version) == ("Tổ tự quản", "exemplar", None, 2)
    before = state()
    with pytest.raises(Conflict):
        services.practice_update(
            actor=fresh(cast.officer), practice=practice, details=details(), version=1, today=TODAY
        )
    with pytest.raises(DomainError) as late:
        services.practice_update(
            actor=fresh(cast.officer),
            practice=practice,
            details=details(started_on=dt.date(2025, 1, 1), registered_on=dt.date(2025, 1, 2)),
            version=2,
            today=TODAY,
        )
    assert str(late.value) == "The model is evaluated for 2024, before the new start date."
    with pytest.raises(NotFound):  # no longer in the police's programme: the police does not see it
        services.practice_update(
            actor=fresh(world.police_officer), practice=practice, details=details(), version=2, today=TODAY
        )
    assert state() == before
    assert PracticeEvaluation.objects.count() == 1
