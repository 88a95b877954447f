"""Writes on initiatives: the application, its authors and files, the Decree 13/2012 procedure, the benefit,
transfers and remuneration payments.

Every service is keyword-only, runs in one transaction, checks the actor's scope on the initiative's
unit (`initiative.change`, or `initiative.decide` for examination and decisions; out of scope looks
like "not found"), and writes an audit entry. The clocks come from the dated `InitiativeRule` in force.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record, record_many
from unionhall.core import uploads
from unionhall.core.errors import Conflict, DomainError, NotFound
from unionhall.core.formatting import format_date, format_number
from unionhall.core.scoping import scope_for
from unionhall.core.text import clean_text
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit

from . import attachments, deadlines, shares
from .choices import EDITABLE_STATUSES, Field, Level, Status, Verdict
from .models import (
    MAX_VND,
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeBenefit,
    InitiativeRule,
    InitiativeTransfer,
    RemunerationPayment,
)

VIEW = "initiative.view"
CHANGE = "initiative.change"
DECIDE = "initiative.decide"
IMPORT = "initiative.import"
MEMBER_VIEW = "member.view"
MOVEMENT_VIEW = "movement.view"
EARLIEST_DATE = dt.date(1900, 1, 1)
TITLE_MAX = 300
TEXT_MAX = 20_000
CERTIFICATE_MAX = 50
NOTE_MAX = 300


@dataclass(frozen=True)
class InitiativeDetails:
    """What the author writes in the application."""

    title: str
    field: str
    first_applied_on: dt.date
    description: str = ""
    estimated_benefit_vnd: int = 0
    state_funded: bool = False
    movement: Movement | None = None


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def initiative_not_found(initiative: Initiative) -> NotFound:
    return NotFound(_("Initiative %(id)s was not found.") % {"id": initiative.pk})


def holds(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def _require_unit(actor: Any, action: str, unit: Unit) -> None:
    if not holds(actor, action, unit):
        raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")


def _lock(actor: Any, action: str, initiative: Initiative) -> Initiative:
    """The initiative, locked, if the actor holds `action` on its unit; otherwise "not found"."""
    locked = Initiative.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=initiative.pk).first()
    if locked is None or not holds(actor, action, locked.unit):
        raise initiative_not_found(initiative)
    return locked


def text_clean(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    text = clean_text(value or "", field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field, code="required")
    if len(text) > max_length:
        raise DomainError(
            _("This field has at most %(max)s characters.") % {"max": max_length}, field=field, code="too_long"
        )
    return text


def _day(day: dt.date | None, *, field: str, today: dt.date) -> dt.date:
    if day is None:
        raise DomainError(_("This date is required."), field=field, code="required")
    if day > today:
        raise DomainError(_("The date cannot be in the future."), field=field, code="future_date")
    if day < EARLIEST_DATE:
        raise DomainError(_("The date is too far in the past."), field=field)
    return day


def _not_before(day: dt.date, earlier: dt.date, *, field: str, what: str | Any) -> None:
    """Dates out of order are refused with both dates in the message."""
    if day < earlier:
        raise DomainError(
            _("The date %(day)s is before %(what)s (%(earlier)s).")
            % {"day": format_date(day), "what": what, "earlier": format_date(earlier)},
            field=field,
            code="date_order",
        )


def vnd_clean(value: Any, *, field: str, positive: bool = False) -> int:
    """An amount of VND: a whole number, not negative (or more than 0), at most 10^15."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter the amount as a whole number of dong."), field=field, code="invalid_amount")
    if value < 0:
        raise DomainError(_("The amount cannot be negative."), field=field, code="negative_amount")
    if positive and value == 0:
        raise DomainError(_("The amount must be more than zero."), field=field, code="zero_amount")
    if value > MAX_VND:
        raise DomainError(
            _("The amount is too large: at most %(max)s VND.") % {"max": format_number(MAX_VND)},
            field=field,
            code="amount_too_large",
        )
    return value


def rule_for(day: dt.date) -> InitiativeRule | None:
    """The initiative rule in force on `day`."""
    return InitiativeRule.objects.in_force(day).first()


