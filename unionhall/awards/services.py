"""Writes on nominations, decisions and awards.

Every service is keyword-only, runs in one transaction, checks the actor's scope on the unit it
acts for (out of scope looks like "not found" and writes nothing) and writes audit entries. A
nomination is proposed by a unit for a nominee inside its subtree and carries the last eligibility
check. A decision is signed by a granting unit whose type the rule in force allows; it computes
each awardee's bonus from the rule's multiple and the base salary in force on the signing day,
keeps quotas (an override needs a justification) and refuses a second award for one achievement.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record, record_many
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_money
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.core.text import clean_text
from unionhall.initiatives.models import Initiative, InitiativeAuthor
from unionhall.members.models import Membership, Person
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit

from . import rules
from .choices import NominationStatus, Recurrence, RevocationReason
from .models import MAX_VND, Award, AwardRule, AwardType, Decision, Nomination

VIEW = "award.view"
NOMINATE = "award.nominate"
DECIDE = "award.decide"
IMPORT = "award.import"
MOVEMENT_VIEW = "movement.view"
EARLIEST_YEAR = 1900
EARLIEST_DATE = dt.date(EARLIEST_YEAR, 1, 1)
MAX_AWARDEES = 5_000
MAX_EVIDENCE = 50
NOTE_MAX = 5_000
NUMBER_MAX = 60
SIGNER_MAX = 200

Nominee = Person | Unit


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _holds(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def _person_not_found(person: Person, field: str = "person") -> NotFound:
    return NotFound(_("Person %(code)s was not found.") % {"code": person.member_code}, field=field)


def _require(actor: Any, action: str, unit: Unit, field: str) -> None:
    if not _holds(actor, action, unit):
        raise unit_not_found(unit, field)


def text_clean(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    cleaned = clean_text(value or "", field=field)
    if required and not cleaned:
        raise DomainError(_("This field is required."), field=field)
    if len(cleaned) > max_length:
        raise DomainError(
            _("This field has at most %(max)s characters.") % {"max": max_length}, field=field, code="too_long"
        )
    return cleaned


def _year(year: Any, *, today: dt.date, field: str = "year", latest: int | None = None) -> int:
    if not isinstance(year, int) or isinstance(year, bool):
        raise DomainError(_("Enter a year."), field=field)
    latest = today.year if latest is None else latest
    if year < EARLIEST_YEAR:
        raise DomainError(_("The year is too far in the past."), field=field, code="date_order")
    if year > latest:
        raise DomainError(
            _("The achievement year %(year)s is after %(latest)s.") % {"year": year, "latest": latest},
            field=field,
            code="date_order",
        )
    return year


def _day(day: dt.date | None, *, field: str, today: dt.date) -> dt.date:
    if not isinstance(day, dt.date):
        raise DomainError(_("This date is required."), field=field)
    if day > today:
        raise DomainError(_("The date cannot be in the future."), field=field, code="date_order")
    if day < EARLIEST_DATE:
        raise DomainError(_("The date is too far in the past."), field=field, code="date_order")
    return day


def money(value: Any, *, field: str, maximum: int = MAX_VND) -> int:
    """An amount of VND: a whole number from 0 to the ceiling (a larger one is a typing mistake)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise DomainError(_("Enter a whole number of dong."), field=field, code="amount_range")
    if value < 0:
        raise DomainError(_("The amount cannot be negative."), field=field, code="amount_range")
    if value > maximum:
        raise DomainError(
            _("The amount cannot exceed %(max)s.") % {"max": format_money(maximum)}, field=field, code="amount_range"
        )
    return value


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _memberships_in_year(person: Person, year: int) -> Any:
    start, end = _year_bounds(year)
    return Membership.objects.filter(person=person, join_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


Span = tuple[Unit, dt.date, dt.date | None]


def unit_during(spans: Sequence[Span], year: int) -> Unit | None:
    """Of a person's memberships (unit, joined, ended) in join order, the unit of the latest one open during `year`."""
    start, end = _year_bounds(year)
    during = [unit for unit, joined, ended in spans if joined <= end and (ended is None or ended >= start)]
    return during[-1] if during else None


def unit_is_under(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path) or unit.employer_id == root.pk


def _nominee(person: Person | None, unit: Unit | None) -> Nominee:
    if (person is None) == (unit is None):
        raise DomainError(_("Nominate either a person or a unit."), field="person", code="one_nominee")
    return person if person is not None else unit  # type: ignore[return-value]


def _nominee_label(nominee: Nominee) -> str:
    return nominee.member_code if isinstance(nominee, Person) else nominee.code


def _active_award(award_type: AwardType, nominee: Nominee, year: int | None = None) -> Award | None:
    awards = Award.objects.active().filter(award_type=award_type).select_related("decision")
    awards = awards.filter(person=nominee) if isinstance(nominee, Person) else awards.filter(unit=nominee)
    if year is not None:
        awards = awards.filter(year=year)
    return awards.order_by("-year").first()


def _already_awarded(award_type: AwardType, nominee: Nominee, year: int, field: str = "year") -> Conflict:
    return Conflict(
        _("%(nominee)s already holds %(award)s for %(year)s; one achievement is awarded only once.")
        % {"nominee": _nominee_label(nominee), "award": award_type.name, "year": year},
        field=field,
        code="already_awarded",
    )


def _check_recipient(award_type: AwardType, rule: AwardRule | None, nominee: Nominee, field: str) -> None:
    if isinstance(nominee, Person) and not rules.accepts_people(award_type):
        raise DomainError(
            _("%(award)s is awarded to collectives, not to people.") % {"award": award_type.name},
            field=field,
            code="recipient",
        )
    if isinstance(nominee, Unit) and not rules.accepts_units(award_type, rule):
        raise DomainError(
            _("%(award)s is awarded to people, not to units.") % {"award": award_type.name},
            field=field,
            code="recipient",
        )


def _active_type(award_type: AwardType) -> AwardType:
    if not award_type.active:
        raise DomainError(
            _("%(award)s is no longer awarded.") % {"award": award_type.name}, field="award_type", code="inactive"
        )
    return award_type


# ---------------------------------------------------------------- eligibility


def check_nominee(
    *,
    award_type: AwardType,
    year: int,
    person: Person | None = None,
    unit: Unit | None = None,
    today: dt.date,
    exclude_nomination: Nomination | None = None,
) -> dict[str, Any]:
    """The eligibility verdict as stored on a nomination: eligible (true, false or null = review) and reasons.

    Imported here, not at the top: the engine's batch page creates nominations through this module.
    """
    from .eligibility import evaluate

    key = person.pk if person is not None else unit.pk  # type: ignore[union-attr]
    verdicts = evaluate(
        award_type=award_type,
        year=year,
        people=[key] if person is not None else (),
        units=[key] if unit is not None else (),
        today=today,
        exclude_nomination=exclude_nomination,
    )
    verdict = verdicts.get(key)
    if verdict is None:
        return {}
    return {**verdict.as_dict(), "checked_on": today.isoformat()}


# ---------------------------------------------------------------- nominations


def nomination_snapshot(nomination: Nomination) -> dict[str, Any]:
    return {
        "award_type": nomination.award_type.code,
        "person": nomination.person.member_code if nomination.person else None,
        "unit": nomination.unit.code if nomination.unit else None,
        "year": nomination.year,
        "proposing_unit": nomination.proposing_unit.code,
        "initiatives": sorted(nomination.initiatives.values_list("pk", flat=True)) if nomination.pk else [],
        "note": nomination.note,
        "status": nomination.status,
        "eligible": (nomination.eligibility_check or {}).get("eligible"),
    }


def _require_nominee_inside(proposing_unit: Unit, nominee: Nominee, year: int) -> None:
    """The nominee must belong to the proposing unit's subtree, else "not found" (out of scope)."""
    if isinstance(nominee, Person):
        inside = _memberships_in_year(nominee, year).filter(subtree_q("unit__path", proposing_unit.path)).exists()
        if not inside:
            raise _person_not_found(nominee)
    elif not nominee.path.startswith(proposing_unit.path):
        raise unit_not_found(nominee, "unit")


def _clean_evidence(initiatives: Iterable[Initiative], nominee: Nominee) -> list[Initiative]:
    """Initiatives the nominee authored (a person) or that a member of its subtree authored (a unit)."""
    items = list(dict.fromkeys(initiatives))
    if len(items) > MAX_EVIDENCE:
        raise DomainError(
            _("At most %(max)s initiatives can be attached.") % {"max": MAX_EVIDENCE}, field="initiatives"
        )
    if not items:
        return []
    ids = [i.pk for i in items]
    if isinstance(nominee, Person):
        linked = set(
            InitiativeAuthor.objects.filter(initiative_id__in=ids, person=nominee).values_list(
                "initiative_id", flat=True
            )
        )
    else:
        authors = Membership.objects.filter(subtree_q("unit__path", nominee.path)).values("person_id")
        linked = set(
            InitiativeAuthor.objects.filter(initiative_id__in=ids, person_id__in=authors).values_list(
                "initiative_id", flat=True
            )
        )
        linked |= set(
            Initiative.objects.filter(pk__in=ids)
            .filter(subtree_q("unit__path", nominee.path))
            .values_list("pk", flat=True)
        )
    missing = [i for i in items if i.pk not in linked]
    if missing:
        raise NotFound(
            _("Initiative %(title)s is not one of the nominee's.") % {"title": missing[0].title[:100]},
            field="initiatives",
        )
    return items


def _duplicate_nomination(
    award_type: AwardType, nominee: Nominee, year: int, exclude: Nomination | None = None
) -> None:
    others = Nomination.objects.filter(award_type=award_type, year=year).exclude(status=NominationStatus.REJECTED)
    others = others.filter(person=nominee) if isinstance(nominee, Person) else others.filter(unit=nominee)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise Conflict(
            _("%(nominee)s is already nominated for %(award)s for %(year)s.")
            % {"nominee": _nominee_label(nominee), "award": award_type.name, "year": year},
            field="year",
            code="already_nominated",
        )


def _check_nomination_rules(
    award_type: AwardType, nominee: Nominee, year: int, today: dt.date, exclude: Nomination | None = None
) -> None:
    rule = rules.rule_for_year(award_type, year, today)
    _check_recipient(award_type, rule, nominee, "person" if isinstance(nominee, Person) else "unit")
    if _active_award(award_type, nominee, year) is not None:
        raise _already_awarded(award_type, nominee, year)
    if award_type.recurrence == Recurrence.ONCE:
        earlier = _active_award(award_type, nominee)
        if earlier is not None:
            raise Conflict(
                _("%(award)s is awarded once per person; %(nominee)s received it for %(year)s.")
                % {"award": award_type.name, "nominee": _nominee_label(nominee), "year": earlier.year},
                field="award_type",
                code="once_only",
            )
    _duplicate_nomination(award_type, nominee, year, exclude)


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "person", "unit", "proposing_unit")
        .get(pk=nomination.pk)
    )


