"""Writes on people, memberships, officer terms and union cards.

Every service is keyword-only, runs in one transaction, checks the actor's scope for
`member.change` on the units involved (out of scope looks like "not found"), and writes an audit
entry. The national ID is stored encrypted with a keyed blind index; it never enters an audit
entry, a message or a log line in plain.
"""

import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from unionhall.audit.recorder import Change, record, record_many
from unionhall.core import fieldcrypto
from unionhall.core.cleaning import clean_str
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.scoping import scope_for
from unionhall.core.text import clean_text, fold
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import AdminArea, Unit

from . import identity
from .choices import (
    OPEN_STATUSES,
    CardStatus,
    CardType,
    EducationLevel,
    EndReason,
    Gender,
    IdKind,
    MembershipStatus,
    Position,
)
from .codes import member_code_new
from .models import Membership, OfficerTerm, Person, UnionCard

VIEW = "member.view"
CHANGE = "member.change"
VIEW_NATIONAL_ID = "member.view_national_id"
VIEW_SENSITIVE = "member.view_sensitive"
ID_CONTEXT = "members.person.national_id"
SENSITIVE_FIELDS = ("ethnicity", "religion")
CODE_ATTEMPTS = 8
EARLIEST_DATE = dt.date(1900, 1, 1)
PHONE_RE = re.compile(r"^\+?[0-9]{6,15}$")
# The enums' `values` build a new list on each call; these checks run once per imported row.
GENDERS = frozenset(Gender.values)
ID_KINDS = frozenset(IdKind.values)
EDUCATION_LEVELS = frozenset(EducationLevel.values)
CARD_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,29}$")
# A member may move between these card states; every other change is refused.
CARD_TRANSITIONS = {
    CardStatus.ACTIVE: {CardStatus.LOST, CardStatus.REVOKED, CardStatus.REPLACED},
    CardStatus.LOST: {CardStatus.ACTIVE, CardStatus.REVOKED, CardStatus.REPLACED},
}
# Transfers and dissolutions end memberships through their own operations.
END_REASONS_BY_HAND = (EndReason.LEFT_JOB, EndReason.EXPELLED, EndReason.DECEASED, EndReason.RESIGNED)
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)


@dataclass(frozen=True)
class PersonDetails:
    """What a person record holds. `None` for the national ID, ethnicity or religion keeps the current value."""

    full_name: str
    gender: str
    date_of_birth: dt.date | None = None
    id_kind: str = ""
    # Kept out of repr(), so a traceback or a log line that prints the details does not carry them.
    national_id: str | None = field(default=None, repr=False)
    nationality: str = ""
    ethnicity: str | None = field(default=None, repr=False)
    religion: str | None = field(default=None, repr=False)
    education_level: str = ""
    phone: str = ""
    email: str = ""
    residence_province: AdminArea | None = None
    residence_commune: AdminArea | None = None
    employer: Unit | None = None
    job_title: str = ""


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _person_not_found(person: Person) -> NotFound:
    return NotFound(_("Person %(code)s was not found.") % {"code": person.member_code}, field="person")


def _require(actor: Any, action: str, unit: Unit, field: str = "unit") -> None:
    if not scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit, field)


def _holds(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def _date(day: dt.date | None, *, field: str, today: dt.date, required: bool = True) -> dt.date | None:
    if day is None:
        if required:
            raise DomainError(_("This date is required."), field=field)
        return None
    if day > today:
        raise DomainError(_("The date cannot be in the future."), field=field)
    if day < EARLIEST_DATE:
        raise DomainError(_("The date is too far in the past."), field=field)
    return day


def home_membership(person: Person) -> Membership | None:
    """The membership that answers for the person: the open one, else the latest."""
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Membership.objects.filter(person=person)
        .select_related("unit")
        .order_by(open_first, "-join_date", "-id")
        .first()
    )


def _require_person(actor: Any, action: str, person: Person) -> Membership:
    """The person's home membership, if the actor holds `action` on its unit; otherwise NotFound."""
    home = home_membership(person)
    if home is None or not _holds(actor, action, home.unit):
        raise _person_not_found(person)
    return home


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _lock_membership(membership: Membership) -> Membership:
    return Membership.objects.select_for_update(of=("self",)).select_related("unit", "person").get(pk=membership.pk)


def _change(obj: Any, unit: Unit, before: Mapping | None = None, after: Mapping | None = None) -> Change:
    return Change(obj=obj, before=before, after=after, unit_id=unit.pk, unit_path=unit.path)


# ---------------------------------------------------------------- person details


def _clean_phone(value: str) -> str:
    phone = clean_text(value or "", field="phone").translate(_DIGITS)
    phone = "".join(ch for ch in phone if ch not in " .-()")
    if phone and not PHONE_RE.match(phone):
        raise DomainError(_("A phone number has 6 to 15 digits, optionally after a +."), field="phone")
    return phone


