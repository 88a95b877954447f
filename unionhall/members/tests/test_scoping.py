"""Who sees which people, memberships, officer terms and cards: the cast's matrix."""

import datetime as dt

import pytest

from conftest import grant, make_user
from unionhall.members import services
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard

from .people import TODAY, fresh, register

DAY = dt.date(2024, 6, 1)
CAST = ("officer", "parent", "sibling", "outsider", "admin")


@pytest.fixture
def people(cast):
    """One person in each of U, U's section, the sibling unit and the other province."""
    found = {
        "in_unit": register(cast.admin, cast.unit, "Người ở U"),
        "in_section": register(cast.admin, cast.section, "Người ở tổ"),
        "in_sibling": register(cast.admin, cast.sibling_unit, "Người ở đơn vị bạn"),
        "in_other_province": register(cast.admin, cast.other_province, "Người ở tỉnh khác"),
    }
    for person in found.values():
        membership = person.memberships.get()
        services.officer_appoint(
            actor=cast.admin, membership=membership, position="executive_committee", term_start=DAY, today=TODAY
        )
        services.card_issue(
            actor=cast.admin, person=person, card_number=f"C-{person.pk:04d}", issue_date=DAY, today=TODAY
        )
    return found


EXPECTED = {
    "officer": {"in_unit", "in_section"},
    "parent": {"in_unit", "in_section", "in_sibling"},
    "sibling": {"in_sibling"},
    "outsider": {"in_other_province"},
    "admin": {"in_unit", "in_section", "in_sibling", "in_other_province"},
}


def names(people, pks) -> set[str]:
    by_pk = {p.pk: key for key, p in people.items()}
    return {by_pk[pk] for pk in pks}


@pytest.mark.parametrize("who", CAST)
def test_visible_to_matrix(cast, people, who):
    actor = fresh(getattr(cast, who))
    expected = EXPECTED[who]
    for action in ("member.view", "member.change"):
        assert names(people, Person.objects.visible_to(actor, action).values_list("pk", flat=True)) == expected
        assert (
            names(people, Membership.objects.visible_to(actor, action).values_list("person_id", flat=True)) == expected
        )
        assert (
            names(
                people,
                OfficerTerm.objects.visible_to(actor, action).values_list("membership__person_id", flat=True),
            )
            == expected
        )
        assert (
            names(people, UnionCard.objects.visible_to(actor, action).values_list("person_id", flat=True)) == expected
        )


def test_nobody_and_the_anonymous_see_nothing(cast, people):
    from django.contrib.auth.models import AnonymousUser

    nobody = make_user("nobody")
    for actor in (nobody, AnonymousUser(), None):
        assert not Person.objects.visible_to(actor, "member.view").exists()
        assert not Membership.objects.visible_to(actor, "member.view").exists()
        assert not UnionCard.objects.visible_to(actor, "member.view").exists()


def test_a_viewer_sees_but_does_not_change(cast, people):
    viewer = make_user("viewer1")
    grant(viewer, cast.unit, role="viewer")
    assert names(people, Person.objects.visible_to(fresh(viewer), "member.view").values_list("pk", flat=True)) == {
        "in_unit",
        "in_section",
    }
    assert not Person.objects.visible_to(fresh(viewer), "member.change").exists()
    assert not Person.objects.visible_to(fresh(viewer), "member.view_national_id").exists()


def test_a_unit_only_grant_does_not_reach_the_section(cast, people):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer", scope="unit")
    assert names(people, Person.objects.visible_to(fresh(clerk), "member.view").values_list("pk", flat=True)) == {
        "in_unit"
    }


def test_a_person_stays_visible_where_they_were_a_member(cast, people):
    """History: after a transfer, the old unit still sees the person (and the ended membership)."""
    person = people["in_unit"]
    services.membership_transfer(
        actor=cast.parent, membership=person.memberships.get(), new_unit=cast.sibling_unit, day=DAY, today=TODAY
    )
    officer = fresh(cast.officer)
    assert Person.objects.visible_to(officer, "member.view").filter(pk=person.pk).exists()
    assert list(
        Membership.objects.visible_to(officer, "member.view").filter(person=person).values_list("status", flat=True)
    ) == ["ended"]
    assert Person.objects.visible_to(fresh(cast.sibling), "member.view").filter(pk=person.pk).exists()
    # ...but the person's record now answers to the new unit: the old one may no longer change it.
    from unionhall.core.errors import NotFound
    from unionhall.members.services import PersonDetails

    with pytest.raises(NotFound):
        services.person_update(
            actor=officer,
            person=person,
            version=1,
            details=PersonDetails(full_name="X", gender="male"),
            today=TODAY,
        )