def _visible_nomination(actor: Any, nomination: Nomination) -> Nomination:
    if not Nomination.objects.visible_to(actor, VIEW).filter(pk=nomination.pk).exists():
        raise NotFound(_("Nomination %(id)s was not found.") % {"id": nomination.pk})
    return nomination


def _require_nominator(actor: Any, nomination: Nomination) -> None:
    _visible_nomination(actor, nomination)
    if not _holds(actor, NOMINATE, nomination.proposing_unit):
        raise NotFound(_("Nomination %(id)s was not found.") % {"id": nomination.pk})


def _require_status(nomination: Nomination, *allowed: str) -> None:
    if nomination.status not in allowed:
        raise Conflict(
            _("This nomination is %(status)s; that step is not possible now.")
            % {"status": nomination.get_status_display()},
            field="status",
            code="status",
        )


def _require_version(nomination: Nomination, version: int | None) -> None:
    if version is not None and nomination.version != version:
        raise Conflict(
            _("Someone else changed this nomination meanwhile. Reload the page and try again."), code="stale"
        )


def _save(nomination: Nomination, fields: Sequence[str]) -> Nomination:
    nomination.version = F("version") + 1
    nomination.save(update_fields=[*fields, "version", "updated_at"])
    nomination.refresh_from_db()
    return nomination


