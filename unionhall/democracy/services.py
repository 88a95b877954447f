"""Writes of workplace democracy: a dialogue or an employee conference is recorded with its activity.

Every service is keyword-only, runs in one transaction (the activity and the record are written or
neither is), checks the actor's scope and writes audit entries. Recording needs `activity.change`
on the recording unit (checked by `activities.services`), and the employer must have an active union
the actor holds `activity.change` on, in the recording unit's subtree; an employer outside the
actor's scope is "not found". The employer's union(s) are added to the activity's organisers, so
the dialogue counts for and is seen by the union it was held with.

A dialogue whose sides break the composition band in force on its date (Decree 145/2020 Art. 38)
is refused with a `CompositionWarning` listing the issues, unless the officer confirms: then the
issues, the confirming user and the time are stored with the dialogue and audited. An edit is
guarded by the activity's `version`, the one lock of the activity and the record attached to it.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.activities import services as activity_services
from unionhall.activities.choices import ActivityStatus, KindRole
from unionhall.activities.models import Activity
from unionhall.activities.services import ActivityDetails
from unionhall.audit.recorder import record
from unionhall.core.cleaning import clean_count, clean_date, clean_str, not_future
from unionhall.core.errors import Conflict, DomainError, Forbidden
from unionhall.core.scoping import scope_for
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import Unit

from .choices import ConferenceForm, DialogueTrigger
from .composition import Issue, composition_issues
from .models import Dialogue, EmployeeConference
from .rules import band_for

VIEW, CHANGE = activity_services.VIEW, activity_services.CHANGE
MAX_HEADCOUNT = 1_000_000
MAX_SIDE = 1_000
TEXT_MAX_LENGTH = 20_000


class CompositionWarning(DomainError):
    """The dialogue's composition breaks the band; record it only with the officer's confirmation."""

    code = "composition"

    def __init__(self, issues: list[Issue]):
        message = " ".join(
            [
                str(_("The composition of the dialogue does not meet Decree 145/2020/NĐ-CP, Art. 38:")),
                *(issue.message for issue in issues),
                str(_("Confirm to record it anyway.")),
            ]
        )
        super().__init__(message, field="confirm_composition")
        self.issues = issues


@dataclass(frozen=True)
class DialogueDetails:
    """The workplace record of a dialogue: the employer, why it was held, the sides and what was agreed."""

    employer: Unit
    headcount: int
    employer_side: int
    employee_side: int
    legal_representative_present: bool = True
    trigger: str = DialogueTrigger.PERIODIC
    trigger_article: str = ""
    employer_side_women: int = 0
    employee_side_women: int = 0
    agreements: str = ""
    published_on: dt.date | None = None


@dataclass(frozen=True)
class ConferenceDetails:
    """The workplace record of an employee conference (hội nghị người lao động)."""

    employer: Unit
    form: str
    headcount: int
    attended: int
    resolutions: str = ""
    agreement_reviewed: bool = False


# ---------------------------------------------------------------- checks


def _employer_unions(actor: Any, unit: Unit, employer: Unit) -> list[Unit]:
    """The employer's active unions under the recording unit; the employer must have one the actor may record for."""
    if not isinstance(employer, Unit) or employer.pk is None:
        raise DomainError(_("Choose the employer."), field="employer", code="required")
    unions = list(
        Unit.objects.visible_to(actor, CHANGE)
        .filter(employer_id=employer.pk, status=UnitStatus.ACTIVE)
        .order_by("path")
    )
    if not unions:
        if not Unit.objects.visible_to(actor, CHANGE).filter(pk=employer.pk).exists():
            raise unit_not_found(employer, "employer")
        if not employer.type.is_employer:
            raise DomainError(_("The employer must be a unit of an employer type."), field="employer")
        raise DomainError(
            _("Employer %(code)s has no active grassroots union.") % {"code": employer.code},
            field="employer",
            code="no_union",
        )
    require_active_unit(employer, "employer")
    under = [u for u in unions if u.path.startswith(unit.path)]
    if not under:
        raise DomainError(
            _("The union of employer %(code)s is not under unit %(unit)s, which records this.")
            % {"code": employer.code, "unit": unit.code},
            field="employer",
            code="not_under_unit",
        )
    return under