def rule_of(initiative: Initiative) -> InitiativeRule | None:
    """The rule that governs the initiative: in force on its request (before it, on its first application)."""
    return rule_for(
        deadlines.rule_day(first_applied_on=initiative.first_applied_on, requested_on=initiative.requested_on)
    )


def _rule_required(day: dt.date) -> InitiativeRule:
    rule = rule_for(day)
    if rule is None:
        raise DomainError(
            _("No initiative rule is in force on %(day)s; an administrator must add one.") % {"day": format_date(day)},
            code="no_rule",
        )
    return rule


def movement_reaches(movement: Movement, unit: Unit) -> bool:
    """The unit takes part in the movement: under its launcher, or under a listed unit of a joint movement."""
    if unit.path.startswith(movement.launcher.path):
        return True
    listed = movement.units.values_list("path", flat=True) if movement.scope == "listed" else []
    return any(unit.path.startswith(path) for path in listed)


def _movement_clean(actor: Any, movement: Movement | None, unit: Unit) -> Movement | None:
    if movement is None:
        return None
    found = Movement.objects.visible_to(actor, MOVEMENT_VIEW).select_related("launcher").filter(pk=movement.pk).first()
    if found is None:
        raise NotFound(_("Movement %(code)s was not found.") % {"code": movement.code}, field="movement")
    if not movement_reaches(found, unit):
        raise DomainError(
            _("Unit %(unit)s does not take part in movement %(code)s.") % {"unit": unit.code, "code": found.code},
            field="movement",
            code="movement_scope",
        )
    return found


def _details_clean(actor: Any, details: InitiativeDetails, unit: Unit, today: dt.date) -> dict[str, Any]:
    if details.field not in Field.values:
        raise DomainError(_("Choose a field."), field="field")
    return {
        "title": text_clean(details.title, field="title", max_length=TITLE_MAX, required=True),
        "field": details.field,
        "description": text_clean(details.description, field="description", max_length=TEXT_MAX),
        "first_applied_on": _day(details.first_applied_on, field="first_applied_on", today=today),
        "estimated_benefit_vnd": vnd_clean(details.estimated_benefit_vnd, field="estimated_benefit_vnd"),
        "state_funded": bool(details.state_funded),
        "movement": _movement_clean(actor, details.movement, unit),
    }


def initiative_snapshot(initiative: Initiative) -> dict[str, Any]:
    return {
        "unit": initiative.unit.code,
        "title": initiative.title,
        "field": initiative.field,
        "movement_id": initiative.movement_id,
        "first_applied_on": initiative.first_applied_on,
        "requested_on": initiative.requested_on,
        "estimated_benefit_vnd": initiative.estimated_benefit_vnd,
        "state_funded": initiative.state_funded,
        "status": initiative.status,
        "examined_on": initiative.examined_on,
        "amendment_requested_on": initiative.amendment_requested_on,
        "amended_on": initiative.amended_on,
        "decided_on": initiative.decided_on,
        "level": initiative.level,
        "recognised_on": initiative.recognised_on,
        "certificate_number": initiative.certificate_number,
    }


def _save(initiative: Initiative, fields: Sequence[str]) -> Initiative:
    initiative.version = F("version") + 1
    initiative.save(update_fields=[*fields, "version", "updated_at"])
    initiative.refresh_from_db()
    return initiative


def _audit(actor: Any, action: str, initiative: Initiative, before: dict | None, after: dict | None) -> None:
    record_many(
        actor=actor,
        action=action,
        changes=[
            Change(
                obj=initiative, before=before, after=after, unit_id=initiative.unit.pk, unit_path=initiative.unit.path
            )
        ],
    )


def _require_status(initiative: Initiative, allowed: Sequence[str]) -> None:
    if initiative.status not in allowed:
        raise DomainError(
            _("This cannot be done to an initiative that is %(status)s.") % {"status": initiative.get_status_display()},
            code="wrong_status",
        )


# ---------------------------------------------------------------- the application


