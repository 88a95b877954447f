"""The `members` record type: people and their memberships from a roster file, upserted by national ID.

`validate` reads the file in chunks. Each row is checked the way the services check a form
(`services.person_details_clean`), matched to the person already registered under the same blind index
(or member code), and classified: new, updated (details changed, or a re-join), unchanged or
rejected. Nothing is written then: the rows to write are staged in a temporary file, so a
million-row file is validated in bounded memory. `apply` writes the staged rows set-wise (COPY on
PostgreSQL) with one audit entry per row, inside the import's one transaction.
"""

import datetime as dt
import functools
import pickle
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import IO, Any

from django.db import IntegrityError, connection
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.models import AuditEntry
from unionhall.audit.recorder import STREAM_COLUMNS, AuditStream, Change
from unionhall.core import fieldcrypto
from unionhall.core.bulk import BackgroundWriter, bulk_insert_values, reserve_ids, values_as_rows
from unionhall.core.errors import Conflict, DomainError
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import CHOICE, DATE, IDENTIFIER, TEXT, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.orgunits.models import Unit

from . import identity, services
from .choices import OPEN_STATUSES, EducationLevel, Gender, IdKind
from .codes import member_code_is_valid, member_code_new, member_code_normalise
from .models import Membership, Person

CODE = "members"
IMPORT = "member.import"
EXPORT = "member.export"
CHUNK = 5_000
CODE_ATTEMPTS = 8

COLUMNS = (
    Column(
        "member_code",
        _("member code"),
        IDENTIFIER,
        max_length=20,
        help=_("Given by the system. Leave blank for a new member; keep it to update one."),
        example="0012345678X",
    ),
    Column("full_name", _("full name"), TEXT, required=True, max_length=200, example="Nguyễn Thị Lan"),
    Column("gender", _("gender"), CHOICE, required=True, choices=Gender.choices, example=_("Female")),
    Column("date_of_birth", _("date of birth"), DATE, no_future=True, example="15/03/1990"),
    Column(
        "id_kind",
        _("identity document"),
        CHOICE,
        choices=IdKind.choices,
        help=_("Blank: 12 digits is a CCCD, 9 digits a CMND, anything else a passport."),
    ),
    Column(
        "national_id",
        _("identity number"),
        IDENTIFIER,
        max_length=20,
        help=_("Required for a new member: a later import finds the person again by it."),
        example="075190001234",
    ),
    Column("nationality", _("nationality"), TEXT, max_length=2, help=_("Two letters, e.g. VN."), example="VN"),
    Column("phone", _("phone"), IDENTIFIER, max_length=20, example="0912345678"),
    Column("email", _("email"), TEXT, max_length=254),
    Column("education_level", _("education level"), CHOICE, choices=EducationLevel.choices),
    Column("job_title", _("job title"), TEXT, max_length=200),
    Column(
        "ethnicity",
        _("ethnicity"),
        TEXT,
        max_length=100,
        help=_("Only with the permission to record sensitive data. Blank keeps what is recorded."),
    ),
    Column(
        "religion",
        _("religion"),
        TEXT,
        max_length=100,
        help=_("Only with the permission to record sensitive data. Blank keeps what is recorded."),
    ),
    Column(
        "unit_code",
        _("unit code"),
        IDENTIFIER,
        max_length=40,
        help=_("A unit inside the unit imported into; blank: that unit itself."),
        example="DN-TB-001",
    ),
    Column("join_date", _("joined on"), DATE, no_future=True, example="01/07/2025"),
)
# Columns that write a person's own fields (the others say where and since when they are a member).
DETAIL_KEYS = {
    "full_name": ("full_name",),
    "gender": ("gender",),
    "date_of_birth": ("date_of_birth",),
    "national_id": ("id_kind", "national_id_encrypted", "national_id_index", "national_id_hint", "nationality"),
    "id_kind": ("id_kind",),
    "nationality": ("nationality",),
    "phone": ("phone",),
    "email": ("email",),
    "education_level": ("education_level",),
    "job_title": ("job_title",),
    "ethnicity": ("ethnicity",),
    "religion": ("religion",),
}
# What an existing person's row carries to compare and to write.
PERSON_FIELDS = (
    "pk",
    "member_code",
    "full_name",
    "gender",
    "date_of_birth",
    "id_kind",
    "national_id_encrypted",
    "national_id_index",
    "national_id_hint",
    "nationality",
    "ethnicity",
    "religion",
    "education_level",
    "phone",
    "email",
    "job_title",
    "residence_province_id",
    "residence_commune_id",
    "employer_id",
)
NEW, UPDATE = "new", "update"


