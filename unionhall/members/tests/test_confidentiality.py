"""P19: a canary national ID never appears in plain in the database, the audit log, logs or error reports."""

import json
import logging
import sqlite3
import sys

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter

from unionhall.audit.models import AuditEntry
from unionhall.core import fieldcrypto
from unionhall.members import services
from unionhall.members.models import Person

from .people import CANARY_ID, details, fresh, register

# The canary and its significant middle part (the hint, last three digits, may show).
NEEDLES = (CANARY_ID, CANARY_ID[:9], CANARY_ID[3:])


def assert_absent(text: str | bytes, where: str) -> None:
    for needle in NEEDLES:
        probe = needle.encode() if isinstance(text, bytes) else needle
        assert probe not in text, f"{needle} found in {where}"
        if isinstance(text, bytes):
            assert needle.encode("utf-16-le") not in text, f"{needle} (UTF-16) found in {where}"


def canary_life(cast) -> Person:
    """Everything a national ID goes through: create, a duplicate attempt, an update, a reveal."""
    person = register(fresh(cast.officer), cast.unit, id_kind="cccd", national_id=CANARY_ID)
    with pytest.raises(services.Conflict):
        register(fresh(cast.officer), cast.unit, "Kẻ trùng", id_kind="cccd", national_id=CANARY_ID)
    person = services.person_update(
        actor=fresh(cast.officer),
        person=person,
        version=1,
        details=details("Nguyễn Văn Đệ Mới", id_kind="cccd", national_id=CANARY_ID),
    )
    assert services.national_id_reveal(actor=fresh(cast.officer), person=person) == CANARY_ID
    return person


def every_row_as_text() -> str:
    """A dump of every table through SQL (what `pg_dump` or a stolen backup would hold)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_the_canary_is_not_in_the_database(cast):
    person = canary_life(cast)
    assert_absent(every_row_as_text(), "a table")
    assert (
        Person.objects.filter(
            national_id_index=fieldcrypto.blind_index(f"cccd:{CANARY_ID}", context=services.ID_CONTEXT)
        ).get()
        == person
    )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The database image as this connection sees it, page by page (the test's rows are uncommitted).
        image = connection.connection.serialize()
        copy = sqlite3.connect(":memory:")
        copy.deserialize(image)
        copied = copy.execute("SELECT member_code, national_id_hint FROM members_person").fetchall()
        copy.close()
        assert copied == [(person.member_code, "457")]  # the image holds the test's rows
        assert_absent(image, "the SQLite file")


def test_the_canary_is_not_in_the_audit_log(cast):
    canary_life(cast)
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.object_label, entry.before, entry.after, entry.reason], ensure_ascii=False)
        assert_absent(text, f"audit entry {entry.action}")
    assert AuditEntry.objects.filter(action="member.national_id_viewed").count() == 1


def test_the_canary_is_not_in_any_log_line_even_with_sql_logging(cast, caplog):
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    caplog.set_level(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        canary_life(cast)
    finally:
        connection.force_debug_cursor = False
    assert any("members_person" in r.getMessage() for r in caplog.records)  # SQL was logged with parameters
    for record in caplog.records:
        assert_absent(record.getMessage(), f"log record {record.name}")


def test_the_canary_is_not_in_str_or_repr(cast):
    person = canary_life(cast)
    for text in (str(person), repr(person), repr(details(id_kind="cccd", national_id=CANARY_ID))):
        assert_absent(text, "str/repr")


def test_error_reports_hide_the_canary(cast, monkeypatch, settings):
    """An unexpected failure deep in a write: the 500 report (page and email) shows no plain ID."""
    settings.DEBUG = False

    def broken(value, *, context):
        raise RuntimeError("index service down")

    monkeypatch.setattr(fieldcrypto, "blind_index", broken)
    request = RequestFactory().get("/members/")
    try:
        services.person_create(
            actor=fresh(cast.officer),
            unit=cast.unit,
            join_date=details().date_of_birth.replace(year=2020),
            details=details(id_kind="cccd", national_id=CANARY_ID),
        )
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info(), is_email=True)
        assert "_clean_identity" in reporter.get_traceback_text()
        assert_absent(reporter.get_traceback_text(), "the error email")
        assert_absent(reporter.get_traceback_html(), "the error page")
    else:
        pytest.fail("the write should have failed")


def test_domain_errors_never_echo_the_number(cast):
    register(cast.officer, cast.unit, id_kind="cccd", national_id=CANARY_ID)
    bad = "003" + CANARY_ID[3:]
    for number in (CANARY_ID, bad, CANARY_ID[:-1]):
        with pytest.raises(services.DomainError) as info:
            register(fresh(cast.sibling), cast.sibling_unit, "X", id_kind="cccd", national_id=number)
        assert number not in str(info.value)
        assert_absent(str(info.value), "a domain error")


def test_the_admin_shows_the_id_masked(cast):
    person = register(cast.officer, cast.unit, id_kind="cccd", national_id=CANARY_ID)
    client = Client()
    client.force_login(cast.admin)
    listing = client.get("/admin/members/person/")
    assert listing.status_code == 200
    assert "*********457" in listing.content.decode()
    page = client.get(f"/admin/members/person/{person.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "*********457" in body
    assert_absent(body, "the admin page")
    assert person.national_id_encrypted not in body and person.national_id_index not in body
    for path in ("membership", "officerterm", "unioncard"):
        assert client.get(f"/admin/members/{path}/").status_code == 200
