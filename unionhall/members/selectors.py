"""Reads on members: lists of a unit or subtree with keyset pages, search, one person.

Every read takes the actor and starts from `visible_to`. Lists page by (search name, id) with no
OFFSET and never count the table.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.core.text import clean_text, fold
from unionhall.orgunits.models import Unit

from . import identity
from .choices import OPEN_STATUSES, CardStatus, Gender, MembershipStatus
from .codes import member_code_is_valid, member_code_normalise
from .models import Membership, OfficerTerm, Person, UnionCard

VIEW = "member.view"
MAX_PAGE = 200
MAX_SEARCH_WORDS = 6
LAST_CHARACTER = chr(0x10FFFF)


@dataclass(frozen=True)
class MemberFilters:
    """Filters of a member list; empty means no filter. `statuses` defaults to current members."""

    statuses: tuple[str, ...] = tuple(OPEN_STATUSES)
    gender: str = ""
    join_year: int | None = None
    is_officer: bool | None = None
    card_status: str = ""


@dataclass
class Page:
    items: list[Membership]
    next_cursor: str | None
    filters: MemberFilters = field(default_factory=MemberFilters)


def _clean_filters(filters: MemberFilters) -> MemberFilters:
    if any(s not in MembershipStatus.values for s in filters.statuses):
        raise DomainError(_("Choose a valid status."), field="status")
    if filters.gender and filters.gender not in Gender.values:
        raise DomainError(_("Choose a gender."), field="gender")
    if filters.card_status and filters.card_status not in CardStatus.values:
        raise DomainError(_("Choose a valid card status."), field="card_status")
    if filters.join_year is not None and not 1900 <= filters.join_year <= 9999:
        raise DomainError(_("Choose a valid year."), field="join_year")
    return filters


def member_list(
    *,
    actor: Any,
    unit: Unit,
    subtree: bool = True,
    filters: MemberFilters = MemberFilters(),
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Memberships in `unit` (and below, with `subtree`), ordered by name, one keyset page."""
    scope = scope_for(actor, VIEW)
    if not scope.covers(path=unit.path, unit_id=unit.pk):
        raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    filters = _clean_filters(filters)
    limit = max(1, min(limit, MAX_PAGE))
    qs = Membership.objects.visible_to(actor, VIEW)
    qs = qs.filter(subtree_q("unit__path", unit.path)) if subtree else qs.filter(unit=unit)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.gender:
        qs = qs.filter(person__gender=filters.gender)
    if filters.join_year is not None:
        year = filters.join_year
        qs = qs.filter(join_date__gte=dt.date(year, 1, 1), join_date__lt=dt.date(year + 1, 1, 1))
    if filters.is_officer is not None:
        officer = Exists(OfficerTerm.objects.filter(membership_id=OuterRef("pk"), term_end__isnull=True))
        qs = qs.filter(officer if filters.is_officer else ~officer)
    if filters.card_status:
        card = UnionCard.objects.filter(person_id=OuterRef("person_id"), status=filters.card_status)
        qs = qs.filter(Exists(card))
    if cursor:
        name, pk = cursor_decode(cursor, (str, int))
        # The first condition alone lets the name index start at the cursor; the second is the exact keyset.
        qs = qs.filter(person__search_name__gte=name).filter(
            Q(person__search_name__gt=name) | Q(person__search_name=name, pk__gt=pk)
        )
    rows = list(qs.select_related("person", "unit").order_by("person__search_name", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].person.search_name, rows[-1].pk]) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor, filters=filters)


def person_search(*, actor: Any, query: str, limit: int = 20) -> list[Person]:
    """People the actor sees, by name, member code or phone; diacritics and Arabic/Persian variants ignored.

    Names that start with the query come first, in name order; then the others that contain every
    word. Names are written surname first, so a typed name is usually a prefix: that part reads a
    range of the name index and stops after one page, where "every word somewhere" ordered by name
    would walk the index from "a" past millions of names (see docs/benchmarks.md).
    """
    words = fold(clean_text(query or "", field="q")).split()[:MAX_SEARCH_WORDS]
    if not words:
        return []
    limit = max(1, min(limit, MAX_PAGE))
    visible = Person.objects.visible_to(actor, VIEW)
    phrase = " ".join(words)
    # "Starts with" as a range in code-point order (the column's collation is "C" on PostgreSQL,
    # BINARY on SQLite), which both databases serve from the name index.
    starts = Q(search_name__gte=phrase, search_name__lt=phrase + LAST_CHARACTER)
    code = member_code_normalise(query)
    # A member code typed with dashes or spaces names one person: that person first.
    ids = list(visible.filter(member_code=code).values_list("pk", flat=True)) if member_code_is_valid(code) else []
    ids += [pk for pk in _first_ids(visible.filter(starts), limit) if pk not in ids]
    if len(ids) < limit:
        others = visible.exclude(starts)
        for word in words:
            others = others.filter(search_name__contains=word)
        ids += [pk for pk in _first_ids(others, limit) if pk not in ids]
    ids = ids[:limit]
    people = Person.objects.in_bulk(ids)
    return [people[pk] for pk in ids]


def _first_ids(people: QuerySet[Person], count: int) -> list[int]:
    """The first ids in name order. Only the name index is read (search name and id), so the words are
    matched on index entries instead of fetching each skipped row from the table."""
    return list(people.order_by("search_name", "pk").values_list("pk", flat=True)[:count])


def person_get(*, actor: Any, member_code: str) -> Person:
    """A person by member code, if the actor sees them; otherwise NotFound."""
    code = member_code_normalise(clean_text(member_code or "", field="member_code"))
    person = Person.objects.visible_to(actor, VIEW).filter(member_code=code).first()
    if person is None:
        raise NotFound(_("Person %(code)s was not found.") % {"code": code}, field="person")
    return person


def person_memberships(*, actor: Any, person: Person) -> QuerySet[Membership]:
    """The person's membership history that the actor may see, newest first."""
    return Membership.objects.visible_to(actor, VIEW).filter(person=person).select_related("unit")


def masked_national_id(person: Person) -> str:
    return identity.masked(person.id_kind, person.national_id_hint)