# ---------------------------------------------------------------- staging


class Staged:
    """The writes a plan will make, pickled chunk by chunk into a temporary file."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the plan
        self.chunks = 0

    def add(self, ops: list[tuple]) -> None:
        if ops:
            pickle.dump(ops, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunks += 1

    def __iter__(self) -> Iterator[list[tuple]]:
        self._file.seek(0)
        for _chunk in range(self.chunks):
            yield pickle.load(self._file)  # noqa: S301 - our own temporary file

    def close(self) -> None:
        self._file.close()


@dataclass
class _Units:
    """Unit codes of the file resolved once each: the unit if the actor may import into it, else None."""

    context: Context
    known: dict[str, Unit | None] = field(default_factory=dict)

    def resolve(self, codes: set[str]) -> None:
        missing = [c for c in codes if c not in self.known]
        if not missing:
            return
        scope = scope_for(self.context.actor, IMPORT) if self.context.actor is not None else None
        found = {
            u.code: u
            for u in Unit.objects.filter(subtree_q("path", self.context.unit.path), code__in=missing, status="active")
        }
        for code in missing:
            unit = found.get(code)
            if unit is not None and scope is not None and not scope.covers(path=unit.path, unit_id=unit.pk):
                unit = None
            self.known[code] = unit

    def get(self, code: str) -> Unit | None:
        return self.known.get(code)


@dataclass
class _Pending:
    """A row read, waiting for its chunk's lookups."""

    row: Row
    index: str | None
    member_code: str
    unit_code: str
    keep_id: bool


@dataclass
class _Known:
    """What the database holds for a chunk's people."""

    by_index: dict[str, dict[str, Any]]
    by_code: dict[str, dict[str, Any]]
    open_membership: dict[int, dict[str, Any]]
    last_day: dict[int, dt.date]
    visible: set[int]


# ---------------------------------------------------------------- validate


def validate(rows: Iterator[Row], context: Context) -> Plan:
    staged = Staged()
    plan = Plan(payload=staged)
    units = _Units(context)
    seen_index: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    default_code = context.unit.code
    sensitive_scope = scope_for(context.actor, services.VIEW_SENSITIVE) if context.actor is not None else None
    pending: list[_Pending] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        item = _read(row, plan, seen_index, seen_code, default_code)
        if item is not None:
            pending.append(item)
        if len(pending) >= CHUNK:
            staged.add(_classify(pending, plan, context, units, sensitive_scope))
            pending = []
    staged.add(_classify(pending, plan, context, units, sensitive_scope))
    return plan


def _read(
    row: Row, plan: Plan, seen_index: dict[str, int], seen_code: dict[str, int], default_code: str
) -> _Pending | None:
    """First look at a row: its identity, duplicates inside the file; None when it is rejected already."""
    values = row.values
    code = member_code_normalise(values["member_code"] or "")
    if code and not member_code_is_valid(code):
        plan.reject(row, row.error("member_code", _("This member code is not valid (check the last character).")))
        return None
    number = values["national_id"] or ""
    keep_id = bool(number) and number.startswith("*")
    index = None
    if keep_id:
        if not code:
            plan.reject(row, row.error("national_id", _("A masked identity number needs the member code.")))
            return None
    elif number:
        kind = values["id_kind"] or _kind_of(number)
        nationality = (values["nationality"] or "").upper() or ("VN" if kind != IdKind.PASSPORT else "")
        normalised = identity.normalise(kind, number)
        index = fieldcrypto.blind_index(
            identity.blind_index_input(kind, normalised, nationality), context=services.ID_CONTEXT
        )
        values["id_kind"] = kind
    elif not code:
        plan.reject(row, row.error("national_id", _("Give the identity number (or the member code of a member).")))
        return None
    duplicate = (index and seen_index.get(index)) or (code and seen_code.get(code))
    if duplicate:
        column = "national_id" if index and index in seen_index else "member_code"
        plan.reject(row, row.error(column, _("The same person as row %(row)s.") % {"row": duplicate}))
        return None
    if index:
        seen_index[index] = row.number
    if code:
        seen_code[code] = row.number
    unit_code = (values["unit_code"] or default_code).upper()
    return _Pending(row=row, index=index, member_code=code, unit_code=unit_code, keep_id=keep_id)


