"""Reads the members endpoints need beyond `unionhall.members.selectors`, each scoped to the actor."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound
from unionhall.core.scoping import scope_for
from unionhall.members import services
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.members.services import VIEW
from unionhall.orgunits.models import Unit


def person_not_found(code: str) -> NotFound:
    """The URL's person is absent: a 404, exactly as for a code that does not exist."""
    return NotFound(_("Person %(code)s was not found.") % {"code": code})


def person_by_code(people: QuerySet[Person], code: str) -> Person | None:
    return people.filter(member_code=member_code_normalise(code)).first()


def covers(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def visible_home(*, actor: Any, person: Person) -> Membership | None:
    """The membership that answers for the person (ADR 0006), if the actor sees its unit."""
    home = services.home_membership(person)
    return home if home is not None and covers(actor, VIEW, home.unit) else None


def answerable_home(*, actor: Any, person: Person, action: str) -> Membership:
    """The person's home membership when the actor holds `action` on its unit; otherwise a 404.

    A person is visible wherever one of their memberships is, but changes, cards and the plain
    national ID answer to the home unit; the services would call the person "not found" as a
    request field (a 400), while here the person is the URL's resource.
    """
    home = services.home_membership(person)
    if home is None or not covers(actor, action, home.unit):
        raise person_not_found(person.member_code)
    return home


def sensitive_or_none(*, actor: Any, person: Person) -> dict[str, str] | None:
    """Ethnicity and religion for holders of `member.view_sensitive` on the home unit, else None."""
    if visible_home(actor=actor, person=person) is None:
        return None
    return services.sensitive_display(actor=actor, person=person)


def open_membership(*, actor: Any, person: Person, action: str) -> Membership | None:
    """The person's open membership, if it is in a unit where the actor holds `action`."""
    return (
        Membership.objects.visible_to(actor, action)
        .open()
        .filter(person=person)
        .select_related("unit", "person")
        .first()
    )


def current_units(*, actor: Any, people: list[Person]) -> dict[int, Unit]:
    """Each person's unit of their open membership, when the actor sees it (one query)."""
    memberships = (
        Membership.objects.visible_to(actor, VIEW)
        .open()
        .filter(person_id__in=[person.pk for person in people])
        .select_related("unit")
    )
    return {membership.person_id: membership.unit for membership in memberships}