def _clean_email(value: str) -> str:
    email = clean_text(value or "", field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid email address."), field="email") from None
    return email


@dataclass(frozen=True)
class _Identity:
    kind: str
    encrypted: str
    index: str | None
    hint: str
    nationality: str


_NO_IDENTITY = _Identity("", "", None, "", "")


def _identity_of(person: Person) -> _Identity:
    return _Identity(
        person.id_kind,
        person.national_id_encrypted,
        person.national_id_index,
        person.national_id_hint,
        person.nationality,
    )


@sensitive_variables()
def _clean_identity(
    details: PersonDetails, *, current: Person | None, gender: str, date_of_birth: dt.date | None
) -> _Identity:
    """The identity fields to store; a number that is kept is checked again against the new details."""
    nationality = clean_text(details.nationality or "", field="nationality").upper()
    if details.national_id is None:
        if current is None or not current.national_id_encrypted:
            if details.id_kind:
                raise DomainError(_("Enter the number of the identity document."), field="national_id")
            return _Identity("", "", None, "", nationality) if nationality else _NO_IDENTITY
        kind = details.id_kind or current.id_kind
        number = fieldcrypto.decrypt(current.national_id_encrypted, context=ID_CONTEXT)
        nationality = nationality or current.nationality
    else:
        raw = clean_text(details.national_id, field="national_id")
        if not raw:
            return _Identity("", "", None, "", nationality)
        kind = details.id_kind
        if kind not in ID_KINDS:
            raise DomainError(_("Choose the kind of identity document."), field="id_kind")
        number = identity.normalise(kind, raw)
    if kind in (IdKind.CCCD, IdKind.CMND):
        nationality = nationality or "VN"
    problems = identity.id_problems(kind, number, gender=gender, date_of_birth=date_of_birth, nationality=nationality)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), field="national_id", code="bad_national_id")
    index = fieldcrypto.blind_index(identity.blind_index_input(kind, number, nationality), context=ID_CONTEXT)
    if current is not None and current.national_id_index == index:
        # Unchanged number: keep the stored ciphertext (a rotation job re-encrypts on its own).
        return _Identity(kind, current.national_id_encrypted, index, current.national_id_hint, nationality)
    encrypted = fieldcrypto.encrypt(number, context=ID_CONTEXT)
    return _Identity(kind, encrypted, index, identity.hint(number), nationality)


def _duplicate_id(actor: Any, index: str | None, exclude_pk: int | None = None) -> Conflict | None:
    if index is None:
        return None
    others = Person.objects.filter(national_id_index=index)
    other = (others.exclude(pk=exclude_pk) if exclude_pk is not None else others).first()
    if other is None:
        return None
    if Person.objects.visible_to(actor, VIEW).filter(pk=other.pk).exists():
        return Conflict(
            _("A person with this identity number is already registered (member code %(code)s).")
            % {"code": other.member_code},
            field="national_id",
            code="duplicate_national_id",
        )
    return Conflict(
        _("A person with this identity number is already registered."),
        field="national_id",
        code="duplicate_national_id",
    )


def _clean_area(area: AdminArea | None, level: str, field: str) -> AdminArea | None:
    if area is not None and area.level != level:
        if level == "province":
            raise DomainError(_("Choose a province or city."), field=field)
        raise DomainError(_("Choose a commune, ward or special zone."), field=field)
    return area


@sensitive_variables()
def person_details_clean(
    actor: Any, details: PersonDetails, *, current: Person | None, today: dt.date
) -> dict[str, Any]:
    """The values to store, validated; also the sensitive fields the actor may write."""
    full_name = clean_str(details.full_name, "full_name", 200)
    if not full_name:
        raise DomainError(_("The full name is required."), field="full_name")
    if details.gender not in GENDERS:
        raise DomainError(_("Choose a gender."), field="gender")
    date_of_birth = _date(details.date_of_birth, field="date_of_birth", today=today, required=False)
    if details.education_level and details.education_level not in EDUCATION_LEVELS:
        raise DomainError(_("Choose an education level."), field="education_level")
    province = _clean_area(details.residence_province, "province", "residence_province")
    commune = _clean_area(details.residence_commune, "commune", "residence_commune")
    if commune is not None and (province is None or commune.parent_id != province.pk):
        raise DomainError(_("The commune does not belong to the chosen province."), field="residence_commune")
    employer = details.employer
    if employer is not None:
        if not employer.type.is_employer:
            raise DomainError(_("The employer must be a unit of an employer type."), field="employer")
        if not _holds(actor, "unit.view", employer):
            raise unit_not_found(employer, "employer")
    ident = _clean_identity(details, current=current, gender=details.gender, date_of_birth=date_of_birth)
    values: dict[str, Any] = {
        "full_name": full_name,
        "gender": details.gender,
        "date_of_birth": date_of_birth,
        "id_kind": ident.kind,
        "national_id_encrypted": ident.encrypted,
        "national_id_index": ident.index,
        "national_id_hint": ident.hint,
        "nationality": ident.nationality,
        "education_level": details.education_level,
        "phone": _clean_phone(details.phone),
        "email": _clean_email(details.email),
        "residence_province": province,
        "residence_commune": commune,
        "employer": employer,
        "job_title": clean_str(details.job_title, "job_title", 200),
    }
    for name in SENSITIVE_FIELDS:
        value = getattr(details, name)
        if value is not None:
            values[name] = clean_str(value, name, 100)
    return values