@transaction.atomic
def nomination_create(
    *,
    actor: Any,
    award_type: AwardType,
    year: int,
    proposing_unit: Unit,
    person: Person | None = None,
    unit: Unit | None = None,
    initiatives: Iterable[Initiative] = (),
    note: str = "",
    today: dt.date | None = None,
) -> Nomination:
    """A draft nomination of a person or unit inside the proposing unit's subtree, checked for eligibility."""
    today = _today(today)
    _require(actor, NOMINATE, proposing_unit, "proposing_unit")
    nominee = _nominee(person, unit)
    _require_nominee_inside(proposing_unit, nominee, _year(year, today=today))
    require_active_unit(proposing_unit, "proposing_unit")
    _active_type(award_type)
    _check_nomination_rules(award_type, nominee, year, today)
    evidence = _clean_evidence(initiatives, nominee)
    nomination = Nomination(
        award_type=award_type,
        person=person,
        unit=unit,
        year=year,
        proposing_unit=proposing_unit,
        note=text_clean(note, field="note", max_length=NOTE_MAX),
        status=NominationStatus.DRAFT,
    )
    nomination.save()
    nomination.initiatives.set(evidence)
    nomination.eligibility_check = check_nominee(
        award_type=award_type, year=year, person=person, unit=unit, today=today, exclude_nomination=nomination
    )
    nomination.checked_on = today
    nomination.save(update_fields=["eligibility_check", "checked_on"])
    record(actor=actor, action="nomination.create", obj=nomination, after=nomination_snapshot(nomination))
    return nomination