def _kind_of(number: str) -> str:
    digits = identity.normalise("", number)
    if digits.isascii() and digits.isdigit():
        if len(digits) == 12:
            return IdKind.CCCD
        if len(digits) == 9:
            return IdKind.CMND
    return IdKind.PASSPORT


def _lookup(pending: list[_Pending], actor: Any) -> _Known:
    indexes = [p.index for p in pending if p.index]
    codes = [p.member_code for p in pending if p.member_code]
    by_index = {
        p["national_id_index"]: p for p in Person.objects.filter(national_id_index__in=indexes).values(*PERSON_FIELDS)
    }
    by_code = {p["member_code"]: p for p in Person.objects.filter(member_code__in=codes).values(*PERSON_FIELDS)}
    ids = {p["pk"] for p in by_index.values()} | {p["pk"] for p in by_code.values()}
    open_membership: dict[int, dict[str, Any]] = {
        m["person_id"]: dict(m)
        for m in Membership.objects.filter(person_id__in=ids, status__in=OPEN_STATUSES).values(
            "pk", "person_id", "unit_id", "unit__code", "join_date"
        )
    }
    last_day = {
        r["person_id"]: max(d for d in (r["last_end"], r["last_join"]) if d is not None)
        for r in Membership.objects.filter(person_id__in=ids - set(open_membership))
        .values("person_id")
        .annotate(last_end=Max("end_date"), last_join=Max("join_date"))
    }
    if actor is None:
        visible = set(ids)
    else:
        visible = set(
            Membership.objects.visible_to(actor, services.CHANGE)
            .filter(person_id__in=ids)
            .values_list("person_id", flat=True)
        )
    return _Known(by_index, by_code, open_membership, last_day, visible)


def _classify(
    pending: list[_Pending], plan: Plan, context: Context, units: _Units, sensitive_scope: Any
) -> list[tuple]:
    """Decide each row of a chunk; returns the writes to stage."""
    if not pending:
        return []
    units.resolve({p.unit_code for p in pending})
    known = _lookup(pending, context.actor)
    ops: list[tuple] = []
    for item in pending:
        op = _decide(item, plan, context, units, known, sensitive_scope)
        if op is not None:
            ops.append(op)
    return ops


def _decide(
    item: _Pending, plan: Plan, context: Context, units: _Units, known: _Known, sensitive_scope: Any
) -> tuple | None:
    row = item.row
    values = row.values
    unit = units.get(item.unit_code)
    if unit is None:
        column = "unit_code" if "unit_code" in row.raw else ""
        message = _("Unit %(code)s was not found among the active units of %(unit)s that you may import into.")
        plan.reject(row, row.error(column, message % {"code": item.unit_code, "unit": context.unit.code}))
        return None
    current = known.by_index.get(item.index) if item.index else None
    if current is None and item.member_code:
        current = known.by_code.get(item.member_code)
        if current is None or (item.index and current["national_id_index"]):
            # A code that names nobody, or somebody registered under another number.
            plan.reject(row, row.error("member_code", _("No member with this code was found.")))
            return None
    if current is not None and item.member_code and current["member_code"] != item.member_code:
        plan.reject(row, row.error("member_code", _("This identity number belongs to a member with another code.")))
        return None
    if current is not None and current["pk"] not in known.visible:
        # Out of the actor's sight: only a former member, named by their identity number, may re-join here.
        if item.index is None:
            plan.reject(row, row.error("member_code", _("No member with this code was found.")))
            return None
        if current["pk"] in known.open_membership:
            plan.reject(
                row, row.error("national_id", _("A person with this identity number is a member of another unit."))
            )
            return None
    for name in services.SENSITIVE_FIELDS:
        if values[name] and not (sensitive_scope is None or sensitive_scope.covers(path=unit.path, unit_id=unit.pk)):
            plan.reject(row, row.error(name, _("You may not record ethnicity or religion in this unit.")))
            return None
    try:
        cleaned = services.person_details_clean(
            context.actor, _details(row, current, item.keep_id), current=_as_person(current), today=context.today
        )
    except DomainError as error:
        column = error.field if error.field in values else ""
        plan.reject(row, row.error(column, str(error)))
        return None
    join_date = values["join_date"]
    if join_date is not None and cleaned["date_of_birth"] is not None and join_date < cleaned["date_of_birth"]:
        plan.reject(row, row.error("join_date", _("The join date is before the date of birth.")))
        return None
    if current is None:
        if join_date is None:
            plan.reject(row, row.error("join_date", _("The join date is required for a new member.")))
            return None
        plan.add(row.number, Outcome.NEW)
        return (NEW, row.number, cleaned, unit.pk, unit.path, join_date)
    return _decide_existing(item, plan, unit, known, current, cleaned, join_date)