def person_search_name(full_name: str, member_code: str, phone: str) -> str:
    return fold(" ".join(part for part in (full_name, member_code, phone) if part))[:400]


def person_snapshot(person: Person) -> dict[str, Any]:
    """What the audit log keeps of a person: the national ID masked, sensitive fields only named."""
    return {
        "member_code": person.member_code,
        "full_name": person.full_name,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
        "id_kind": person.id_kind,
        "national_id": identity.masked(person.id_kind, person.national_id_hint),
        "nationality": person.nationality,
        "education_level": person.education_level,
        "phone": person.phone,
        "email": person.email,
        "residence_province_id": person.residence_province_id,
        "residence_commune_id": person.residence_commune_id,
        "employer_id": person.employer_id,
        "job_title": person.job_title,
        "sensitive_recorded": [name for name in SENSITIVE_FIELDS if getattr(person, name)],
    }


def _require_sensitive_allowed(actor: Any, details: PersonDetails, unit: Unit) -> None:
    if any(getattr(details, name) is not None for name in SENSITIVE_FIELDS) and not _holds(actor, VIEW_SENSITIVE, unit):
        raise Forbidden(_("You may not record ethnicity or religion in this unit."), field="ethnicity")


# ---------------------------------------------------------------- people


@transaction.atomic
@sensitive_variables()
def person_create(
    *, actor: Any, unit: Unit, join_date: dt.date, details: PersonDetails, today: dt.date | None = None
) -> Person:
    """Register a person and their membership of `unit` from `join_date`; the member code is generated.

    A national ID already registered to a person with no open membership re-joins that person instead
    (see `_person_rejoin`); one registered to a current member of any unit is a conflict.
    """
    today = _today(today)
    _require(actor, CHANGE, unit)
    require_active_unit(unit)
    _require_sensitive_allowed(actor, details, unit)
    values = person_details_clean(actor, details, current=None, today=today)
    join_date = _date(join_date, field="join_date", today=today)  # type: ignore[assignment]
    _require_joined_after_birth(join_date, values["date_of_birth"])
    former = _former_member(values["national_id_index"])
    if former is not None:
        return _person_rejoin(actor, former, unit, join_date, values)
    duplicate = _duplicate_id(actor, values["national_id_index"])
    if duplicate:
        raise duplicate
    person = _insert_person(actor, values)
    membership = Membership.objects.create(person=person, unit=unit, join_date=join_date)
    record_many(
        actor=actor,
        action="member.create",
        changes=[
            _change(person, unit, after=person_snapshot(person)),
            _change(membership, unit, after=_membership_snapshot(membership, unit)),
        ],
    )
    return person


def _former_member(index: str | None) -> Person | None:
    """The person registered under this blind index, locked, if they are no longer a member of any unit."""
    if index is None:
        return None
    person = Person.objects.select_for_update().filter(national_id_index=index).first()
    if person is None or Membership.objects.filter(person=person).open().exists():
        return None
    return person


@sensitive_variables()
def _person_rejoin(actor: Any, person: Person, unit: Unit, join_date: dt.date, values: dict[str, Any]) -> Person:
    """A former member registered again: their record takes the details entered and a membership of `unit`.

    The record keeps its member code and history, but nothing of what an earlier unit recorded stays
    readable here: every detail is replaced by what the actor entered (unentered ethnicity and
    religion are cleared), and the audit entry under the new unit carries only the new state.
    """
    _require_no_later_history(person, join_date)
    former_home = home_membership(person)
    before = person_snapshot(person)
    for name in SENSITIVE_FIELDS:
        values.setdefault(name, "")
    sensitive_changed = [n for n in SENSITIVE_FIELDS if getattr(person, n) != values[n]]
    for name, value in values.items():
        setattr(person, name, value)
    person.search_name = person_search_name(person.full_name, person.member_code, person.phone)
    person.version = F("version") + 1
    person.save()
    person.refresh_from_db()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(person=person, unit=unit, join_date=join_date)
    except IntegrityError:
        raise Conflict(
            _("A person with this identity number is already registered."),
            field="national_id",
            code="duplicate_national_id",
        ) from None
    after = person_snapshot(person)
    changes = []
    if former_home is not None:
        # What the record held is logged under the unit that kept it (with the names of the changed fields only),
        # never under the unit that re-joins them.
        changed = sorted(k for k in after if k != "sensitive_recorded" and after[k] != before[k])
        changes.append(
            _change(
                person,
                former_home.unit,
                before,
                {"member_code": person.member_code, "changed": changed, "sensitive_changed": sensitive_changed},
            )
        )
    changes += [
        _change(person, unit, after=after),
        _change(membership, unit, after=_membership_snapshot(membership, unit)),
    ]
    record_many(actor=actor, action="member.rejoin", changes=changes)
    return person