@transaction.atomic
def nomination_update(
    *,
    actor: Any,
    nomination: Nomination,
    version: int | None = None,
    year: int | None = None,
    initiatives: Iterable[Initiative] | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> Nomination:
    """Change a draft's year, evidence or note (None keeps it), and check it again."""
    today = _today(today)
    nomination = _lock(nomination)
    _require_nominator(actor, nomination)
    _require_version(nomination, version)
    _require_status(nomination, NominationStatus.DRAFT)
    before = nomination_snapshot(nomination)
    nominee = nomination.nominee
    if year is not None and year != nomination.year:
        _require_nominee_inside(nomination.proposing_unit, nominee, _year(year, today=today))
        _check_nomination_rules(nomination.award_type, nominee, year, today, exclude=nomination)
        nomination.year = year
    if note is not None:
        nomination.note = text_clean(note, field="note", max_length=NOTE_MAX)
    if initiatives is not None:
        nomination.initiatives.set(_clean_evidence(initiatives, nominee))
    _refresh_check(nomination, today)
    nomination = _save(nomination, ["year", "note", "eligibility_check", "checked_on"])
    record(
        actor=actor, action="nomination.update", obj=nomination, before=before, after=nomination_snapshot(nomination)
    )
    return nomination


def _refresh_check(nomination: Nomination, today: dt.date) -> None:
    nomination.eligibility_check = check_nominee(
        award_type=nomination.award_type,
        year=nomination.year,
        person=nomination.person,
        unit=nomination.unit,
        today=today,
        exclude_nomination=nomination,
    )
    nomination.checked_on = today


@transaction.atomic
def nomination_check(*, actor: Any, nomination: Nomination, today: dt.date | None = None) -> Nomination:
    """Run the eligibility check again on the data as it is today and store it."""
    today = _today(today)
    nomination = _lock(nomination)
    _require_nominator(actor, nomination)
    _require_status(nomination, NominationStatus.DRAFT, NominationStatus.SUBMITTED)
    before = {"eligible": (nomination.eligibility_check or {}).get("eligible")}
    _refresh_check(nomination, today)
    nomination = _save(nomination, ["eligibility_check", "checked_on"])
    record(
        actor=actor,
        action="nomination.check",
        obj=nomination,
        before=before,
        after={"eligible": nomination.eligibility_check.get("eligible")},
    )
    return nomination


@transaction.atomic
def nomination_submit(
    *, actor: Any, nomination: Nomination, version: int | None = None, today: dt.date | None = None
) -> Nomination:
    """Send a draft to the upper level, with a fresh eligibility check."""
    today = _today(today)
    nomination = _lock(nomination)
    _require_nominator(actor, nomination)
    _require_version(nomination, version)
    _require_status(nomination, NominationStatus.DRAFT)
    require_active_unit(nomination.proposing_unit, "proposing_unit")
    _check_nomination_rules(nomination.award_type, nomination.nominee, nomination.year, today, exclude=nomination)
    nomination.status = NominationStatus.SUBMITTED
    nomination.submitted_on = today
    _refresh_check(nomination, today)
    nomination = _save(nomination, ["status", "submitted_on", "eligibility_check", "checked_on"])
    record(
        actor=actor,
        action="nomination.submit",
        obj=nomination,
        before={"status": NominationStatus.DRAFT},
        after={
            "status": nomination.status,
            "submitted_on": today,
            "eligible": nomination.eligibility_check.get("eligible"),
        },
    )
    return nomination


def reviewing_unit(nomination: Nomination) -> Unit:
    """Who appraises a nomination: the level above the proposing unit (the root appraises its own)."""
    unit = nomination.proposing_unit
    return unit.parent if unit.parent_id else unit  # type: ignore[return-value]


def may_review(actor: Any, nomination: Nomination) -> bool:
    return _holds(actor, DECIDE, reviewing_unit(nomination))


def _require_reviewer(actor: Any, nomination: Nomination) -> None:
    _visible_nomination(actor, nomination)
    if not may_review(actor, nomination):
        raise Forbidden(
            _("Only the level above the proposing unit may approve or reject this nomination."), code="reviewer"
        )


def _review(
    *, actor: Any, nomination: Nomination, status: str, note: str, version: int | None, today: dt.date | None
) -> Nomination:
    today = _today(today)
    nomination = _lock(nomination)
    _require_reviewer(actor, nomination)
    _require_version(nomination, version)
    _require_status(nomination, NominationStatus.SUBMITTED)
    required = status == NominationStatus.REJECTED
    note = text_clean(note, field="note", max_length=NOTE_MAX, required=required)
    if nomination.submitted_on and today < nomination.submitted_on:
        raise DomainError(_("The review cannot come before the submission."), field="today", code="date_order")
    nomination.status = status
    nomination.reviewed_on = today
    nomination.review_note = note
    nomination = _save(nomination, ["status", "reviewed_on", "review_note"])
    record(
        actor=actor,
        action="nomination.approve" if status == NominationStatus.APPROVED else "nomination.reject",
        obj=nomination,
        before={"status": NominationStatus.SUBMITTED},
        after={"status": status, "reviewed_on": today, "note": note},
    )
    return nomination


@transaction.atomic
def nomination_approve(
    *, actor: Any, nomination: Nomination, note: str = "", version: int | None = None, today: dt.date | None = None
) -> Nomination:
    """The upper level approves a submitted nomination; it can then be put in a decision."""
    return _review(
        actor=actor, nomination=nomination, status=NominationStatus.APPROVED, note=note, version=version, today=today
    )


@transaction.atomic
def nomination_reject(
    *, actor: Any, nomination: Nomination, reason: str, version: int | None = None, today: dt.date | None = None
) -> Nomination:
    """The upper level rejects a submitted nomination, saying why."""
    return _review(
        actor=actor, nomination=nomination, status=NominationStatus.REJECTED, note=reason, version=version, today=today
    )


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class QuotaUse:
    """How a decision stands against a quota for one year."""

    year: int
    used: int
    limit: int

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit


def _area_awards(granting_unit: Unit, award_type: AwardType, years: set[int]) -> Any:
    """Active awards of a type in the granting unit's subtree, or granted by that unit itself."""
    return Award.objects.active().filter(
        Q(decision__granting_unit=granting_unit) | subtree_q("awardee_unit__path", granting_unit.path),
        award_type=award_type,
        year__in=sorted(years),
    )


def _year_counts(granting_unit: Unit, award_type: AwardType, years: set[int]) -> Counter:
    counted: Counter = Counter()
    for year in _area_awards(granting_unit, award_type, years).values_list("year", flat=True):
        counted[year] += 1
    return counted


def quota_uses(*, rule: AwardRule, granting_unit: Unit, award_type: AwardType, new_by_year: Counter) -> list[QuotaUse]:
    """Each year's count against the rule's quotas: a number per year, and a share of another award."""
    years = set(new_by_year)
    if not years:
        return []
    uses: list[QuotaUse] = []
    existing = _year_counts(granting_unit, award_type, years)
    if rule.quota_per_year is not None:
        for year in sorted(years):
            uses.append(QuotaUse(year, existing[year] + new_by_year[year], rule.quota_per_year))
    if rule.quota_of_id is not None and rule.quota_percent is not None:
        base = _year_counts(granting_unit, rule.quota_of, years)  # type: ignore[arg-type]
        for year in sorted(years):
            limit = int(base[year] * rule.quota_percent // 100)
            uses.append(QuotaUse(year, existing[year] + new_by_year[year], limit))
    return uses


@dataclass(frozen=True)
class Awardee:
    """One line of a decision: a person or a unit, the achievement year, and the nomination it answers."""

    nominee: Nominee
    year: int
    nomination: Nomination | None = None


def _awardees(items: Iterable[Any]) -> list[Awardee]:
    out = []
    for item in items:
        if isinstance(item, Awardee):
            out.append(item)
            continue
        nominee, year, *rest = item
        out.append(Awardee(nominee, year, rest[0] if rest else None))
    return out


def _check_awardee_nomination(
    line: Awardee, award_type: AwardType, field: str, locked: dict[int, Nomination]
) -> Nomination | None:
    if line.nomination is None:
        return None
    nomination = locked[line.nomination.pk]
    nominee = line.nominee
    same_nominee = (
        nomination.person_id == nominee.pk if isinstance(nominee, Person) else nomination.unit_id == nominee.pk
    )
    if nomination.award_type_id != award_type.pk or not same_nominee or nomination.year != line.year:
        raise DomainError(
            _("Nomination %(id)s is for another award, nominee or year.") % {"id": nomination.pk},
            field=field,
            code="nomination_mismatch",
        )
    if nomination.status != NominationStatus.APPROVED:
        raise Conflict(
            _("Nomination %(id)s is %(status)s; only an approved nomination can be decided.")
            % {"id": nomination.pk, "status": nomination.get_status_display()},
            field=field,
            code="status",
        )
    return nomination


def decision_snapshot(decision: Decision) -> dict[str, Any]:
    return {
        "number": decision.number,
        "signed_on": decision.signed_on,
        "signer": decision.signer,
        "granting_unit": decision.granting_unit.code,
        "award_type": decision.award_type.code,
        "movement": decision.movement.code if decision.movement_id else None,  # type: ignore[union-attr]
        "rule": decision.rule_id,
        "base_salary_vnd": decision.base_salary_vnd,
        "quota_override": decision.quota_override,
        "quota_justification": decision.quota_justification,
        "note": decision.note,
    }


def award_snapshot(award: Award) -> dict[str, Any]:
    return {
        "decision": award.decision.number,
        "award_type": award.award_type.code,
        "person": award.person.member_code if award.person_id else None,  # type: ignore[union-attr]
        "unit": award.unit.code if award.unit_id else None,  # type: ignore[union-attr]
        "year": award.year,
        "bonus_vnd": award.bonus_vnd,
        "nomination": award.nomination_id,
        "revoked_on": award.revoked_on,
        "revocation_reason": award.revocation_reason,
        "recovered_vnd": award.recovered_vnd,
    }


@dataclass
class _DecisionFacts:
    """What the checks of a decision read, fetched once for all its awardees (a few queries, not a few per line)."""

    spans: dict[int, list[Span]]  # person id -> memberships inside the granting unit (or its employees')
    held: dict[tuple[str, int, int], Award]  # ("p" or "u", id, year) -> the active award of this type
    held_ever: dict[tuple[str, int], Award]  # ("p" or "u", id) -> an active award of this type, any year
    nominations: dict[int, Nomination]  # locked


def _decision_facts(lines: Sequence[Awardee], award_type: AwardType, granting_unit: Unit) -> _DecisionFacts:
    person_ids = sorted({line.nominee.pk for line in lines if isinstance(line.nominee, Person)})
    unit_ids = sorted({line.nominee.pk for line in lines if isinstance(line.nominee, Unit)})
    spans: dict[int, list[Span]] = {}
    if person_ids:
        inside = (
            subtree_q("unit__path", granting_unit.path)
            | Q(unit__employer=granting_unit)
            | Q(person__employer=granting_unit)
        )
        memberships = (
            Membership.objects.filter(person_id__in=person_ids)
            .filter(inside)
            .select_related("unit")
            .order_by("join_date", "pk")
        )
        for m in memberships:
            spans.setdefault(m.person_id, []).append((m.unit, m.join_date, m.end_date))
    held: dict[tuple[str, int, int], Award] = {}
    held_ever: dict[tuple[str, int], Award] = {}
    if person_ids or unit_ids:
        awards = (
            Award.objects.active()
            .filter(award_type=award_type)
            .filter(Q(person_id__in=person_ids) | Q(unit_id__in=unit_ids))
            .select_related("decision")
        )
        for award in awards:
            who = ("p", award.person_id) if award.person_id else ("u", award.unit_id)
            held[(*who, award.year)] = award  # type: ignore[index]
            held_ever[who] = award  # type: ignore[index]
    nomination_ids = sorted({line.nomination.pk for line in lines if line.nomination is not None})
    nominations = Nomination.objects.select_for_update(of=("self",)).in_bulk(nomination_ids) if nomination_ids else {}
    return _DecisionFacts(spans, held, held_ever, nominations)


def _awardee_unit(line: Awardee, granting_unit: Unit, field: str, facts: _DecisionFacts) -> Unit:
    nominee = line.nominee
    if isinstance(nominee, Person):
        unit = unit_during(facts.spans.get(nominee.pk, []), line.year)
        if unit is None:
            raise _person_not_found(nominee, field)
        return unit
    if not isinstance(nominee, Unit):
        raise DomainError(_("An awardee is a person or a unit."), field=field)
    if not unit_is_under(nominee, granting_unit):
        raise unit_not_found(nominee, field)
    return nominee


def _prepare_decision(
    *,
    actor: Any,
    number: str,
    signed_on: dt.date,
    signer: str,
    granting_unit: Unit,
    award_type: AwardType,
    movement: Movement | None,
    today: dt.date,
) -> tuple[str, str, AwardRule]:
    """The checks on a decision's header, in the order a user fixes them; returns the cleaned texts and the rule."""
    _require(actor, DECIDE, granting_unit, "granting_unit")
    number = text_clean(number, field="number", max_length=NUMBER_MAX, required=True)
    signer = text_clean(signer, field="signer", max_length=SIGNER_MAX, required=True)
    _day(signed_on, field="signed_on", today=today)
    _active_type(award_type)
    rule = rules.rule_in_force(award_type, signed_on)
    if rule is None:
        raise DomainError(
            _("No rule of %(award)s was in force on %(date)s.") % {"award": award_type.name, "date": signed_on},
            field="signed_on",
            code="no_rule",
        )
    if not rules.may_grant(rule, granting_unit.type_id):
        allowed = ", ".join(sorted(t.name for t in rule.granting_unit_types.all()))
        raise DomainError(
            _("A unit of type %(type)s may not grant %(award)s (the rule in force allows: %(allowed)s).")
            % {"type": granting_unit.type.name, "award": award_type.name, "allowed": allowed},
            field="granting_unit",
            code="granting_unit_type",
        )
    if movement is not None and not Movement.objects.visible_to(actor, MOVEMENT_VIEW).filter(pk=movement.pk).exists():
        raise NotFound(_("Movement %(code)s was not found.") % {"code": movement.code}, field="movement")
    return number, signer, rule


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    number: str,
    signed_on: dt.date,
    signer: str,
    granting_unit: Unit,
    award_type: AwardType,
    awardees: Iterable[Any],
    movement: Movement | None = None,
    note: str = "",
    quota_override: bool = False,
    quota_justification: str = "",
    today: dt.date | None = None,
) -> Decision:
    """Record a signed decision and its awards; `awardees` are (person or unit, year, nomination or None)."""
    today = _today(today)
    number, signer, rule = _prepare_decision(
        actor=actor,
        number=number,
        signed_on=signed_on,
        signer=signer,
        granting_unit=granting_unit,
        award_type=award_type,
        movement=movement,
        today=today,
    )
    note = text_clean(note, field="note", max_length=NOTE_MAX)
    justification = text_clean(quota_justification, field="quota_justification", max_length=NOTE_MAX)
    lines = _awardees(awardees)
    if not lines:
        raise DomainError(_("List at least one awardee."), field="awardees")
    if len(lines) > MAX_AWARDEES:
        raise DomainError(_("At most %(max)s awardees per decision.") % {"max": MAX_AWARDEES}, field="awardees")
    require_active_unit(granting_unit, "granting_unit")
    if Decision.objects.filter(granting_unit=granting_unit, number=number, signed_on=signed_on).exists():
        raise Conflict(
            _("Decision %(number)s of this unit on that day is already recorded.") % {"number": number},
            field="number",
            code="duplicate_decision",
        )
    base = rules.base_salary_on(signed_on)
    if base is None:
        raise DomainError(
            _("No base salary was in force on %(date)s.") % {"date": signed_on}, field="signed_on", code="no_base"
        )
    for index, line in enumerate(lines):
        if not isinstance(line.nominee, Person | Unit):
            raise DomainError(_("An awardee is a person or a unit."), field=f"awardees.{index}")
    facts = _decision_facts(lines, award_type, granting_unit)
    seen: set[tuple[str, int, int]] = set()
    listed: set[tuple[str, int]] = set()
    prepared: list[tuple[Awardee, Unit, Nomination | None, int]] = []
    new_by_year: Counter = Counter()
    for index, line in enumerate(lines):
        field = f"awardees.{index}"
        nominee = line.nominee
        _year(line.year, today=today, field=field, latest=signed_on.year)
        _check_recipient(award_type, rule, nominee, field)
        awardee_unit = _awardee_unit(line, granting_unit, field, facts)
        who = ("p" if isinstance(nominee, Person) else "u", nominee.pk)
        key = (*who, line.year)
        if key in seen:
            raise DomainError(
                _("%(nominee)s is listed twice for %(year)s.")
                % {"nominee": _nominee_label(nominee), "year": line.year},
                field=field,
                code="duplicate_awardee",
            )
        seen.add(key)
        if key in facts.held:
            raise _already_awarded(award_type, nominee, line.year, field)
        if award_type.recurrence == Recurrence.ONCE and (who in facts.held_ever or who in listed):
            raise Conflict(
                _("%(award)s is awarded once per person; %(nominee)s cannot receive it again.")
                % {"award": award_type.name, "nominee": _nominee_label(nominee)},
                field=field,
                code="once_only",
            )
        listed.add(who)
        nomination = _check_awardee_nomination(line, award_type, field, facts.nominations)
        multiple = rules.multiple_for(rule, collective=isinstance(nominee, Unit))
        prepared.append((line, awardee_unit, nomination, rules.bonus_vnd(multiple, base.amount_vnd)))
        new_by_year[line.year] += 1
    exceeded = [
        u
        for u in quota_uses(rule=rule, granting_unit=granting_unit, award_type=award_type, new_by_year=new_by_year)
        if u.exceeded
    ]
    if exceeded and not quota_override:
        use = exceeded[0]
        raise DomainError(
            _(
                "The quota for %(year)s allows %(limit)s awards of %(award)s here; with this decision there would be "
                "%(used)s. Exceeding it needs an explicit override with a justification."
            )
            % {"year": use.year, "limit": use.limit, "award": award_type.name, "used": use.used},
            field="awardees",
            code="quota",
        )
    if exceeded and not justification:
        raise DomainError(_("Say why the quota is exceeded."), field="quota_justification", code="quota")
    decision = Decision(
        number=number,
        signed_on=signed_on,
        signer=signer,
        granting_unit=granting_unit,
        award_type=award_type,
        rule=rule,
        movement=movement,
        base_salary_vnd=base.amount_vnd,
        quota_override=bool(exceeded),
        quota_justification=justification if exceeded else "",
        note=note,
    )
    try:
        with transaction.atomic():
            decision.save()
            awards = Award.objects.bulk_create(
                [
                    Award(
                        decision=decision,
                        award_type=award_type,
                        person=line.nominee if isinstance(line.nominee, Person) else None,
                        unit=line.nominee if isinstance(line.nominee, Unit) else None,
                        awardee_unit=awardee_unit,
                        year=line.year,
                        nomination=nomination,
                        bonus_vnd=bonus,
                    )
                    for line, awardee_unit, nomination, bonus in prepared
                ]
            )
    except IntegrityError:
        raise Conflict(_("The decision clashes with one recorded meanwhile. Try again."), code="conflict") from None
    decided = [n for _line, _unit, n, _bonus in prepared if n is not None]
    if decided:
        Nomination.objects.filter(pk__in=[n.pk for n in decided]).update(
            status=NominationStatus.DECIDED, version=F("version") + 1, updated_at=timezone.now()
        )
    record(
        actor=actor,
        action="decision.create",
        obj=decision,
        after={**decision_snapshot(decision), "awardees": len(awards)},
        reason=justification if exceeded else "",
    )
    record_many(
        actor=actor,
        action="award.grant",
        changes=[
            Change(
                obj=award, after=award_snapshot(award), unit_id=award.awardee_unit_id, unit_path=award.awardee_unit.path
            )
            for award in awards
        ],
    )
    if decided:
        record_many(
            actor=actor,
            action="nomination.decide",
            changes=[
                Change(obj=n, before={"status": NominationStatus.APPROVED}, after={"status": NominationStatus.DECIDED})
                for n in Nomination.objects.filter(pk__in=[n.pk for n in decided]).select_related("proposing_unit")
            ],
        )
    return decision


# ---------------------------------------------------------------- revocation


@transaction.atomic
def award_revoke(
    *,
    actor: Any,
    award: Award,
    reason: str,
    revoked_on: dt.date,
    recovered_vnd: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Award:
    """Revoke an award (fraud, false dossier, unlawful appraisal, criteria not met), recording the money recovered."""
    today = _today(today)
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("decision__granting_unit", "award_type", "person", "unit", "awardee_unit")
        .get(pk=award.pk)
    )
    if not _holds(actor, DECIDE, award.decision.granting_unit):
        raise NotFound(_("Award %(id)s was not found.") % {"id": award.pk})
    if award.revoked_on is not None:
        raise Conflict(_("This award is already revoked."), code="already_revoked")
    if reason not in RevocationReason.values:
        raise DomainError(_("Choose the reason for the revocation."), field="reason")
    _day(revoked_on, field="revoked_on", today=today)
    if revoked_on < award.decision.signed_on:
        raise DomainError(
            _("The revocation cannot come before the decision (signed on %(date)s).")
            % {"date": award.decision.signed_on},
            field="revoked_on",
            code="date_order",
        )
    if recovered_vnd is not None:
        money(recovered_vnd, field="recovered_vnd")
        if recovered_vnd > award.bonus_vnd:
            raise DomainError(
                _("The amount recovered cannot exceed the bonus paid (%(bonus)s).")
                % {"bonus": format_money(award.bonus_vnd)},
                field="recovered_vnd",
                code="amount_range",
            )
    before = award_snapshot(award)
    award.revoked_on = revoked_on
    award.revocation_reason = reason
    award.recovered_vnd = recovered_vnd
    award.revocation_note = text_clean(note, field="note", max_length=NOTE_MAX)
    award.save(update_fields=["revoked_on", "revocation_reason", "recovered_vnd", "revocation_note"])
    record(
        actor=actor,
        action="award.revoke",
        obj=award,
        before=before,
        after=award_snapshot(award),
        reason=award.revocation_note,
    )
    return award


# ---------------------------------------------------------------- historic import


@dataclass(frozen=True)
class HistoricAward:
    """One validated row of an awards file: the decision it belongs to and the award it records."""

    row: int
    award_type: AwardType
    number: str
    signed_on: dt.date
    signer: str
    granting_unit: Unit
    nominee: Nominee
    awardee_unit: Unit
    year: int
    bonus_vnd: int
    rule: AwardRule | None
    base_salary_vnd: int | None
    # The award already recorded under the same key (decision, awardee, year), when the bonus changes.
    existing: Award | None = None


@transaction.atomic
def awards_historic_save(*, actor: Any, rows: Sequence[HistoricAward], unit: Unit) -> None:
    """Write the rows of a validated awards file: decisions found or made by (granting unit, number, day).

    Called by the import inside its one transaction, after the whole file passed; `actor` None is
    the system (the command line without --actor). Quotas are not applied to history.
    """
    if actor is not None:
        _require(actor, IMPORT, unit, "unit")
    decisions: dict[tuple[int, str, dt.date], Decision] = {}
    keys = {(r.granting_unit.pk, r.number, r.signed_on) for r in rows}
    q = Q(pk__in=[])
    for granting_id, number, day in keys:
        q |= Q(granting_unit_id=granting_id, number=number, signed_on=day)
    for decision in Decision.objects.filter(q).select_related("granting_unit", "award_type"):
        decisions[(decision.granting_unit_id, decision.number, decision.signed_on)] = decision
    created: list[Decision] = []
    for r in rows:
        key = (r.granting_unit.pk, r.number, r.signed_on)
        if key not in decisions:
            decision = Decision.objects.create(
                number=r.number,
                signed_on=r.signed_on,
                signer=r.signer,
                granting_unit=r.granting_unit,
                award_type=r.award_type,
                rule=r.rule,
                base_salary_vnd=r.base_salary_vnd,
                note=str(_("Imported from a file.")),
            )
            decisions[key] = decision
            created.append(decision)
    new_awards: list[Award] = []
    new_rows: list[int] = []
    changes: list[Change] = []
    for r in rows:
        decision = decisions[(r.granting_unit.pk, r.number, r.signed_on)]
        if r.existing is not None:
            award = Award.objects.select_for_update(of=("self",)).get(pk=r.existing.pk)
            before = {"bonus_vnd": award.bonus_vnd}
            award.bonus_vnd = r.bonus_vnd
            award.save(update_fields=["bonus_vnd"])
            changes.append(
                Change(
                    obj=award,
                    before=before,
                    after={"bonus_vnd": r.bonus_vnd, "row": r.row},
                    unit_id=r.awardee_unit.pk,
                    unit_path=r.awardee_unit.path,
                )
            )
            continue
        new_rows.append(r.row)
        new_awards.append(
            Award(
                decision=decision,
                award_type=r.award_type,
                person=r.nominee if isinstance(r.nominee, Person) else None,
                unit=r.nominee if isinstance(r.nominee, Unit) else None,
                awardee_unit=r.awardee_unit,
                year=r.year,
                bonus_vnd=r.bonus_vnd,
            )
        )
    try:
        with transaction.atomic():
            new_awards = Award.objects.bulk_create(new_awards)
    except IntegrityError:
        raise Conflict(
            _("An award of the file was recorded meanwhile. Run the import again."), code="conflict"
        ) from None
    if created:
        record_many(
            actor=actor,
            action="decision.import",
            changes=[Change(obj=d, after=decision_snapshot(d)) for d in created],
        )
    changes += [
        Change(
            obj=award,
            after={**award_snapshot(award), "row": number},
            unit_id=award.awardee_unit_id,
            unit_path=award.awardee_unit.path,
        )
        for award, number in zip(new_awards, new_rows, strict=True)
    ]
    if changes:
        record_many(actor=actor, action="award.import", changes=changes)