def _decide_existing(
    item: _Pending,
    plan: Plan,
    unit: Unit,
    known: _Known,
    current: dict[str, Any],
    cleaned: dict[str, Any],
    join_date: dt.date | None,
) -> tuple | None:
    row = item.row
    membership = known.open_membership.get(current["pk"])
    rejoin = None
    if membership is not None and membership["unit_id"] != unit.pk:
        message = _("This person is a member of unit %(code)s: transfer them on their page, not by import.")
        plan.reject(
            row, row.error("unit_code" if "unit_code" in row.raw else "", message % {"code": membership["unit__code"]})
        )
        return None
    if membership is not None and join_date is not None and join_date != membership["join_date"]:
        message = _("This member joined on %(day)s; correct the join date on their page.")
        plan.reject(row, row.error("join_date", message % {"day": membership["join_date"].strftime("%d/%m/%Y")}))
        return None
    if membership is None:
        if join_date is None:
            plan.reject(row, row.error("join_date", _("The join date is required to re-join a former member.")))
            return None
        last = known.last_day.get(current["pk"])
        if last is not None and join_date < last:
            plan.reject(
                row, row.error("join_date", _("The date is before the end of an earlier membership of this person."))
            )
            return None
        rejoin = join_date
    keys = {key for column in row.raw for key in DETAIL_KEYS.get(column, ())}
    changes = {k: v for k, v in cleaned.items() if k in keys and current[_attname(k)] != v}
    if rejoin is not None:
        # As `person_create` does on a re-join: what a former unit recorded of ethnicity or religion goes.
        changes.update({name: "" for name in services.SENSITIVE_FIELDS if name not in cleaned and current[name]})
    if not changes and rejoin is None:
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    plan.add(row.number, Outcome.UPDATED)
    before = {k: current[_attname(k)] for k in changes}
    return (UPDATE, row.number, current["pk"], current["member_code"], before, changes, unit.pk, unit.path, rejoin)


@functools.cache
def _attname(key: str) -> str:
    """The column a cleaned value goes to: `employer` -> `employer_id`."""
    return str(Person._meta.get_field(key).attname)  # type: ignore[union-attr]


def _details(row: Row, current: dict[str, Any] | None, keep_id: bool) -> services.PersonDetails:
    """The row as a form would give it; a column the file leaves out keeps the recorded value."""
    values, given = row.values, row.raw

    def value(name: str) -> Any:
        if name in given or current is None:
            return values[name] if values[name] is not None else ""
        return current[name]

    # A blank or masked number keeps the recorded one: an import never erases an identity number.
    national_id = None if keep_id or not values["national_id"] else values["national_id"]
    return services.PersonDetails(
        full_name=values["full_name"],
        gender=values["gender"],
        date_of_birth=values["date_of_birth"]
        if "date_of_birth" in given or current is None
        else current["date_of_birth"],
        id_kind=value("id_kind"),
        national_id=national_id,
        nationality=value("nationality"),
        ethnicity=values["ethnicity"] or None,
        religion=values["religion"] or None,
        education_level=value("education_level"),
        phone=value("phone"),
        email=value("email"),
        job_title=value("job_title"),
    )


def _as_person(current: dict[str, Any] | None) -> Any:
    """What the cleaning reads of a current person (it compares the identity fields only)."""
    return None if current is None else SimpleNamespace(**current)