def _require_kind(details: ActivityDetails, role: str) -> None:
    kind = details.kind
    if getattr(kind, "role", None) != role:
        message = (
            _("Choose a kind of activity for periodic dialogues at the workplace.")
            if role == KindRole.WORKPLACE_DIALOGUE
            else _("Choose a kind of activity for employee conferences.")
        )
        raise DomainError(message, field="kind", code="wrong_kind")


def _require_recording_unit(actor: Any, unit: Unit) -> None:
    if not scope_for(actor, CHANGE).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit)


def _with_unions(details: ActivityDetails, unions: list[Unit]) -> ActivityDetails:
    return replace(details, co_organisers=(*details.co_organisers, *unions))


def _held_on(activity: Activity, today: dt.date) -> dt.date:
    day = timezone.localtime(activity.starts_at).date()
    if activity.status == ActivityStatus.HELD:
        not_future(day, field="starts_at", today=today)
    return day


def _women(value: Any, side: int, field: str) -> int:
    women = clean_count(value, field=field, maximum=MAX_SIDE)
    if women > side:
        raise DomainError(_("There cannot be more women than participants on this side."), field=field)
    return women


@dataclass(frozen=True)
class _Composition:
    issues: list[dict[str, Any]]
    confirmed_by: int | None
    confirmed_at: dt.datetime | None


def _clean_dialogue(details: DialogueDetails, *, employer: Unit, held_on: dt.date, today: dt.date) -> DialogueDetails:
    if details.trigger not in DialogueTrigger.values:
        raise DomainError(_("Choose why the dialogue was held."), field="trigger")
    headcount = clean_count(details.headcount, field="headcount", maximum=MAX_HEADCOUNT)
    if headcount < 1:
        raise DomainError(_("An employer has at least one employee."), field="headcount")
    employer_side = clean_count(details.employer_side, field="employer_side", maximum=MAX_SIDE)
    employee_side = clean_count(details.employee_side, field="employee_side", maximum=MAX_SIDE)
    if not isinstance(details.legal_representative_present, bool):
        raise DomainError(_("Say whether the legal representative took part."), field="legal_representative_present")
    published_on = clean_date(details.published_on, field="published_on", required=False)
    if published_on is not None:
        not_future(published_on, field="published_on", today=today)
        if published_on < held_on:
            raise DomainError(_("The agreements cannot be published before the dialogue."), field="published_on")
    return DialogueDetails(
        employer=employer,
        headcount=headcount,
        employer_side=employer_side,
        employee_side=employee_side,
        legal_representative_present=details.legal_representative_present,
        trigger=details.trigger,
        trigger_article=clean_str(details.trigger_article, "trigger_article", 100),
        employer_side_women=_women(details.employer_side_women, employer_side, "employer_side_women"),
        employee_side_women=_women(details.employee_side_women, employee_side, "employee_side_women"),
        agreements=clean_str(details.agreements, "agreements", TEXT_MAX_LENGTH),
        published_on=published_on,
    )


def check_composition(details: DialogueDetails, held_on: dt.date) -> list[Issue]:
    """The rules the sides break on `held_on` (none when no band was in force then)."""
    band = band_for(details.headcount, held_on)
    if band is None:
        return []
    return composition_issues(
        band=band,
        headcount=details.headcount,
        employer_side=details.employer_side,
        legal_representative_present=details.legal_representative_present,
        employee_side=details.employee_side,
    )


def _composition(actor: Any, issues: list[Issue], confirm: bool, previous: Dialogue | None) -> _Composition:
    if not issues:
        return _Composition([], None, None)
    stored = [issue.as_dict() for issue in issues]
    if previous is not None and previous.composition_issues == stored:
        # The same issues were confirmed before: the first confirmation stands. New ones need their own.
        return _Composition(stored, previous.composition_confirmed_by, previous.composition_confirmed_at)
    if not confirm:
        raise CompositionWarning(issues)
    return _Composition(stored, getattr(actor, "pk", None), timezone.now())