@transaction.atomic
def initiative_create(
    *, actor: Any, unit: Unit, details: InitiativeDetails, today: dt.date | None = None
) -> Initiative:
    """A draft application in `unit` (the establishment that invested in the initiative)."""
    today = _today(today)
    _require_unit(actor, CHANGE, unit)
    if not unit.is_active:
        raise DomainError(_("Unit %(code)s is no longer active.") % {"code": unit.code}, field="unit")
    values = _details_clean(actor, details, unit, today)
    initiative = Initiative.objects.create(unit=unit, status=Status.DRAFT, **values)
    _audit(actor, "initiative.create", initiative, None, initiative_snapshot(initiative))
    return initiative


@transaction.atomic
def initiative_update(
    *, actor: Any, initiative: Initiative, version: int, details: InitiativeDetails, today: dt.date | None = None
) -> Initiative:
    """Change the application while it is a draft or awaits amendment; `version` guards against lost updates."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, initiative)
    if initiative.version != version:
        raise Conflict(
            _("Someone else changed this initiative meanwhile. Reload the page and try again."), code="stale"
        )
    _require_status(initiative, EDITABLE_STATUSES)
    values = _details_clean(actor, details, initiative.unit, today)
    if initiative.requested_on is not None and values["first_applied_on"] > initiative.requested_on:
        raise DomainError(
            _("The first application cannot be after the request (%(day)s).")
            % {"day": format_date(initiative.requested_on)},
            field="first_applied_on",
            code="date_order",
        )

    def current(name: str) -> Any:
        return initiative.movement_id if name == "movement" else getattr(initiative, name)

    wanted = {name: (value.pk if name == "movement" and value is not None else value) for name, value in values.items()}
    if all(current(name) == value for name, value in wanted.items()):
        return initiative
    before = {**initiative_snapshot(initiative), "description": initiative.description}
    for name, value in values.items():
        setattr(initiative, name, value)
    after = {**initiative_snapshot(initiative), "description": initiative.description}
    initiative = _save(initiative, list(values))
    _audit(actor, "initiative.update", initiative, before, after)
    return initiative


def _authors_snapshot(initiative: Initiative) -> list[list[Any]]:
    rows = (
        InitiativeAuthor.objects.filter(initiative=initiative).select_related("person").order_by("person__member_code")
    )
    return [[a.person.member_code, str(a.share)] for a in rows]


def people_for_authors(actor: Any, codes: Sequence[str], *, field: str = "authors") -> dict[str, Person]:
    """The people named by member code, among those the actor sees; an unknown code is refused."""
    found = {p.member_code: p for p in Person.objects.visible_to(actor, MEMBER_VIEW).filter(member_code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise NotFound(
            _("No member with code %(codes)s was found.") % {"codes": ", ".join(missing[:5])},
            field=field,
            code="unknown_member",
        )
    return found


def authors_clean(actor: Any, authors: Sequence[tuple[Person, Decimal]]) -> list[tuple[Person, Decimal]]:
    """Distinct people the actor sees, each with a share more than 0, together exactly 100 %."""
    cleaned = [(person, shares.share_clean(share)) for person, share in authors]
    ids = [person.pk for person, _share in cleaned]
    if len(set(ids)) != len(ids):
        raise DomainError(_("The same person is named twice among the authors."), field="authors", code="duplicate")
    visible = set(Person.objects.visible_to(actor, MEMBER_VIEW).filter(pk__in=ids).values_list("pk", flat=True))
    unseen = [person.member_code for person, _share in cleaned if person.pk not in visible]
    if unseen:
        raise NotFound(
            _("No member with code %(codes)s was found.") % {"codes": ", ".join(unseen[:5])},
            field="authors",
            code="unknown_member",
        )
    shares.shares_check([share for _person, share in cleaned])
    return cleaned


@transaction.atomic
def authors_set(
    *, actor: Any, initiative: Initiative, authors: Sequence[tuple[Person, Decimal]], today: dt.date | None = None
) -> list[InitiativeAuthor]:
    """Replace the authors and their shares (percent, together exactly 100)."""
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, EDITABLE_STATUSES)
    cleaned = authors_clean(actor, authors)
    before = _authors_snapshot(initiative)
    wanted = {person.pk: share for person, share in cleaned}
    current = {a.person_id: a for a in InitiativeAuthor.objects.filter(initiative=initiative)}
    InitiativeAuthor.objects.filter(initiative=initiative).exclude(person_id__in=list(wanted)).delete()
    for person_id, share in wanted.items():
        author = current.get(person_id)
        if author is None:
            InitiativeAuthor.objects.create(initiative=initiative, person_id=person_id, share=share)
        elif author.share != share:
            author.share = share
            author.save(update_fields=["share"])
    after = _authors_snapshot(initiative)
    if before != after:
        initiative = _save(initiative, [])
        _audit(actor, "initiative.authors", initiative, {"authors": before}, {"authors": after})
    return list(InitiativeAuthor.objects.filter(initiative=initiative).select_related("person"))


@transaction.atomic
def attachment_add(
    *, actor: Any, initiative: Initiative, file: IO[bytes] | File, name: str = "", today: dt.date | None = None
) -> InitiativeAttachment:
    """Attach a PDF, DOCX, XLSX, PNG or JPEG file (recognised from its content, not its name)."""
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, EDITABLE_STATUSES)
    size = uploads.file_size(file)
    if not size:
        raise DomainError(_("The file is empty."), field="file", code="empty_file")
    if size > attachments.max_bytes():
        raise DomainError(
            _("The file is too large: at most %(max)s MB.") % {"max": format_number(attachments.max_bytes() // 2**20)},
            field="file",
            code="file_too_large",
        )
    content_type = uploads.sniff(file)
    if content_type is None:
        raise DomainError(
            _("Only PDF, DOCX, XLSX, PNG and JPEG files can be attached; this file is none of them."),
            field="file",
            code="file_type",
        )
    if InitiativeAttachment.objects.filter(initiative=initiative).count() >= attachments.MAX_PER_INITIATIVE:
        raise DomainError(
            _("An initiative has at most %(max)s attachments.") % {"max": attachments.MAX_PER_INITIATIVE},
            field="file",
        )
    original = uploads.original_name(name or getattr(file, "name", "") or "")
    attachment = InitiativeAttachment(
        initiative=initiative, original_name=original, size=size, content_type=content_type
    )
    attachment.file.save(original, file if isinstance(file, File) else File(file), save=False)
    stored = attachment.file.name or ""
    try:
        attachment.save()
        record(
            actor=actor,
            action="initiative.attachment_add",
            obj=attachment,
            after={"initiative_id": initiative.pk, "name": original, "size": size, "content_type": content_type},
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: InitiativeAttachment, today: dt.date | None = None) -> None:
    initiative = _lock(actor, CHANGE, attachment.initiative)
    _require_status(initiative, EDITABLE_STATUSES)
    found = InitiativeAttachment.objects.filter(pk=attachment.pk, initiative=initiative).first()
    if found is None:
        raise NotFound(_("Attachment not found."))
    before = {
        "initiative_id": initiative.pk,
        "name": found.original_name,
        "size": found.size,
        "content_type": found.content_type,
    }
    storage, stored = found.file.storage, found.file.name or ""
    record(actor=actor, action="initiative.attachment_remove", obj=found, before=before)
    found.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# ---------------------------------------------------------------- the procedure


def _authors_complete(initiative: Initiative) -> None:
    shares.shares_check(list(InitiativeAuthor.objects.filter(initiative=initiative).values_list("share", flat=True)))


@transaction.atomic
def initiative_submit(*, actor: Any, initiative: Initiative, today: dt.date | None = None) -> Initiative:
    """Request recognition today; refused later than the request window after first application."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, (Status.DRAFT,))
    _authors_complete(initiative)
    _not_before(today, initiative.first_applied_on, field="first_applied_on", what=_("the first application"))
    rule = _rule_required(today)
    bar = deadlines.request_bar(initiative.first_applied_on, rule)
    if today > bar:
        raise DomainError(
            _(
                "Recognition must be requested within %(months)s months of the first application, "
                "that is by %(day)s; it is too late."
            )
            % {"months": rule.request_window_months, "day": format_date(bar)},
            field="first_applied_on",
            code="request_too_late",
        )
    before = initiative_snapshot(initiative)
    initiative.status = Status.SUBMITTED
    initiative.requested_on = today
    initiative = _save(initiative, ["status", "requested_on"])
    _audit(actor, "initiative.submit", initiative, before, initiative_snapshot(initiative))
    return initiative