def _insert_person(actor: Any, values: dict[str, Any]) -> Person:
    """Insert with a fresh random member code; a clash of codes (rare) draws again."""
    for _attempt in range(CODE_ATTEMPTS):
        code = member_code_new(secrets.randbelow(10**10))
        try:
            with transaction.atomic():
                return Person.objects.create(
                    **values,
                    member_code=code,
                    search_name=person_search_name(values["full_name"], code, values["phone"]),
                )
        except IntegrityError:
            duplicate = _duplicate_id(actor, values["national_id_index"])
            if duplicate:
                raise duplicate from None
            if not Person.objects.filter(member_code=code).exists():
                raise
    raise Conflict(_("No free member code was found; try again."), code="member_code")


def _require_joined_after_birth(join_date: dt.date, date_of_birth: dt.date | None) -> None:
    if date_of_birth is not None and join_date < date_of_birth:
        raise DomainError(_("The join date is before the date of birth."), field="join_date")


@transaction.atomic
@sensitive_variables()
def person_update(
    *, actor: Any, person: Person, version: int, details: PersonDetails, today: dt.date | None = None
) -> Person:
    """Change a person's details; `version` guards against a lost update."""
    today = _today(today)
    person = _lock_person(person)
    home = _require_person(actor, CHANGE, person)
    if person.version != version:
        raise Conflict(_("Someone else changed this person meanwhile. Reload the page and try again."), code="stale")
    _require_sensitive_allowed(actor, details, home.unit)
    values = person_details_clean(actor, details, current=person, today=today)
    first_join = Membership.objects.filter(person=person).order_by("join_date").values_list("join_date", flat=True)
    if first_join:
        _require_joined_after_birth(first_join[0], values["date_of_birth"])
    duplicate = _duplicate_id(actor, values["national_id_index"], exclude_pk=person.pk)
    if duplicate:
        raise duplicate
    before = person_snapshot(person)
    before_state = (before, {n: getattr(person, n) for n in SENSITIVE_FIELDS}, _identity_of(person))
    for name, value in values.items():
        setattr(person, name, value)
    after = person_snapshot(person)
    after_state = (after, {n: getattr(person, n) for n in SENSITIVE_FIELDS}, _identity_of(person))
    if after_state == before_state:
        return person
    sensitive_changed = [n for n in SENSITIVE_FIELDS if before_state[1][n] != after_state[1][n]]
    person.search_name = person_search_name(person.full_name, person.member_code, person.phone)
    person.version = F("version") + 1
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        duplicate = _duplicate_id(actor, values["national_id_index"], exclude_pk=person.pk)
        raise (duplicate or Conflict(_("The change clashes with another record."))) from None
    person.refresh_from_db()
    if sensitive_changed:
        after = {**after, "sensitive_changed": sensitive_changed}
    if before_state[2].index != after_state[2].index:
        after = {**after, "national_id_changed": True}
    record_many(actor=actor, action="member.update", changes=[_change(person, home.unit, before, after)])
    return person


@sensitive_variables()
def national_id_display(*, actor: Any, person: Person, purpose: str = "") -> str:
    """The national ID for a page: in plain to holders of `member.view_national_id` (and logged), else masked."""
    if not person.national_id_encrypted:
        return ""
    home = _require_person(actor, VIEW, person)
    if not _holds(actor, VIEW_NATIONAL_ID, home.unit):
        return identity.masked(person.id_kind, person.national_id_hint)
    return national_id_reveal(actor=actor, person=person, purpose=purpose)


@transaction.atomic
@sensitive_variables()
def national_id_reveal(*, actor: Any, person: Person, purpose: str = "") -> str:
    """The national ID in plain, for holders of `member.view_national_id`; every call is logged."""
    home = _require_person(actor, VIEW, person)
    if not _holds(actor, VIEW_NATIONAL_ID, home.unit):
        raise Forbidden(_("You may not see national ID numbers in this unit."))
    if not person.national_id_encrypted:
        return ""
    purpose = clean_str(purpose, "purpose", 200)
    number = fieldcrypto.decrypt(person.national_id_encrypted, context=ID_CONTEXT)
    record_many(
        actor=actor,
        action="member.national_id_viewed",
        changes=[_change(person, home.unit, after={"id_kind": person.id_kind, "purpose": purpose})],
    )
    return number