def _assign_dialogue(dialogue: Dialogue, values: DialogueDetails, held_on: dt.date, composition: _Composition) -> None:
    dialogue.employer = values.employer
    dialogue.trigger = values.trigger
    dialogue.trigger_article = values.trigger_article
    dialogue.held_on = held_on
    dialogue.headcount = values.headcount
    dialogue.employer_side = values.employer_side
    dialogue.employer_side_women = values.employer_side_women
    dialogue.legal_representative_present = values.legal_representative_present
    dialogue.employee_side = values.employee_side
    dialogue.employee_side_women = values.employee_side_women
    dialogue.agreements = values.agreements
    dialogue.published_on = values.published_on
    dialogue.composition_issues = composition.issues
    dialogue.composition_confirmed_by = composition.confirmed_by
    dialogue.composition_confirmed_at = composition.confirmed_at


def dialogue_snapshot(dialogue: Dialogue) -> dict[str, Any]:
    return {
        "activity_id": dialogue.activity_id,
        "employer": dialogue.employer.code,
        "trigger": dialogue.trigger,
        "trigger_article": dialogue.trigger_article,
        "held_on": dialogue.held_on,
        "headcount": dialogue.headcount,
        "employer_side": dialogue.employer_side,
        "employer_side_women": dialogue.employer_side_women,
        "legal_representative_present": dialogue.legal_representative_present,
        "employee_side": dialogue.employee_side,
        "employee_side_women": dialogue.employee_side_women,
        "agreements": dialogue.agreements,
        "published_on": dialogue.published_on,
        "composition_issues": dialogue.composition_issues,
        "composition_confirmed_by": dialogue.composition_confirmed_by,
        "composition_confirmed_at": dialogue.composition_confirmed_at,
    }


def _record_confirmation(actor: Any, dialogue: Dialogue, previous: Dialogue | None) -> None:
    """A confirmation of a composition that breaks the band is its own audit entry."""
    if not dialogue.composition_issues:
        return
    if previous is not None and previous.composition_confirmed_at == dialogue.composition_confirmed_at:
        return
    record(
        actor=actor,
        action="dialogue.composition_confirm",
        obj=dialogue,
        after={"issues": dialogue.composition_issues, "confirmed_at": dialogue.composition_confirmed_at},
    )


# ---------------------------------------------------------------- dialogues


@transaction.atomic
def dialogue_record(
    *,
    actor: Any,
    unit: Unit,
    activity: ActivityDetails,
    dialogue: DialogueDetails,
    confirm_composition: bool = False,
    today: dt.date | None = None,
) -> Dialogue:
    """Record a dialogue held at `dialogue.employer`: its activity (organised by `unit`) and the workplace record."""
    today = today or timezone.localdate()
    _require_recording_unit(actor, unit)
    _require_kind(activity, KindRole.WORKPLACE_DIALOGUE)
    unions = _employer_unions(actor, unit, dialogue.employer)
    created = activity_services.activity_create(actor=actor, unit=unit, details=_with_unions(activity, unions))
    held_on = _held_on(created, today)
    values = _clean_dialogue(dialogue, employer=dialogue.employer, held_on=held_on, today=today)
    composition = _composition(actor, check_composition(values, held_on), confirm_composition, None)
    row = Dialogue(activity=created)
    _assign_dialogue(row, values, held_on, composition)
    row.save()
    record(actor=actor, action="dialogue.record", obj=row, after=dialogue_snapshot(row))
    _record_confirmation(actor, row, None)
    return row