# ---------------------------------------------------------------- apply


def apply(plan: Plan, context: Context) -> None:
    staged: Staged = plan.payload
    try:
        with BackgroundWriter() as writer:
            _write_chunks(iter(staged), context, writer)
    except IntegrityError:
        raise Conflict(
            _("The members changed while the file was being checked; nothing was written. Import it again."),
            code="changed_meanwhile",
        ) from None


@dataclass
class _Reserved:
    """What a chunk's new people take before they are written: their ids and member codes."""

    ids: list[int]
    codes: list[str]


def _write_chunks(chunks: Iterator[list[tuple]], context: Context, writer: BackgroundWriter) -> None:
    """Each chunk is made while the one before is written (the database's work beside this process's).

    The database is read only when the writer is idle: what the next chunk takes (ids, member codes)
    is reserved between one chunk's writes and the next's, so the writes never wait for a read.
    """
    audit = AuditStream(actor=context.actor, action=IMPORT)
    ops = next(chunks, None)
    reserved = _reserve(ops or [], after=0, busy=set())
    queued = 0
    while ops is not None:
        updates = [op for op in ops if op[0] == UPDATE]
        if updates:
            writer.wait()  # the updates read and write on the connection themselves
        people, memberships, created = _new_rows([op for op in ops if op[0] == NEW], reserved)
        audit_rows = audit.rows(created + _update(updates))
        following = next(chunks, None)
        writer.wait()
        if queued:
            context.wrote(queued)
        reserved = _reserve(following or [], after=max(reserved.ids, default=0), busy=set(reserved.codes))
        writer.insert(Person, *people)
        writer.insert(Membership, *memberships)
        writer.insert(AuditEntry, STREAM_COLUMNS, audit_rows)
        queued += len(ops)
        ops = following
    writer.wait()
    if queued:
        context.wrote(queued)


def _reserve(ops: list[tuple], *, after: int, busy: set[str]) -> _Reserved:
    """Ids and member codes for the new people of a chunk; `after` and `busy` are the last chunk's, not yet written."""
    count = sum(1 for op in ops if op[0] == NEW)
    return _Reserved(reserve_ids(Person, count, after=after), _member_codes(count, busy))


def _member_codes(count: int, busy: set[str]) -> list[str]:
    """Fresh random member codes, none of them taken nor `busy`."""
    codes: list[str] = []
    for _attempt in range(CODE_ATTEMPTS):
        wanted = count - len(codes)
        if not wanted:
            return codes
        drawn = {member_code_new(secrets.randbelow(10**10)) for _ in range(wanted)} - set(codes) - busy
        codes.extend(drawn - _codes_taken(drawn))
    if len(codes) < count:
        raise Conflict(_("No free member code was found; try again."), code="member_code")
    return codes


def _codes_taken(codes: set[str]) -> set[str]:
    if connection.vendor == "postgresql":
        # One array parameter: a list of 5,000 bound values costs the ORM and the planner far more.
        with connection.cursor() as cursor:
            cursor.execute("SELECT member_code FROM members_person WHERE member_code = ANY(%s)", [list(codes)])
            return {row[0] for row in cursor.fetchall()}
    return set(Person.objects.filter(member_code__in=codes).values_list("member_code", flat=True))


Rows = tuple[list[str], list[tuple]]


def _new_rows(ops: list[tuple], reserved: _Reserved) -> tuple[Rows, Rows, list[Change]]:
    """The people, memberships and audit changes of a chunk's new rows (nothing read from the database)."""
    people = []
    memberships = []
    changes = []
    for pk, code, (_op, number, cleaned, unit_id, unit_path, join_date) in zip(
        reserved.ids, reserved.codes, ops, strict=True
    ):
        person = {
            **{_attname(k): (v.pk if hasattr(v, "pk") else v) for k, v in cleaned.items()},
            "id": pk,
            "member_code": code,
            "search_name": services.person_search_name(cleaned["full_name"], code, cleaned["phone"]),
        }
        person.setdefault("ethnicity", "")
        person.setdefault("religion", "")
        people.append(person)
        memberships.append({"person_id": pk, "unit_id": unit_id, "join_date": join_date})
        snapshot = services.person_snapshot(SimpleNamespace(**person))  # type: ignore[arg-type]
        changes.append(
            Change(
                obj=None,
                object_type="members.person",
                object_id=str(pk),
                object_label=f"{cleaned['full_name']} ({code})",
                unit_id=unit_id,
                unit_path=unit_path,
                after={**snapshot, "membership": {"unit_id": unit_id, "join_date": join_date}, "row": number},
            )
        )
    person_columns, person_rows = values_as_rows(Person, people, with_pk=True)
    membership_columns, membership_rows = values_as_rows(Membership, memberships)
    return (person_columns, list(person_rows)), (membership_columns, list(membership_rows)), changes