def sensitive_display(*, actor: Any, person: Person) -> dict[str, str] | None:
    """Ethnicity and religion for holders of `member.view_sensitive`, else None."""
    home = _require_person(actor, VIEW, person)
    if not _holds(actor, VIEW_SENSITIVE, home.unit):
        return None
    return {name: getattr(person, name) for name in SENSITIVE_FIELDS}


# ---------------------------------------------------------------- memberships


def _membership_snapshot(membership: Membership, unit: Unit) -> dict[str, Any]:
    snapshot = {
        "member_code": membership.person.member_code,
        "unit": unit.code,
        "join_date": membership.join_date,
        "status": membership.status,
        "end_reason": membership.end_reason,
        "end_date": membership.end_date,
    }
    if membership.suspended_on is not None:
        snapshot |= {"suspended_on": membership.suspended_on, "suspension_reason": membership.suspension_reason}
    return snapshot


def _require_no_later_history(person: Person, day: dt.date) -> None:
    """Memberships follow each other: a new one may not start before an earlier one ended."""
    if Membership.objects.filter(Q(end_date__gt=day) | Q(join_date__gt=day), person=person).exists():
        raise DomainError(_("The date is before the end of an earlier membership of this person."), field="join_date")


@transaction.atomic
def membership_join(*, actor: Any, person: Person, unit: Unit, join_date: dt.date, today: dt.date | None = None):
    """A person the actor sees joins `unit` (again); one open membership at a time."""
    today = _today(today)
    person = _lock_person(person)
    _require(actor, CHANGE, unit)
    if not Person.objects.visible_to(actor, VIEW).filter(pk=person.pk).exists():
        raise _person_not_found(person)
    require_active_unit(unit)
    join_date = _date(join_date, field="join_date", today=today)  # type: ignore[assignment]
    _require_joined_after_birth(join_date, person.date_of_birth)
    if Membership.objects.filter(person=person).open().exists():
        raise Conflict(
            _("This person is already a member of a unit: end or transfer that membership first."),
            code="already_member",
        )
    _require_no_later_history(person, join_date)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(person=person, unit=unit, join_date=join_date)
    except IntegrityError:
        raise Conflict(
            _("This person is already a member of a unit: end or transfer that membership first."),
            code="already_member",
        ) from None
    record(actor=actor, action="membership.join", obj=membership, after=_membership_snapshot(membership, unit))
    return membership


def _end_open_terms(membership: Membership, day: dt.date) -> list[OfficerTerm]:
    terms = list(OfficerTerm.objects.filter(membership=membership, term_end__isnull=True))
    if any(t.term_start > day for t in terms):
        raise DomainError(_("An officer term of this member starts after that date."), field="end_date")
    OfficerTerm.objects.filter(pk__in=[t.pk for t in terms]).update(term_end=day)
    return terms


def _require_open(membership: Membership) -> None:
    if not membership.is_open:
        raise DomainError(_("This membership has already ended."), code="ended")


def _require_on_or_after(day: dt.date, start: dt.date, field: str) -> None:
    if day < start:
        raise DomainError(
            _("The date is before the start (%(date)s).") % {"date": start.strftime("%d/%m/%Y")}, field=field
        )


def _latest_start(membership: Membership) -> dt.date:
    """The earliest day the membership may end: its join date, or the start of its suspension."""
    return membership.suspended_on or membership.join_date


@transaction.atomic
def membership_transfer(
    *, actor: Any, membership: Membership, new_unit: Unit, day: dt.date, today: dt.date | None = None
) -> Membership:
    """End the membership on `day` (reason: transferred) and open one at `new_unit` from `day`."""
    today = _today(today)
    membership = _lock_membership(membership)
    old_unit = membership.unit
    _require(actor, CHANGE, old_unit)
    _require(actor, CHANGE, new_unit, "new_unit")
    _require_open(membership)
    require_active_unit(new_unit, "new_unit")
    if new_unit.pk == old_unit.pk:
        raise DomainError(_("The member is already in unit %(code)s.") % {"code": new_unit.code}, field="new_unit")
    day = _date(day, field="day", today=today)  # type: ignore[assignment]
    _require_on_or_after(day, _latest_start(membership), "day")
    before = _membership_snapshot(membership, old_unit)
    terms = _end_open_terms(membership, day)
    status = membership.status
    Membership.objects.filter(pk=membership.pk).update(
        status=MembershipStatus.ENDED, end_reason=EndReason.TRANSFERRED, end_date=day, version=F("version") + 1
    )
    membership.refresh_from_db()
    # A suspension goes with the member: it stands in the new unit from the day of the transfer.
    new = Membership.objects.create(
        person=membership.person,
        unit=new_unit,
        join_date=day,
        status=status,
        suspended_on=day if membership.suspended_on else None,
        suspension_reason=membership.suspension_reason,
    )
    changes = [
        _change(membership, old_unit, before, _membership_snapshot(membership, old_unit)),
        _change(new, new_unit, after=_membership_snapshot(new, new_unit)),
    ]
    changes += [_change(t, old_unit, {"term_end": None}, {"position": t.position, "term_end": day}) for t in terms]
    record_many(actor=actor, action="membership.transfer", changes=changes)
    return new


