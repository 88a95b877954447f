"""A record type for tests only: renaming units from a file, through the orgunits rename service."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import DATE, IDENTIFIER, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.orgunits.models import Unit
from unionhall.orgunits.services import Decision, unit_rename

CODE = "unit-renames"
COLUMNS = (
    Column("code", _("code"), IDENTIFIER, required=True, max_length=40, example="DN-TB-001"),
    Column("name_vi", _("name (Vietnamese)"), required=True, max_length=300),
    Column("name_en", _("name (English)"), max_length=300),
    Column("effective_date", _("effective date"), DATE, required=True, no_future=True, example="25/11/2026"),
    Column("reason", _("reason"), required=True),
)


def validate(rows: Iterator[Row], context: Context) -> Plan:
    plan = Plan(payload=[])
    units = {u.code: u for u in Unit.objects.filter(subtree_q("path", context.unit.path), status="active")}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        code = row.values["code"].upper()
        unit = units.get(code)
        if code in first_row:
            plan.reject(row, row.error("code", f"Same unit as row {first_row[code]}."))
            continue
        first_row[code] = row.number
        if unit is None:
            plan.reject(row, row.error("code", "No such unit here."))
            continue
        names = {**unit.names(), "vi": row.values["name_vi"], "en": row.values["name_en"] or ""}
        if names == unit.names():
            plan.add(row.number, Outcome.UNCHANGED)
            continue
        plan.add(row.number, Outcome.UPDATED)
        plan.payload.append((unit.pk, names, row.values["effective_date"], row.values["reason"]))
    return plan


def apply(plan: Plan, context: Context) -> None:
    for pk, names, day, reason in context.counted(plan.payload, every=1):
        unit_rename(
            actor=context.actor,
            unit=Unit.objects.get(pk=pk),
            names=names,
            decision=Decision(day, reason),
            today=context.today,
        )


def export(context: Context) -> Iterator[dict]:
    units = Unit.objects.filter(subtree_q("path", context.unit.path)).order_by("path")
    for unit in units.iterator(chunk_size=500):
        yield {
            "code": unit.code,
            "name_vi": unit.name_vi,
            "name_en": unit.name_en,
            "effective_date": unit.established_date,
            "reason": "",
        }


KIND = Kind(
    code=CODE,
    label=_("units"),
    action="unit.change",
    columns=COLUMNS,
    validate=validate,
    apply=apply,
    export=export,
    export_action="unit.view",
)