def _update(ops: list[tuple]) -> list[Change]:
    changes = []
    rejoins = []
    now = timezone.now()
    for _op, number, pk, code, before, values, unit_id, unit_path, rejoin in ops:
        if values:
            fields = {_attname(k): (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}
            if "full_name" in values or "phone" in values:
                person = Person.objects.values("full_name", "phone").get(pk=pk)
                fields["search_name"] = services.person_search_name(
                    values.get("full_name", person["full_name"]), code, values.get("phone", person["phone"])
                )
            Person.objects.filter(pk=pk).update(**fields, version=F("version") + 1, updated_at=now)
        if rejoin is not None:
            rejoins.append({"person_id": pk, "unit_id": unit_id, "join_date": rejoin})
        after: dict[str, Any] = {**_masked(values), "row": number}
        if rejoin is not None:
            after["membership"] = {"unit_id": unit_id, "join_date": rejoin}
        changes.append(
            Change(
                obj=None,
                object_type="members.person",
                object_id=str(pk),
                object_label=code,
                unit_id=unit_id,
                unit_path=unit_path,
                before=_masked(before),
                after=after,
            )
        )
    bulk_insert_values(Membership, rejoins)
    return changes


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    """Changed fields for the audit log: the identity number only masked, sensitive fields only named."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("national_id_encrypted", "national_id_index"):
            continue
        if key == "national_id_hint":
            out["national_id"] = identity.masked(values.get("id_kind", ""), value) if value else ""
        elif key in services.SENSITIVE_FIELDS:
            out.setdefault("sensitive_changed", []).append(key)
        else:
            out[key] = value.pk if hasattr(value, "pk") else value
    return out


# ---------------------------------------------------------------- export


def export(context: Context) -> Iterator[dict[str, Any]]:
    """Current members of the unit's subtree, as the import reads them (so an export re-imports unchanged)."""
    actor, unit = context.actor, context.unit
    plain_ids = actor is None or scope_for(actor, services.VIEW_NATIONAL_ID).covers(path=unit.path, unit_id=unit.pk)
    sensitive = actor is None or scope_for(actor, services.VIEW_SENSITIVE).covers(path=unit.path, unit_id=unit.pk)
    memberships = (
        Membership.objects.filter(subtree_q("unit__path", unit.path), status__in=OPEN_STATUSES)
        .select_related("person", "unit")
        .order_by("unit__path", "person__search_name", "pk")
    )
    for m in memberships.iterator(chunk_size=2000):
        p = m.person
        if p.national_id_encrypted and plain_ids:
            national_id = fieldcrypto.decrypt(p.national_id_encrypted, context=services.ID_CONTEXT)
        else:
            national_id = identity.masked(p.id_kind, p.national_id_hint)
        yield {
            "member_code": p.member_code,
            "full_name": p.full_name,
            "gender": p.get_gender_display(),
            "date_of_birth": p.date_of_birth,
            "id_kind": p.get_id_kind_display() if p.id_kind else "",
            "national_id": national_id,
            "nationality": p.nationality,
            "phone": p.phone,
            "email": p.email,
            "education_level": p.get_education_level_display() if p.education_level else "",
            "job_title": p.job_title,
            "ethnicity": p.ethnicity if sensitive else "",
            "religion": p.religion if sensitive else "",
            "unit_code": m.unit.code,
            "join_date": m.join_date,
        }


KIND = Kind(
    code=CODE,
    label=_("members"),
    action=IMPORT,
    columns=COLUMNS,
    validate=validate,
    apply=apply,
    export=export,
    export_action=EXPORT,
)