@transaction.atomic
def membership_end(
    *, actor: Any, membership: Membership, reason: str, day: dt.date, today: dt.date | None = None
) -> Membership:
    today = _today(today)
    membership = _lock_membership(membership)
    _require(actor, CHANGE, membership.unit)
    _require_open(membership)
    if reason not in END_REASONS_BY_HAND:
        raise DomainError(_("Choose why the membership ends."), field="reason")
    day = _date(day, field="end_date", today=today)  # type: ignore[assignment]
    _require_on_or_after(day, _latest_start(membership), "end_date")
    return _close_terms_and_update(
        actor,
        membership,
        day,
        "membership.end",
        status=MembershipStatus.ENDED,
        end_reason=reason,
        end_date=day,
    )


def _close_terms_and_update(actor: Any, membership: Membership, day: dt.date, action: str, **values: Any) -> Membership:
    """End the member's officer terms on `day`, write `values` on the membership, and audit both."""
    before = _membership_snapshot(membership, membership.unit)
    terms = _end_open_terms(membership, day)
    Membership.objects.filter(pk=membership.pk).update(**values, version=F("version") + 1)
    membership.refresh_from_db()
    changes = [_change(membership, membership.unit, before, _membership_snapshot(membership, membership.unit))]
    changes += [
        _change(t, membership.unit, {"term_end": None}, {"position": t.position, "term_end": day}) for t in terms
    ]
    record_many(actor=actor, action=action, changes=changes)
    return membership


SUSPENSION_REASON_MAX = 200


