"""`unionhall generate --members N`, `unionhall bench import` and `unionhall bench search` at a tiny scale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from unionhall.audit.chain import find_break, iterate_rows
from unionhall.audit.models import AuditEntry
from unionhall.core import fieldcrypto
from unionhall.members import identity, synthetic
from unionhall.members.codes import member_code_is_valid
from unionhall.members.models import Membership, Person
from unionhall.members.services import ID_CONTEXT

from .snapshots import members_state

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_generate_members_places_valid_people_in_grassroots_unions():
    run("generate", "--units", "300")
    out = run("generate", "--members", "400", "--seed", "2")
    assert "Generated 400 members" in out
    people = list(Person.objects.order_by("id"))
    assert len(people) == 400 and len({p.member_code for p in people}) == 400
    assert all(member_code_is_valid(p.member_code) for p in people)
    for person in people[:50]:
        number = fieldcrypto.decrypt(person.national_id_encrypted, context=ID_CONTEXT)
        assert identity.id_problems("cccd", number, gender=person.gender, date_of_birth=person.date_of_birth) == []
        assert person.national_id_index == fieldcrypto.blind_index(f"cccd:{number}", context=ID_CONTEXT)
    memberships = Membership.objects.select_related("unit__type")
    assert memberships.count() == 400
    assert {m.unit.type.code for m in memberships} == {"grassroots_union"}
    assert memberships.filter(status="ended").exclude(end_reason="left_job").count() == 0
    assert AuditEntry.objects.filter(action="member.generate").count() == 1
    assert find_break(iterate_rows(AuditEntry.objects.all())) is None


def test_a_large_load_builds_the_secondary_indexes_again(monkeypatch):
    """On PostgreSQL a large load drops the search indexes and builds them again at the end."""
    monkeypatch.setattr(synthetic, "REBUILD_FROM", 100)
    run("generate", "--units", "300")
    before = indexes()
    run("generate", "--members", "150")
    assert indexes() == before
    assert Person.objects.count() == 150


def indexes() -> set[str]:
    return {
        name
        for table in ("members_person", "members_membership")
        for name in connection.introspection.get_constraints(connection.cursor(), table)
    }


def test_generate_members_needs_a_tree():
    with pytest.raises(CommandError, match="no active grassroots union"):
        run("generate", "--members", "10")
    with pytest.raises(CommandError, match="Say what to generate"):
        run("generate")


def test_bench_import_and_search_leave_the_database_as_they_found_it():
    run("generate", "--units", "300")
    run("generate", "--members", "300")
    before = members_state()
    out = run("bench", "import", "--rows", "120", "--xlsx-rows", "40")
    assert "| CSV import, 120 rows" in out and "| XLSX parsing, 40 rows" in out
    assert "'new': 120, 'updated': 0, 'unchanged': 0, 'rejected': 0" in out
    out = run("bench", "search", "--repeat", "1")
    assert "search a name, whole country" in out and "member list" in out
    assert members_state() == before
