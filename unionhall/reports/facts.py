"""How each indicator is counted from the records: one SQL event list per indicator, written once.

An event is a dated contribution to one indicator and breakdown key. Flows count the events dated
in a period; stocks add up every event up to the period's last day (+1 when a membership begins,
−1 when it ends). Single-unit events belong to one unit; shared events belong to an item (an
activity, a model) that counts once for every unit of its set: its organisers and the parties of
its joint programme. The roll-ups (`rollup.py`) and the counts from the records (`figures.py`)
read the same event lists, so both count the same things.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from unionhall.activities.choices import ActivityStatus, AttendanceMode
from unionhall.democracy.choices import DialogueTrigger
from unionhall.democracy.rules import dialogue_spans
from unionhall.initiatives.choices import Status as InitiativeStatus
from unionhall.members.choices import Gender
from unionhall.orgunits.choices import UnitStatus

from . import catalogue
from .choices import Flow


@dataclass(frozen=True)
class Events:
    """The events of one indicator: `SELECT unit_id, day, key, value` (single) or `item, owner_id, day, key, value`."""

    indicator: str
    sql: str
    shared: bool = False

    @property
    def stock(self) -> bool:
        return catalogue.indicator(self.indicator).flow == Flow.STOCK


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def local_day(column: str) -> str:
    """The installation's calendar day of a UTC timestamp column."""
    if _postgres():
        return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    offset = dt.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).utcoffset() or dt.timedelta()
    return f"date({column}, '{int(offset.total_seconds()) // 60:+d} minutes')"


def month_of(expr: str) -> str:
    return f"date_trunc('month', {expr})::date" if _postgres() else f"date({expr}, 'start of month')"


def year_of(expr: str) -> str:
    return f"extract(year from {expr})::int" if _postgres() else f"CAST(strftime('%%Y', {expr}) AS INTEGER)"


def _year_end(column: str) -> str:
    return f"make_date({column}, 12, 31)" if _postgres() else f"printf('%%04d-12-31', {column})"


# The shared item of an employer overdue for a dialogue: "e:" and the employer's id.
EMPLOYER = "e"
EMPLOYER_ITEM = f"{EMPLOYER}:"


def _item(prefix: str, column: str) -> str:
    return f"'{prefix}:' || {column}"