@transaction.atomic
def initiative_examine(
    *,
    actor: Any,
    initiative: Initiative,
    verdict: str,
    note: str = "",
    day: dt.date | None = None,
    today: dt.date | None = None,
) -> Initiative:
    """The establishment's examination: accept for decision, ask for amendment (with a note), or reject."""
    today = _today(today)
    initiative = _lock(actor, DECIDE, initiative)
    _require_status(initiative, (Status.SUBMITTED,))
    if verdict not in Verdict.values:
        raise DomainError(_("Choose accept, amend or reject."), field="verdict")
    day = _day(day or today, field="day", today=today)
    assert initiative.requested_on is not None
    _not_before(day, initiative.amended_on or initiative.requested_on, field="day", what=_("the request"))
    note = text_clean(note, field="note", max_length=TEXT_MAX, required=verdict != Verdict.ACCEPT)
    before = initiative_snapshot(initiative)
    initiative.examined_on = day
    fields = ["examined_on", "status"]
    if verdict == Verdict.ACCEPT:
        initiative.status = Status.ACCEPTED
    elif verdict == Verdict.AMEND:
        initiative.status = Status.NEEDS_AMENDMENT
        initiative.amendment_requested_on = day
        initiative.amendment_note = note
        fields += ["amendment_requested_on", "amendment_note"]
    else:
        initiative.status = Status.REJECTED
        initiative.decided_on = day
        initiative.decision_note = note
        fields += ["decided_on", "decision_note"]
    initiative = _save(initiative, fields)
    after = {**initiative_snapshot(initiative), "verdict": verdict, "note": note}
    _audit(actor, "initiative.examine", initiative, before, after)
    return initiative


