"""Who sees which model, the list filters and statuses, the effective models of a year, and the figures
movements and programmes show."""

import datetime as dt

import pytest

from conftest import grant, make_user
from unionhall.movements import selectors as movement_selectors
from unionhall.movements.tests.fixtures import fresh
from unionhall.practices import selectors, services
from unionhall.practices.models import Practice
from unionhall.programmes import selectors as programme_selectors

from .fixtures import ROLES, TODAY, details

SEES = {
    # The unit's model is in the police's programme: the police sees it as a party.
    "unit_practice": {
        "officer": True,
        "parent": True,
        "sibling": False,
        "outsider": False,
        "admin": True,
        "police": True,
    },
    "commune_practice": {
        "officer": False,
        "parent": True,
        "sibling": False,
        "outsider": False,
        "admin": True,
        "police": False,
    },
}


@pytest.mark.parametrize("name", list(SEES))
def test_visibility_matrix(cast, world, models_world, name):
    practice = getattr(models_world, name)
    for role in (*ROLES, "admin", "police"):
        actor = fresh(world.police_officer if role == "police" else getattr(cast, role))
        seen = Practice.objects.visible_to(actor, "practice.view").filter(pk=practice.pk).exists()
        assert seen is SEES[name][role], role


def test_the_launcher_of_the_movement_sees_the_models_registered_in_it(cast, world, models_world):
    province_officer = make_user("province")
    grant(province_officer, cast.province, role="viewer")
    seen = set(Practice.objects.visible_to(province_officer, "practice.view").values_list("code", flat=True))
    assert seen == {"tu-quan-nha-tro", "dan-van-kheo-tb"}
    joint = services.practice_register(
        actor=fresh(cast.officer), code="an-ninh", unit=cast.unit, details=details(movement=world.joint_mv), today=TODAY
    )
    assert Practice.objects.visible_to(fresh(world.police_officer), "practice.view").filter(pk=joint.pk).exists()


def _evaluate(actor, practice, year, result="effective"):
    services.practice_evaluate(actor=fresh(actor), practice=practice, year=year, result=result, today=TODAY)


def test_status_filters_and_the_effective_list(cast, world, models_world):
    unit_practice, commune_practice = models_world.unit_practice, models_world.commune_practice
    third = services.practice_register(
        actor=fresh(cast.officer),
        code="xanh-sach",
        unit=cast.section,
        details=details("Xanh – Sạch – Đẹp", field="economy", registered_on=dt.date(2025, 1, 5)),
        today=TODAY,
    )
    _evaluate(cast.parent, commune_practice, 2024)
    services.practice_recognise(actor=fresh(cast.parent), practice=commune_practice, by=cast.commune, today=TODAY)
    _evaluate(cast.officer, unit_practice, 2024)
    _evaluate(cast.officer, third, 2024, "not_effective")
    admin = fresh(cast.admin)

    def codes(**filters) -> list[tuple[str, str]]:
        page = selectors.practice_list(actor=admin, filters=selectors.PracticeFilters(**filters))
        return [(row.practice.code, row.status) for row in page.items]

    assert codes() == [
        ("xanh-sach", "registered"),
        ("dan-van-kheo-tb", "recognised"),
        ("tu-quan-nha-tro", "effective"),
    ]
    assert codes(status="effective") == [("tu-quan-nha-tro", "effective")]
    assert codes(status="recognised") == [("dan-van-kheo-tb", "recognised")]
    assert codes(status="registered") == [("xanh-sach", "registered")]
    assert codes(effective_in=2024) == [("dan-van-kheo-tb", "recognised"), ("tu-quan-nha-tro", "effective")]
    assert codes(effective_in=2024, unit=cast.unit) == [("tu-quan-nha-tro", "effective")]
    assert codes(year=2025) == [("xanh-sach", "registered")]
    assert codes(field="culture_society") == [("dan-van-kheo-tb", "recognised")]
    assert codes(movement=world.province_mv, kind="model") == [
        ("dan-van-kheo-tb", "recognised"),
        ("tu-quan-nha-tro", "effective"),
    ]
    assert codes(programme=models_world.programme) == [("tu-quan-nha-tro", "effective")]
    services.practice_discontinue(actor=fresh(cast.officer), practice=third, today=TODAY)
    assert codes(status="discontinued") == [("xanh-sach", "discontinued")]
    first = selectors.practice_list(actor=admin, limit=2)
    assert first.next_cursor is not None
    rest = selectors.practice_list(actor=admin, limit=2, cursor=first.next_cursor)
    assert [r.practice.code for r in rest.items] == ["tu-quan-nha-tro"]


def test_movement_and_programme_figures_are_exact(cast, world, models_world):
    _evaluate(cast.parent, models_world.commune_practice, 2024)
    services.practice_recognise(
        actor=fresh(cast.parent), practice=models_world.commune_practice, by=cast.commune, today=TODAY
    )
    services.practice_register(
        actor=cast.admin,
        code="ngoai-ky",
        unit=cast.unit,
        details=details(movement=world.unit_mv, registered_on=dt.date(2024, 1, 1)),
        today=TODAY,
    )
    # Linked to the programme but registered before its period: not in its totals.
    Practice.objects.filter(code="ngoai-ky").update(programme=models_world.programme, registered_on=dt.date(2023, 6, 1))
    results = movement_selectors.movement_results([world.province_mv, world.unit_mv, world.joint_mv])
    figures = {
        (code, m): next(f.value for f in results[pk] if f.code == code)
        for m, pk in (("province", world.province_mv.pk), ("unit", world.unit_mv.pk), ("joint", world.joint_mv.pk))
        for code in ("models_registered", "models_effective")
    }
    assert figures == {
        ("models_registered", "province"): 2,
        ("models_effective", "province"): 1,
        ("models_registered", "unit"): 1,
        ("models_effective", "unit"): 0,
        ("models_registered", "joint"): 0,
        ("models_effective", "joint"): 0,
    }
    [section] = [
        s
        for s in programme_selectors.programme_totals([models_world.programme])[models_world.programme.pk]
        if s.code == "models"
    ]
    assert [(str(line.label), line.value) for line in section.lines] == [
        ("Models registered", 1),
        ("Models recognised as effective", 0),
    ]
    assert section.url == "/models/?programme=ca-ldld-2024"
    Practice.objects.filter(code="tu-quan-nha-tro").update(recognised_on=TODAY, recognised_by=cast.unit)
    [section] = [
        s
        for s in programme_selectors.programme_totals([models_world.programme])[models_world.programme.pk]
        if s.code == "models"
    ]
    assert [line.value for line in section.lines] == [1, 1]