def single_events() -> list[Events]:
    women = f"JOIN members_person p ON p.id = m.person_id AND p.gender = '{Gender.FEMALE}'"
    grassroots = "JOIN orgunits_unittype t ON t.id = u.type_id AND t.is_grassroots"
    award = (
        "FROM awards_award a JOIN awards_decision d ON d.id = a.decision_id "
        "JOIN awards_awardtype t ON t.id = a.award_type_id "
        "JOIN orgunits_unit g ON g.id = d.granting_unit_id JOIN orgunits_unittype gt ON gt.id = g.type_id "
        "WHERE a.revoked_on IS NULL"
    )
    return [
        Events(
            "members.active",
            "SELECT m.unit_id, m.join_date AS day, '' AS key, 1 AS value FROM members_membership m "
            "UNION ALL SELECT m.unit_id, m.end_date, '', -1 FROM members_membership m WHERE m.end_date IS NOT NULL",
        ),
        Events(
            "members.women",
            f"SELECT m.unit_id, m.join_date AS day, '' AS key, 1 AS value FROM members_membership m {women} "
            f"UNION ALL SELECT m.unit_id, m.end_date, '', -1 FROM members_membership m {women} "
            "WHERE m.end_date IS NOT NULL",
        ),
        Events(
            "members.joined",
            "SELECT m.unit_id, m.join_date AS day, '' AS key, 1 AS value FROM members_membership m",
        ),
        Events(
            "members.ended",
            "SELECT m.unit_id, m.end_date AS day, '' AS key, 1 AS value FROM members_membership m "
            "WHERE m.end_date IS NOT NULL "
            "UNION ALL SELECT m.unit_id, m.end_date, 'reason=' || m.end_reason, 1 FROM members_membership m "
            "WHERE m.end_date IS NOT NULL",
        ),
        Events(
            "units.grassroots.active",
            f"SELECT u.id AS unit_id, u.established_date AS day, '' AS key, 1 AS value FROM orgunits_unit u {grassroots} "
            f"UNION ALL SELECT u.id, u.ended_date, '', -1 FROM orgunits_unit u {grassroots} "
            "WHERE u.ended_date IS NOT NULL",
        ),
        Events(
            "units.grassroots.established",
            f"SELECT u.id AS unit_id, u.established_date AS day, '' AS key, 1 AS value FROM orgunits_unit u {grassroots}",
        ),
        Events(
            "units.grassroots.dissolved",
            f"SELECT u.id AS unit_id, u.ended_date AS day, '' AS key, 1 AS value FROM orgunits_unit u {grassroots} "
            f"WHERE u.status = '{UnitStatus.DISSOLVED}'",
        ),
        Events(
            "movements.registrations",
            "SELECT r.unit_id, r.registered_on AS day, '' AS key, 1 AS value FROM movements_registration r",
        ),
        Events(
            "initiatives.submitted",
            "SELECT i.unit_id, i.requested_on AS day, '' AS key, 1 AS value FROM initiatives_initiative i "
            f"WHERE i.requested_on IS NOT NULL AND i.status <> '{InitiativeStatus.DRAFT}'",
        ),
        Events(
            "initiatives.recognized",
            "SELECT i.unit_id, i.recognised_on AS day, '' AS key, 1 AS value FROM initiatives_initiative i "
            f"WHERE i.status = '{InitiativeStatus.RECOGNISED}'",
        ),
        Events(
            "initiatives.benefit_vnd",
            f"SELECT i.unit_id, {_year_end('b.year')} AS day, '' AS key, b.amount_vnd AS value "
            "FROM initiatives_initiativebenefit b JOIN initiatives_initiative i ON i.id = b.initiative_id",
        ),
        Events(
            "awards.count",
            f"SELECT a.awardee_unit_id AS unit_id, d.signed_on AS day, '' AS key, 1 AS value {award} "
            f"UNION ALL SELECT a.awardee_unit_id, d.signed_on, 'form=' || t.code, 1 {award} "
            f"UNION ALL SELECT a.awardee_unit_id, d.signed_on, 'level=' || gt.code, 1 {award} "
            "UNION ALL SELECT a.awardee_unit_id, d.signed_on, "
            f"CASE WHEN a.person_id IS NULL THEN 'recipient=collective' ELSE 'recipient=individual' END, 1 {award}",
        ),
        Events(
            "awards.bonus_vnd",
            f"SELECT a.awardee_unit_id AS unit_id, d.signed_on AS day, '' AS key, a.bonus_vnd AS value {award}",
        ),
    ]