@transaction.atomic
def initiative_amend(*, actor: Any, initiative: Initiative, today: dt.date | None = None) -> Initiative:
    """Hand the amended application back, within the amendment window; it awaits examination again."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, (Status.NEEDS_AMENDMENT,))
    _authors_complete(initiative)
    assert initiative.amendment_requested_on is not None
    _not_before(today, initiative.amendment_requested_on, field="day", what=_("the request for amendment"))
    rule = rule_of(initiative)
    if rule is not None:
        due = deadlines.amendment_due(initiative.amendment_requested_on, rule)
        if today > due:
            raise DomainError(
                _("The amendment was due by %(day)s; the window has passed.") % {"day": format_date(due)},
                code="amendment_too_late",
            )
    before = initiative_snapshot(initiative)
    initiative.status = Status.SUBMITTED
    initiative.amended_on = today
    initiative = _save(initiative, ["status", "amended_on"])
    _audit(actor, "initiative.amend", initiative, before, initiative_snapshot(initiative))
    return initiative


def certificate_clean(unit: Unit, number: str, *, exclude_pk: int | None = None) -> str:
    number = text_clean(number, field="certificate_number", max_length=CERTIFICATE_MAX, required=True)
    taken = Initiative.objects.filter(unit=unit, certificate_number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(
            _("Certificate number %(number)s is already used in unit %(unit)s.")
            % {"number": number, "unit": unit.code},
            field="certificate_number",
            code="duplicate_certificate",
        )
    return number


@transaction.atomic
def initiative_recognise(
    *,
    actor: Any,
    initiative: Initiative,
    level: str,
    certificate_number: str,
    recognised_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Initiative:
    """Recognise an accepted initiative at a level, with a certificate number unique in its unit."""
    today = _today(today)
    initiative = _lock(actor, DECIDE, initiative)
    _require_status(initiative, (Status.ACCEPTED,))
    if level not in Level.values:
        raise DomainError(_("Choose a level."), field="level")
    recognised_on = _day(recognised_on, field="recognised_on", today=today)
    accepted = initiative.examined_on or initiative.requested_on or initiative.first_applied_on
    _not_before(recognised_on, accepted, field="recognised_on", what=_("the acceptance of the request"))
    number = certificate_clean(initiative.unit, certificate_number, exclude_pk=initiative.pk)
    before = initiative_snapshot(initiative)
    initiative.status = Status.RECOGNISED
    initiative.level = level
    initiative.recognised_on = recognised_on
    initiative.decided_on = recognised_on
    initiative.certificate_number = number
    initiative.decision_note = text_clean(note, field="note", max_length=TEXT_MAX)
    try:
        with transaction.atomic():
            initiative = _save(
                initiative,
                ["status", "level", "recognised_on", "decided_on", "certificate_number", "decision_note"],
            )
    except IntegrityError:
        raise Conflict(
            _("Certificate number %(number)s is already used in unit %(unit)s.")
            % {"number": number, "unit": initiative.unit.code},
            field="certificate_number",
            code="duplicate_certificate",
        ) from None
    _audit(actor, "initiative.recognise", initiative, before, initiative_snapshot(initiative))
    return initiative


@transaction.atomic
def initiative_reject(
    *, actor: Any, initiative: Initiative, note: str, day: dt.date | None = None, today: dt.date | None = None
) -> Initiative:
    """Refuse recognition, with the reason."""
    today = _today(today)
    initiative = _lock(actor, DECIDE, initiative)
    _require_status(initiative, (Status.SUBMITTED, Status.NEEDS_AMENDMENT, Status.ACCEPTED))
    day = _day(day or today, field="day", today=today)
    assert initiative.requested_on is not None
    _not_before(day, initiative.examined_on or initiative.requested_on, field="day", what=_("the request"))
    note = text_clean(note, field="note", max_length=TEXT_MAX, required=True)
    before = initiative_snapshot(initiative)
    initiative.status = Status.REJECTED
    initiative.decided_on = day
    initiative.decision_note = note
    initiative = _save(initiative, ["status", "decided_on", "decision_note"])
    _audit(actor, "initiative.reject", initiative, before, {**initiative_snapshot(initiative), "note": note})
    return initiative


# ---------------------------------------------------------------- after recognition


def benefit_year_clean(initiative: Initiative, year: Any, today: dt.date) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise DomainError(_("Choose a valid year."), field="year")
    first = initiative.first_applied_on.year
    if year < first:
        raise DomainError(
            _("The year %(year)s is before the first application (%(first)s).") % {"year": year, "first": first},
            field="year",
            code="date_order",
        )
    if year > today.year:
        raise DomainError(_("The year cannot be in the future."), field="year", code="future_date")
    return year


@transaction.atomic
def benefit_record(
    *,
    actor: Any,
    initiative: Initiative,
    year: int,
    amount_vnd: int,
    note: str = "",
    today: dt.date | None = None,
) -> InitiativeBenefit:
    """Record (or correct) the benefit of one calendar year of application of a recognised initiative."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, (Status.RECOGNISED,))
    year = benefit_year_clean(initiative, year, today)
    amount_vnd = vnd_clean(amount_vnd, field="amount_vnd")
    note = text_clean(note, field="note", max_length=TEXT_MAX)
    index = deadlines.year_index(year=year, first_applied_on=initiative.first_applied_on)
    benefit = InitiativeBenefit.objects.select_for_update().filter(initiative=initiative, year=year).first()
    before = None
    if benefit is None:
        benefit = InitiativeBenefit.objects.create(
            initiative=initiative, year=year, year_index=index, amount_vnd=amount_vnd, note=note
        )
    else:
        if benefit.amount_vnd == amount_vnd and benefit.note == note:
            return benefit
        before = {"year": year, "amount_vnd": benefit.amount_vnd}
        benefit.amount_vnd, benefit.note = amount_vnd, note
        benefit.save(update_fields=["amount_vnd", "note", "updated_at"])
    after = {"initiative_id": initiative.pk, "year": year, "year_index": index, "amount_vnd": amount_vnd}
    record(actor=actor, action="initiative.benefit", obj=benefit, before=before, after=after)
    return benefit


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    initiative: Initiative,
    price_vnd: int,
    received_on: dt.date,
    transferee: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> InitiativeTransfer:
    """A transfer of a recognised initiative; its price earns the authors a remuneration."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, initiative)
    _require_status(initiative, (Status.RECOGNISED,))
    price_vnd = vnd_clean(price_vnd, field="price_vnd")
    received_on = _day(received_on, field="received_on", today=today)
    assert initiative.recognised_on is not None
    _not_before(received_on, initiative.recognised_on, field="received_on", what=_("the recognition"))
    transfer = InitiativeTransfer.objects.create(
        initiative=initiative,
        price_vnd=price_vnd,
        received_on=received_on,
        transferee=text_clean(transferee, field="transferee", max_length=300),
        note=text_clean(note, field="note", max_length=TEXT_MAX),
    )
    after = {
        "initiative_id": initiative.pk,
        "price_vnd": price_vnd,
        "received_on": received_on,
        "transferee": transfer.transferee,
    }
    record(actor=actor, action="initiative.transfer", obj=transfer, after=after)
    return transfer


@transaction.atomic
def remuneration_pay(
    *,
    actor: Any,
    author: InitiativeAuthor,
    amount_vnd: int,
    paid_on: dt.date,
    year_index: int | None = None,
    transfer: InitiativeTransfer | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> RemunerationPayment:
    """A payment of remuneration to one author, for one year of application or one transfer."""
    today = _today(today)
    initiative = _lock(actor, CHANGE, author.initiative)
    author = InitiativeAuthor.objects.filter(pk=author.pk, initiative=initiative).select_related("person").first()  # type: ignore[assignment]
    if author is None:
        raise NotFound(_("This person is not an author of the initiative."), field="author")
    _require_status(initiative, (Status.RECOGNISED,))
    assert initiative.recognised_on is not None
    if (year_index is None) == (transfer is None):
        raise DomainError(_("Name either the year of application or the transfer paid for."), field="year_index")
    rule = rule_of(initiative)
    if rule is None:
        raise DomainError(_("No initiative rule applies to this initiative."), code="no_rule")
    amount_vnd = vnd_clean(amount_vnd, field="amount_vnd", positive=True)
    paid_on = _day(paid_on, field="paid_on", today=today)
    _not_before(paid_on, initiative.recognised_on, field="paid_on", what=_("the recognition"))
    if year_index is not None:
        if (
            isinstance(year_index, bool)
            or not isinstance(year_index, int)
            or not 1 <= year_index <= rule.remuneration_years
        ):
            raise DomainError(
                _("Remuneration is paid for years 1 to %(years)s of application.") % {"years": rule.remuneration_years},
                field="year_index",
            )
        if not InitiativeBenefit.objects.filter(initiative=initiative, year_index=year_index).exists():
            raise DomainError(
                _("Record the benefit of year %(index)s of application first.") % {"index": year_index},
                field="year_index",
                code="no_benefit",
            )
    else:
        assert transfer is not None
        found = InitiativeTransfer.objects.filter(pk=transfer.pk, initiative=initiative).first()
        if found is None:
            raise NotFound(_("Transfer not found."), field="transfer")
        if not deadlines.transfer_remunerated(
            received_on=found.received_on, recognised_on=initiative.recognised_on, rule=rule
        ):
            raise DomainError(
                _("Only transfers within %(years)s years of recognition earn a remuneration.")
                % {"years": rule.transfer_years},
                field="transfer",
            )
        _not_before(paid_on, found.received_on, field="paid_on", what=_("the receipt of the price"))
        transfer = found
    payment = RemunerationPayment.objects.create(
        author=author,
        year_index=year_index,
        transfer=transfer,
        amount_vnd=amount_vnd,
        paid_on=paid_on,
        note=text_clean(note, field="note", max_length=NOTE_MAX),
    )
    after = {
        "initiative_id": initiative.pk,
        "member_code": author.person.member_code,
        "year_index": year_index,
        "transfer_id": transfer.pk if transfer is not None else None,
        "amount_vnd": amount_vnd,
        "paid_on": paid_on,
    }
    record(actor=actor, action="initiative.remuneration_pay", obj=payment, after=after)
    return payment


# ---------------------------------------------------------------- historic records (imports)


@dataclass(frozen=True)
class HistoricInitiative:
    """An initiative recognised before the system was used, as an import row gives it (already checked)."""

    unit: Unit
    title: str
    field: str
    first_applied_on: dt.date
    level: str
    recognised_on: dt.date
    certificate_number: str
    # (person id, share)
    authors: tuple[tuple[int, Decimal], ...]
    # (calendar year, benefit VND), for the years the row gives
    benefits: tuple[tuple[int, int], ...]


def _historic_state(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title,
        "field": initiative.field,
        "first_applied_on": initiative.first_applied_on,
        "level": initiative.level,
        "recognised_on": initiative.recognised_on,
        "authors": {
            a.person_id: a.share for a in InitiativeAuthor.objects.filter(initiative=initiative).order_by("person_id")
        },
        "benefits": {b.year: b.amount_vnd for b in InitiativeBenefit.objects.filter(initiative=initiative)},
    }


def _audit_form(state: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in state.items() if k not in ("authors", "benefits")},
        "authors": {str(k): str(v) for k, v in state["authors"].items()},
        "benefits": {str(k): v for k, v in sorted(state["benefits"].items())},
    }


def initiative_historic_save(
    *, actor: Any, data: HistoricInitiative, existing: Initiative | None, row: int | None = None
) -> Initiative:
    """Create or correct a historic recognised initiative, keyed by unit and certificate number.

    Called by the import inside its one transaction, after the whole file was validated; `actor`
    None is the system (the command line without --actor).
    """
    unit = data.unit
    if actor is not None:
        _require_unit(actor, IMPORT, unit)
    values = {
        "title": data.title,
        "field": data.field,
        "first_applied_on": data.first_applied_on,
        "level": data.level,
        "recognised_on": data.recognised_on,
    }
    if existing is None:
        initiative = Initiative.objects.create(
            unit=unit,
            status=Status.RECOGNISED,
            decided_on=data.recognised_on,
            certificate_number=data.certificate_number,
            **values,
        )
        before = None
    else:
        initiative = Initiative.objects.select_for_update(of=("self",)).select_related("unit").get(pk=existing.pk)
        before = _historic_state(initiative)
        for name, value in values.items():
            setattr(initiative, name, value)
        initiative.decided_on = data.recognised_on
        initiative = _save(initiative, [*values, "decided_on"])
    wanted = dict(data.authors)
    InitiativeAuthor.objects.filter(initiative=initiative).exclude(person_id__in=list(wanted)).delete()
    current = {a.person_id: a for a in InitiativeAuthor.objects.filter(initiative=initiative)}
    for person_id, share in wanted.items():
        author = current.get(person_id)
        if author is None:
            InitiativeAuthor.objects.create(initiative=initiative, person_id=person_id, share=share)
        elif author.share != share:
            author.share = share
            author.save(update_fields=["share"])
    first = data.first_applied_on
    for benefit in InitiativeBenefit.objects.filter(initiative=initiative):
        index = deadlines.year_index(year=benefit.year, first_applied_on=first)
        if benefit.year_index != index:
            benefit.year_index = index
            benefit.save(update_fields=["year_index", "updated_at"])
    for year, amount in data.benefits:
        InitiativeBenefit.objects.update_or_create(
            initiative=initiative,
            year=year,
            defaults={"amount_vnd": amount, "year_index": deadlines.year_index(year=year, first_applied_on=first)},
        )
    after = {**_audit_form(_historic_state(initiative)), "certificate_number": data.certificate_number}
    if row is not None:
        after["row"] = row
    _audit(actor, "initiative.import", initiative, _audit_form(before) if before else None, after)
    return initiative
