"""`unionhall audit verify`: an intact chain, and each kind of tampering an attacker with database access could do.

The append-only triggers refuse UPDATE and DELETE; to play the attacker, a test drops them inside
its own transaction (DDL is transactional on SQLite and PostgreSQL), which the test then rolls back.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from unionhall.audit.models import AuditEntry
from unionhall.audit.recorder import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids() -> list[int]:
    for n in range(5):
        record(actor=None, action="test.write", after={"n": n}, reason=f"entry {n}")
    return list(AuditEntry.objects.order_by("id").values_list("id", flat=True))


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def broken() -> CommandError:
    with pytest.raises(CommandError) as raised:
        verify()
    assert raised.value.returncode == 1
    return raised.value


def drop_append_only_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_no_change ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_is_ok(ids):
    assert verify().strip() == "OK: 5 audit entries, the chain is intact."


def test_an_empty_log_is_ok():
    assert verify().strip() == "OK: 0 audit entries, the chain is intact."


def test_an_edited_entry_is_reported(ids):
    drop_append_only_triggers()
    sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["nothing happened", ids[2]])

    error = broken()

    assert str(error) == (
        f"BROKEN at audit entry {ids[2]} (2 entries before it verified): "
        "its content was edited after it was written (the hash no longer matches)."
    )


def test_an_edited_json_value_is_reported(ids):
    drop_append_only_triggers()
    AuditEntry.objects.filter(pk=ids[4]).update(after={"n": 40})

    assert f"BROKEN at audit entry {ids[4]} " in str(broken())


def test_a_deleted_entry_is_reported(ids):
    drop_append_only_triggers()
    sql("DELETE FROM audit_auditentry WHERE id = %s", [ids[1]])

    error = broken()

    assert str(error).startswith(f"BROKEN at audit entry {ids[2]} (1 entry before it verified): ")
    assert "an entry was deleted" in str(error)


def test_swapped_entries_are_reported(ids):
    drop_append_only_triggers()
    for old, new in ((ids[1], -1), (ids[3], ids[1]), (-1, ids[3])):
        sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [new, old])

    error = broken()

    assert str(error).startswith(f"BROKEN at audit entry {ids[1]} ")
    assert "reordered" in str(error)


def test_the_database_refuses_updates_and_deletes(ids):
    for statement in (
        "UPDATE audit_auditentry SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement, [ids[0]])
    assert AuditEntry.objects.get(pk=ids[0]).reason == "entry 0"
    assert AuditEntry.objects.count() == 5
    assert verify().startswith("OK: 5 audit entries")


def test_verify_needs_a_subcommand():
    with pytest.raises(CommandError):
        call_command("audit")