def shared_events() -> list[Events]:
    held = f"a.status = '{ActivityStatus.HELD}'"
    item = _item("a", "a.id")
    day = local_day("a.starts_at")
    kind = "JOIN activities_activitykind k ON k.id = a.kind_id"
    roster = (
        f"SELECT {item} AS item, a.unit_id AS owner_id, {day} AS day, 'category=' || t.category AS key, "
        "count(*) AS value FROM activities_activity a JOIN activities_attendee t ON t.activity_id = a.id "
        f"WHERE {held} AND a.attendance_mode = '{AttendanceMode.ROSTER}' GROUP BY a.id, a.unit_id, {day}, t.category"
    )
    counted = (
        f"SELECT {item}, a.unit_id, {day}, 'category=' || h.category, h.total FROM activities_activity a "
        f"JOIN activities_headcount h ON h.activity_id = a.id WHERE {held} "
        f"AND a.attendance_mode = '{AttendanceMode.COUNTED}' AND h.total > 0"
    )
    practice = _item("p", "p.id")
    return [
        Events(
            "activities.count",
            f"SELECT {item} AS item, a.unit_id AS owner_id, {day} AS day, '' AS key, 1 AS value "
            f"FROM activities_activity a WHERE {held} "
            f"UNION ALL SELECT {item}, a.unit_id, {day}, 'kind=' || k.code, 1 FROM activities_activity a {kind} "
            f"WHERE {held}",
            shared=True,
        ),
        Events(
            "activities.participants",
            f"SELECT {item} AS item, a.unit_id AS owner_id, {day} AS day, '' AS key, a.participants AS value "
            f"FROM activities_activity a WHERE {held} AND a.participants > 0 "
            f"UNION ALL SELECT {item}, a.unit_id, {day}, 'kind=' || k.code, a.participants "
            f"FROM activities_activity a {kind} WHERE {held} AND a.participants > 0 "
            f"UNION ALL {roster} UNION ALL {counted}",
            shared=True,
        ),
        Events(
            "programmes.activities",
            f"SELECT {item} AS item, a.unit_id AS owner_id, {day} AS day, '' AS key, 1 AS value "
            f"FROM activities_activity a WHERE {held} AND a.programme_id IS NOT NULL",
            shared=True,
        ),
        Events(
            "dialogues.held",
            f"SELECT {item} AS item, a.unit_id AS owner_id, x.held_on AS day, '' AS key, 1 AS value "
            f"FROM democracy_dialogue x JOIN activities_activity a ON a.id = x.activity_id WHERE {held}",
            shared=True,
        ),
        Events(
            "employee_conferences.held",
            f"SELECT {item} AS item, a.unit_id AS owner_id, x.held_on AS day, '' AS key, 1 AS value "
            f"FROM democracy_employeeconference x JOIN activities_activity a ON a.id = x.activity_id WHERE {held}",
            shared=True,
        ),
        Events(
            "models.registered",
            f"SELECT {practice} AS item, p.unit_id AS owner_id, p.registered_on AS day, '' AS key, 1 AS value "
            "FROM practices_practice p",
            shared=True,
        ),
        Events(
            "models.effective",
            f"SELECT {practice} AS item, p.unit_id AS owner_id, p.recognised_on AS day, '' AS key, 1 AS value "
            "FROM practices_practice p WHERE p.recognised_on IS NOT NULL",
            shared=True,
        ),
        Events("dialogues.overdue_employers", _overdue_employers(), shared=True),
    ]


def shared_units_sql() -> str:
    """`SELECT item, owner_id, unit_id`: the units each shared item counts for, with the item's owner."""
    activity = _item("a", "a.id")
    practice = _item("p", "p.id")
    return (
        f"SELECT {activity} AS item, a.unit_id AS owner_id, o.unit_id AS unit_id FROM activities_activity a "
        "JOIN activities_activityorganiser o ON o.activity_id = a.id "
        f"UNION SELECT {activity}, a.unit_id, a.unit_id FROM activities_activity a "
        f"UNION SELECT {activity}, a.unit_id, pp.unit_id FROM activities_activity a "
        "JOIN programmes_programmeparty pp ON pp.programme_id = a.programme_id "
        f"UNION SELECT {practice}, p.unit_id, p.unit_id FROM practices_practice p "
        f"UNION SELECT {practice}, p.unit_id, pp.unit_id FROM practices_practice p "
        "JOIN programmes_programmeparty pp ON pp.programme_id = p.programme_id "
        f"UNION SELECT {_item(EMPLOYER, 'u.employer_id')}, u.employer_id, u.id FROM orgunits_unit u "
        "WHERE u.employer_id IS NOT NULL"
    )


# ------------------------------------------------------------------ employers overdue for a dialogue