@transaction.atomic
def membership_suspend(
    *, actor: Any, membership: Membership, day: dt.date, reason: str, today: dt.date | None = None
) -> Membership:
    """Suspend an active membership from `day` for `reason`; the member stays in the unit, officer terms end."""
    today = _today(today)
    membership = _lock_membership(membership)
    _require(actor, CHANGE, membership.unit)
    _require_open(membership)
    if membership.status == MembershipStatus.SUSPENDED:
        raise DomainError(
            _("This membership is already suspended (since %(date)s).")
            % {"date": membership.suspended_on.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
            code="suspended",
        )
    reason = clean_str(reason, "reason", SUSPENSION_REASON_MAX)
    if not reason:
        raise DomainError(_("Give the reason for the suspension."), field="reason")
    day = _date(day, field="day", today=today)  # type: ignore[assignment]
    _require_on_or_after(day, membership.join_date, "day")
    return _close_terms_and_update(
        actor,
        membership,
        day,
        "membership.suspend",
        status=MembershipStatus.SUSPENDED,
        suspended_on=day,
        suspension_reason=reason,
    )


@transaction.atomic
def membership_resume(*, actor: Any, membership: Membership, day: dt.date, today: dt.date | None = None) -> Membership:
    """Lift a membership's suspension from `day`; the audit log keeps when and why it was suspended."""
    today = _today(today)
    membership = _lock_membership(membership)
    _require(actor, CHANGE, membership.unit)
    _require_open(membership)
    if membership.status != MembershipStatus.SUSPENDED:
        raise DomainError(_("This membership is not suspended."), code="not_suspended")
    day = _date(day, field="day", today=today)  # type: ignore[assignment]
    _require_on_or_after(day, membership.suspended_on, "day")  # type: ignore[arg-type]
    before = _membership_snapshot(membership, membership.unit)
    Membership.objects.filter(pk=membership.pk).update(
        status=MembershipStatus.ACTIVE, suspended_on=None, suspension_reason="", version=F("version") + 1
    )
    membership.refresh_from_db()
    after = {**_membership_snapshot(membership, membership.unit), "resumed_on": day}
    record_many(actor=actor, action="membership.resume", changes=[_change(membership, membership.unit, before, after)])
    return membership


# ---------------------------------------------------------------- officers


@transaction.atomic
def officer_appoint(
    *,
    actor: Any,
    membership: Membership,
    position: str,
    term_start: dt.date,
    full_time: bool = False,
    today: dt.date | None = None,
) -> OfficerTerm:
    today = _today(today)
    membership = _lock_membership(membership)
    _require(actor, CHANGE, membership.unit)
    if membership.status != MembershipStatus.ACTIVE:
        raise DomainError(_("Only an active member can hold a union position."), code="not_active")
    if position not in Position.values:
        raise DomainError(_("Choose a position."), field="position")
    term_start = _date(term_start, field="term_start", today=today)  # type: ignore[assignment]
    _require_on_or_after(term_start, membership.join_date, "term_start")
    duplicate = _("This member already holds this position.")
    if OfficerTerm.objects.filter(membership=membership, position=position, term_end__isnull=True).exists():
        raise Conflict(duplicate, field="position")
    try:
        with transaction.atomic():
            term = OfficerTerm.objects.create(
                membership=membership, position=position, full_time=bool(full_time), term_start=term_start
            )
    except IntegrityError:
        raise Conflict(duplicate, field="position") from None
    record_many(
        actor=actor,
        action="officer.appoint",
        changes=[
            _change(
                term,
                membership.unit,
                after={
                    "member_code": membership.person.member_code,
                    "position": position,
                    "full_time": term.full_time,
                    "term_start": term_start,
                },
            )
        ],
    )
    return term


@transaction.atomic
def officer_end(*, actor: Any, term: OfficerTerm, term_end: dt.date, today: dt.date | None = None) -> OfficerTerm:
    today = _today(today)
    term = OfficerTerm.objects.select_for_update(of=("self",)).select_related("membership__unit").get(pk=term.pk)
    unit = term.membership.unit
    _require(actor, CHANGE, unit)
    if term.term_end is not None:
        raise DomainError(_("This term has already ended."), code="ended")
    term_end = _date(term_end, field="term_end", today=today)  # type: ignore[assignment]
    _require_on_or_after(term_end, term.term_start, "term_end")
    OfficerTerm.objects.filter(pk=term.pk).update(term_end=term_end)
    term.refresh_from_db()
    record_many(
        actor=actor,
        action="officer.end",
        changes=[_change(term, unit, {"term_end": None}, {"position": term.position, "term_end": term_end})],
    )
    return term


# ---------------------------------------------------------------- cards


def _card_snapshot(card: UnionCard) -> dict[str, Any]:
    return {
        "card_number": card.card_number,
        "card_type": card.card_type,
        "issue_date": card.issue_date,
        "status": card.status,
    }


@transaction.atomic
def card_issue(
    *,
    actor: Any,
    person: Person,
    card_number: str,
    issue_date: dt.date,
    card_type: str = CardType.PLAIN,
    replace: bool = False,
    today: dt.date | None = None,
) -> UnionCard:
    """Issue a card to a current member; `replace` marks their active card replaced."""
    today = _today(today)
    person = _lock_person(person)
    home = _require_person(actor, CHANGE, person)
    if not home.is_open:
        raise DomainError(_("Cards are issued to current members only."), code="not_member")
    number = clean_text(card_number or "", field="card_number").upper().replace(" ", "")
    if not CARD_RE.match(number):
        raise DomainError(_("A card number has 3 to 30 letters, digits or dashes."), field="card_number")
    if card_type not in CardType.values:
        raise DomainError(_("Choose a card type."), field="card_type")
    issue_date = _date(issue_date, field="issue_date", today=today)  # type: ignore[assignment]
    taken = _("Card number %(number)s is already used.") % {"number": number}
    if UnionCard.objects.filter(card_number=number).exists():
        raise Conflict(taken, field="card_number")
    active = list(UnionCard.objects.select_for_update().filter(person=person, status=CardStatus.ACTIVE))
    if active and not replace:
        raise Conflict(
            _("This member already has an active card: replace it or change its status first."), code="active_card"
        )
    changes = []
    for old in active:
        before = _card_snapshot(old)
        old.status = CardStatus.REPLACED
        old.save(update_fields=["status", "updated_at"])
        changes.append(_change(old, home.unit, before, _card_snapshot(old)))
    try:
        with transaction.atomic():
            card = UnionCard.objects.create(
                person=person, card_number=number, card_type=card_type, issue_date=issue_date
            )
    except IntegrityError:
        raise Conflict(taken, field="card_number") from None
    changes.append(_change(card, home.unit, after={"member_code": person.member_code, **_card_snapshot(card)}))
    record_many(actor=actor, action="card.issue", changes=changes)
    return card


@transaction.atomic
def card_status_change(*, actor: Any, card: UnionCard, status: str) -> UnionCard:
    card = UnionCard.objects.select_for_update(of=("self",)).select_related("person").get(pk=card.pk)
    home = _require_person(actor, CHANGE, card.person)
    allowed = CARD_TRANSITIONS.get(card.status, set())  # type: ignore[call-overload]
    if status not in allowed:
        raise DomainError(
            _("A card cannot go from %(old)s to %(new)s.")
            % {"old": card.get_status_display(), "new": dict(CardStatus.choices).get(status, status)},
            field="status",
        )
    if status == CardStatus.ACTIVE and (
        not home.is_open or UnionCard.objects.filter(person=card.person, status=CardStatus.ACTIVE).exists()
    ):
        raise Conflict(_("This member already has an active card."), code="active_card")
    before = _card_snapshot(card)
    card.status = status
    try:
        with transaction.atomic():
            card.save(update_fields=["status", "updated_at"])
    except IntegrityError:
        raise Conflict(_("This member already has an active card."), code="active_card") from None
    record_many(actor=actor, action="card.status", changes=[_change(card, home.unit, before, _card_snapshot(card))])
    return card


# ---------------------------------------------------------------- key rotation


@dataclass(frozen=True)
class RekeyBatch:
    """What one batch of a key rotation did; `last_pk` is where the next batch starts (None: nothing left)."""

    first_pk: int | None
    last_pk: int | None
    examined: int
    re_encrypted: int
    reindexed: int


@transaction.atomic
@sensitive_variables()
def national_id_rekey_batch(*, actor: Any, after_pk: int = 0, batch_size: int = 500) -> RekeyBatch:
    """Re-encrypt the next `batch_size` stored national IDs with the current key and recompute their blind index.

    One transaction and one audit entry per batch; rows already current are left alone, so a rerun or a
    resumed run changes nothing twice. A value no configured key decrypts stops the batch (nothing written).
    """
    if batch_size < 1:
        raise DomainError(_("A batch holds at least one person."), field="batch_size")
    people = list(
        Person.objects.filter(pk__gt=after_pk)
        .exclude(national_id_encrypted="")
        .order_by("pk")
        .select_for_update()
        .only("pk", "member_code", "id_kind", "nationality", "national_id_encrypted", "national_id_index")[:batch_size]
    )
    if not people:
        return RekeyBatch(None, None, 0, 0, 0)
    changed: list[Person] = []
    re_encrypted = reindexed = 0
    for person in people:
        try:
            number = fieldcrypto.decrypt(person.national_id_encrypted, context=ID_CONTEXT)
        except fieldcrypto.FieldCryptoError as error:
            raise DomainError(
                _("The national ID of person %(code)s (id %(pk)s) cannot be decrypted with any configured key: %(why)s")
                % {"code": person.member_code, "pk": person.pk, "why": error},
                code="undecryptable",
            ) from None
        index = fieldcrypto.blind_index(
            identity.blind_index_input(person.id_kind, number, person.nationality), context=ID_CONTEXT
        )
        rotate = fieldcrypto.needs_rotation(person.national_id_encrypted)
        if not rotate and index == person.national_id_index:
            continue
        if rotate:
            person.national_id_encrypted = fieldcrypto.encrypt(number, context=ID_CONTEXT)
            re_encrypted += 1
        if index != person.national_id_index:
            person.national_id_index = index
            reindexed += 1
        changed.append(person)
    Person.objects.bulk_update(changed, ["national_id_encrypted", "national_id_index"])
    batch = RekeyBatch(people[0].pk, people[-1].pk, len(people), re_encrypted, reindexed)
    record_many(
        actor=actor,
        action="member.national_id_rekey",
        changes=[
            Change(
                obj=None,
                object_type="members.person",
                object_id=f"{batch.first_pk}-{batch.last_pk}",
                object_label=_("National IDs of people %(first)s to %(last)s")
                % {"first": batch.first_pk, "last": batch.last_pk},
                after={
                    "examined": batch.examined,
                    "re_encrypted": re_encrypted,
                    "reindexed": reindexed,
                    # Every value of the batch now names the current key.
                    "key_id": people[0].national_id_encrypted.split(":", 2)[1],
                },
            )
        ],
    )
    return batch


def national_ids_rekey(
    *, actor: Any, batch_size: int = 500, after_pk: int = 0, progress: Callable[[RekeyBatch], None] | None = None
) -> RekeyBatch:
    """Run `national_id_rekey_batch` until every stored national ID is current; the totals of all batches.

    Each batch commits on its own (so this must not run inside a transaction): a stopped run resumes from
    the last batch that committed, with `after_pk`, or from the start, rows already current being skipped.
    """
    first_pk = last_pk = None
    examined = re_encrypted = reindexed = 0
    while True:
        batch = national_id_rekey_batch(actor=actor, after_pk=after_pk, batch_size=batch_size)
        if batch.last_pk is None:
            return RekeyBatch(first_pk, last_pk, examined, re_encrypted, reindexed)
        if progress is not None:
            progress(batch)
        first_pk = first_pk or batch.first_pk
        last_pk = after_pk = batch.last_pk
        examined += batch.examined
        re_encrypted += batch.re_encrypted
        reindexed += batch.reindexed
