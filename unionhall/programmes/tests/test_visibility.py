"""Who sees which programme and who changes it: the cast and the police against two programmes."""

import pytest

from conftest import grant, make_user
from unionhall.programmes.models import Programme, ProgrammeOfficer, ProgrammeParty
from unionhall.programmes.services import may_change

from .fixtures import ROLES, fresh

SEES = {
    # Parties DN (lead) and the police: the units under the province see it, another province does not.
    "province_pg": {"officer": True, "parent": True, "sibling": True, "outsider": False, "admin": True, "police": True},
    # Parties the cast's unit (lead) and the police: above the unit (parent) sees it, the sibling does not.
    "unit_pg": {"officer": True, "parent": True, "sibling": False, "outsider": False, "admin": True, "police": True},
}
CHANGES = {
    "province_pg": {"admin": True},
    "unit_pg": {"officer": True, "parent": True, "admin": True},
}


@pytest.mark.parametrize("name", list(SEES))
def test_visibility_matrix(cast, pworld, name):
    programme = getattr(pworld, name)
    for role in (*ROLES, "admin", "police"):
        actor = fresh(pworld.police_officer if role == "police" else getattr(cast, role))
        seen = Programme.objects.visible_to(actor, "programme.view").filter(pk=programme.pk).exists()
        assert seen is SEES[name][role], role
        assert ProgrammeParty.objects.visible_to(actor, "programme.view").filter(programme=programme).exists() is seen
        assert may_change(actor, programme) is CHANGES[name].get(role, False), role
        changeable = Programme.objects.changeable_by(actor).filter(pk=programme.pk).exists()
        assert changeable is CHANGES[name].get(role, False), role


def test_a_single_unit_grant_below_a_party_sees_the_programme(cast, pworld):
    section_officer = make_user("section")
    grant(section_officer, cast.section, role="officer", scope="unit")
    visible = set(Programme.objects.visible_to(section_officer, "programme.view").values_list("code", flat=True))
    assert visible == {"ca-ldld-2018", "ca-songmay"}
    assert Programme.objects.changeable_by(section_officer).count() == 0


def test_officers_are_seen_with_their_programme(cast, pworld):
    ProgrammeOfficer.objects.create(programme=pworld.unit_pg, unit=cast.unit, name="Nguyễn Văn A")
    assert ProgrammeOfficer.objects.visible_to(fresh(cast.parent), "programme.view").count() == 1
    assert ProgrammeOfficer.objects.visible_to(fresh(cast.sibling), "programme.view").count() == 0