def _overdue_employers() -> str:
    """+1 on the first day an employer is overdue for a periodic dialogue, −1 on the day it no longer is.

    The item is the employer, counted for each of its unions. It is judged while it stands and has a union
    standing: from its first union's founding (and its own) until its last union or itself ends. On a day,
    its reference is its last periodic dialogue held by then or, before any, its first union's founding; it
    is overdue from the day after the reference's due date (`democracy.deadlines`: the same day
    `every_months` later, or that month's last day), by the interval of the rule in force that day.
    """
    spans = dialogue_spans()
    if not spans:
        return "SELECT NULL AS item, NULL AS owner_id, NULL AS day, '' AS key, 0 AS value WHERE 1 = 0"
    rules = " UNION ALL ".join(
        f"SELECT {_date(s.starts)} AS starts, {_date(s.ends)} AS ends, {int(s.every_months)} AS months" for s in spans
    )
    # One stream per employer: its unions (founded, ended) and its periodic dialogues held; every window is
    # over the employer alone, so a filter on the employer reaches the rows through them (a refresh's recount).
    stream = (
        "SELECT u.employer_id AS employer, u.established_date AS day, 0 AS held, u.established_date AS founded, "
        "u.ended_date AS ended FROM orgunits_unit u WHERE u.employer_id IS NOT NULL "
        "UNION ALL SELECT x.employer_id, x.held_on, 1, NULL, NULL FROM democracy_dialogue x "
        f"JOIN activities_activity a ON a.id = x.activity_id WHERE a.status = '{ActivityStatus.HELD}' "
        f"AND x.trigger = '{DialogueTrigger.PERIODIC}'"
    )
    dialogue = "CASE WHEN t.held = 1 THEN t.day END"
    windowed = (
        "SELECT t.employer, t.day, t.held, MIN(t.founded) OVER w AS since, "
        "CASE WHEN COUNT(t.ended) OVER w = COUNT(t.founded) OVER w THEN MAX(t.ended) OVER w END AS until, "
        f"MIN({dialogue}) OVER w AS first_held, MIN({dialogue}) OVER (PARTITION BY t.employer ORDER BY t.day, "
        "t.held ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_held, "
        f"ROW_NUMBER() OVER (PARTITION BY t.employer ORDER BY t.day, t.held) AS rank FROM ({stream}) t "
        "WINDOW w AS (PARTITION BY t.employer)"
    )
    # Each reference and the days it holds: a dialogue until the next; the founding until the first dialogue
    # (one row per employer). An employer without a union is not judged.
    references = (
        "SELECT s.employer, CASE WHEN f.first = 1 THEN s.since ELSE s.day END AS ref, "
        "CASE WHEN f.first = 1 THEN s.first_held ELSE s.next_held END AS ends, s.since, s.until "
        f"FROM ({windowed}) s JOIN (SELECT 1 AS first UNION ALL SELECT 0) f "
        "ON (f.first = 1 AND s.rank = 1) OR (f.first = 0 AND s.held = 1) WHERE s.since IS NOT NULL"
    )
    starts = _latest(
        "r.ref", _day_after(_plus_months("r.ref", "k.months")), "r.since", "e.established_date", "k.starts"
    )
    ends = _earliest("r.ends", "r.until", "e.ended_date", "k.ends")
    overdue = (
        f"SELECT r.employer, {starts} AS starts, {ends} AS ends FROM ({references}) r "
        f"JOIN orgunits_unit e ON e.id = r.employer CROSS JOIN ({rules}) k"
    )
    return (
        f"SELECT {_item(EMPLOYER, 'o.employer')} AS item, o.employer AS owner_id, "
        "CASE WHEN s.sign = 1 THEN o.starts ELSE o.ends END AS day, '' AS key, s.sign AS value "
        f"FROM ({overdue}) o JOIN (SELECT 1 AS sign UNION ALL SELECT -1) s ON s.sign = 1 OR o.ends IS NOT NULL "
        "WHERE o.ends IS NULL OR o.starts < o.ends"
    )


def _date(day: dt.date | None) -> str:
    if day is None:
        return "CAST(NULL AS date)" if _postgres() else "NULL"
    return f"DATE '{day.isoformat()}'" if _postgres() else f"'{day.isoformat()}'"


def _plus_months(day: str, months: str) -> str:
    """`day` + `months`, on the month's last day where it is shorter (as `democracy.deadlines.add_months`)."""
    if _postgres():
        return f"CAST({day} + make_interval(months => {months}) AS date)"
    later = f"date({day}, '+' || {months} || ' months')"
    # SQLite runs over into the next month (31 Jan + 1 month = 2 or 3 Mar): then the day before that month.
    return (
        f"CASE WHEN strftime('%%d', {later}) = strftime('%%d', {day}) THEN {later} "
        f"ELSE date({later}, 'start of month', '-1 day') END"
    )


def _day_after(day: str) -> str:
    return f"({day} + 1)" if _postgres() else f"date({day}, '+1 day')"


def _latest(*days: str) -> str:
    """The latest of dates, none of them NULL."""
    return f"GREATEST({', '.join(days)})" if _postgres() else f"max({', '.join(days)})"


def _earliest(*days: str) -> str:
    """The earliest of dates where NULL is no end; NULL when all are."""
    if _postgres():
        return f"LEAST({', '.join(days)})"
    never = "'9999-12-31'"
    return f"NULLIF(min({', '.join(f'COALESCE({d}, {never})' for d in days)}), {never})"