@transaction.atomic
def dialogue_update(
    *,
    actor: Any,
    dialogue: Dialogue,
    activity: ActivityDetails,
    details: DialogueDetails,
    version: int,
    confirm_composition: bool = False,
    today: dt.date | None = None,
) -> Dialogue:
    """Change a dialogue and its activity; `version` is the activity's, guarding both against a lost update."""
    today = today or timezone.localdate()
    locked = Dialogue.objects.select_for_update(of=("self",)).filter(pk=dialogue.pk).select_related("employer").first()
    if locked is None or not Activity.objects.visible_to(actor, VIEW).filter(pk=dialogue.pk).exists():
        raise activity_services.activity_not_found()
    current = Activity.objects.select_related("unit", "kind").get(pk=locked.pk)
    if not activity_services.may_change(actor, current):
        raise Forbidden(
            _("Only the recording unit %(code)s changes this activity.") % {"code": current.unit.code},
            field="activity",
        )
    if current.version != version:
        raise Conflict(_("Someone else changed this activity meanwhile. Reload the page and try again."), code="stale")
    _require_kind(activity, KindRole.WORKPLACE_DIALOGUE)
    unions = _employer_unions(actor, current.unit, details.employer)
    before = dialogue_snapshot(locked)
    updated = activity_services.activity_update(
        actor=actor, activity=current, details=_with_unions(activity, unions), version=version
    )
    held_on = _held_on(updated, today)
    values = _clean_dialogue(details, employer=details.employer, held_on=held_on, today=today)
    previous = Dialogue(
        composition_issues=locked.composition_issues,
        composition_confirmed_by=locked.composition_confirmed_by,
        composition_confirmed_at=locked.composition_confirmed_at,
    )
    composition = _composition(actor, check_composition(values, held_on), confirm_composition, previous)
    _assign_dialogue(locked, values, held_on, composition)
    after = dialogue_snapshot(locked)
    if after == before:
        return locked
    locked.save()
    if updated.version == version:
        # Only the workplace record changed: the activity's version still moves, so other open forms go stale.
        activity_services.activity_touch(updated)
    record(actor=actor, action="dialogue.update", obj=locked, before=before, after=after)
    _record_confirmation(actor, locked, previous)
    return locked


# ---------------------------------------------------------------- employee conferences


def _clean_conference(details: ConferenceDetails, *, employer: Unit) -> ConferenceDetails:
    if details.form not in ConferenceForm.values:
        raise DomainError(_("Choose the form of the conference."), field="form")
    headcount = clean_count(details.headcount, field="headcount", maximum=MAX_HEADCOUNT)
    if headcount < 1:
        raise DomainError(_("An employer has at least one employee."), field="headcount")
    attended = clean_count(details.attended, field="attended", maximum=MAX_HEADCOUNT)
    if attended > headcount:
        raise DomainError(
            _("More people attended (%(attended)s) than the employer has employees (%(headcount)s).")
            % {"attended": attended, "headcount": headcount},
            field="attended",
        )
    if not isinstance(details.agreement_reviewed, bool):
        raise DomainError(_("Say whether the collective agreement was reviewed."), field="agreement_reviewed")
    return ConferenceDetails(
        employer=employer,
        form=details.form,
        headcount=headcount,
        attended=attended,
        resolutions=clean_str(details.resolutions, "resolutions", TEXT_MAX_LENGTH),
        agreement_reviewed=details.agreement_reviewed,
    )


def conference_snapshot(conference: EmployeeConference) -> dict[str, Any]:
    return {
        "activity_id": conference.activity_id,
        "employer": conference.employer.code,
        "held_on": conference.held_on,
        "form": conference.form,
        "headcount": conference.headcount,
        "attended": conference.attended,
        "resolutions": conference.resolutions,
        "agreement_reviewed": conference.agreement_reviewed,
    }


@transaction.atomic
def conference_record(
    *,
    actor: Any,
    unit: Unit,
    activity: ActivityDetails,
    conference: ConferenceDetails,
    today: dt.date | None = None,
) -> EmployeeConference:
    """Record an employee conference at `conference.employer`: its activity (organised by `unit`) and the record."""
    today = today or timezone.localdate()
    _require_recording_unit(actor, unit)
    _require_kind(activity, KindRole.EMPLOYEE_CONFERENCE)
    unions = _employer_unions(actor, unit, conference.employer)
    created = activity_services.activity_create(actor=actor, unit=unit, details=_with_unions(activity, unions))
    held_on = _held_on(created, today)
    values = _clean_conference(conference, employer=conference.employer)
    row = EmployeeConference(
        activity=created,
        employer=values.employer,
        held_on=held_on,
        form=values.form,
        headcount=values.headcount,
        attended=values.attended,
        resolutions=values.resolutions,
        agreement_reviewed=values.agreement_reviewed,
    )
    row.save()
    record(actor=actor, action="employee_conference.record", obj=row, after=conference_snapshot(row))
    return row
