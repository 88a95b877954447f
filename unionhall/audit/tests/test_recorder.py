"""`record()`: who, what, when, from where, masked before/after, hash-chained, append-only (P25, P27)."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_user
from unionhall.access import services as access_services
from unionhall.access.models import Role, RoleGrant
from unionhall.accounts import services as account_services
from unionhall.audit import context, recorder
from unionhall.audit.chain import (
    GENESIS,
    HASHED_FIELDS,
    canonical,
    canonical_text,
    entry_hash,
    find_break,
    iterate_rows,
)
from unionhall.audit.models import AuditEntry
from unionhall.audit.recorder import MASK, STREAM_COLUMNS, AuditStream, Change, mask, record, record_many
from unionhall.core.bulk import bulk_insert
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import UnitType
from unionhall.orgunits.services import Decision, SplitPart

DAY = dt.date(2024, 6, 1)
TODAY = dt.date(2025, 1, 15)
IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def _vietnamese():
    """Audit labels are names in the writer's language; these tests write as a Vietnamese reader."""
    with translation.override("vi"):
        yield


@csrf_exempt
def write_view(request):
    record(actor=request.user if request.user.is_authenticated else None, action="test.request")
    return HttpResponse("ok")


urlpatterns = [path("write/", write_view)]


@pytest.fixture
def ip():
    context.set_ip(IP)
    try:
        yield IP
    finally:
        context.set_ip(None)


def entries_since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=mark).order_by("id"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def assert_chain_intact() -> None:
    rows = list(AuditEntry.objects.order_by("id").values("id", "prev_hash", "entry_hash", *HASHED_FIELDS))
    assert rows, "no entries"
    assert rows[0]["prev_hash"] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["entry_hash"]
    for row in rows:
        assert entry_hash(row["prev_hash"], row) == row["entry_hash"]
    assert find_break(iterate_rows(AuditEntry.objects.all(), chunk=3)) is None


# ---------------------------------------------------------------- what one entry holds


def test_an_entry_records_actor_time_ip_object_unit_and_masked_values(cast, ip):
    mark = last_id()
    before_call = timezone.now()
    entry = record(
        actor=cast.officer,
        action="unit.test",
        obj=cast.section,
        before={"address": "", "password": "old-secret", "national_id": "079123456789"},
        after={
            "address": "Số 1",
            "password": "new-secret",
            "national_id": "079123456789",
            "token": "abc",
            "day": DAY,
            "amount": Decimal("185000000000.50"),
            "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        },
        reason="Vì lý do",
    )
    [stored] = entries_since(mark)
    assert stored.pk == entry.pk
    assert (stored.actor_id, stored.actor_label, stored.ip) == (cast.officer.pk, "officer", IP)
    assert (stored.action, stored.object_type, stored.object_id, stored.object_label) == (
        "unit.test",
        "orgunits.unit",
        str(cast.section.pk),
        "Công đoàn bộ phận Sản xuất",
    )
    assert (stored.unit_id, stored.unit_path, stored.reason) == (cast.section.pk, cast.section.path, "Vì lý do")
    assert stored.before == {"address": "", "password": MASK, "national_id": MASK}
    assert stored.after == {
        "address": "Số 1",
        "password": "***",
        "national_id": "***",
        "token": "***",
        "day": "2024-06-01",
        "amount": "185000000000.50",
        "ref": "12345678-1234-5678-1234-567812345678",
    }
    assert before_call <= stored.occurred_at <= timezone.now()
    assert stored.occurred_at.utcoffset() == dt.timedelta(0)
    assert "079123456789" not in str(AuditEntry.objects.filter(pk=stored.pk).values().get())


def test_masking():
    assert mask(None) is None
    assert mask({}) == {}
    assert mask({"password": "", "national_id": None, "name": "An"}) == {
        "password": "",
        "national_id": None,
        "name": "An",
    }
    sensitive = ("password", "national_id", "token", "key", "secret", "passport_number")
    assert mask(dict.fromkeys(sensitive, "x")) == dict.fromkeys(sensitive, "***")
    # Sensitive keys are masked wherever they sit, not only at the top.
    assert mask({"member": {"full_name": "Lê Văn A", "national_id": "079123456789"}}) == {
        "member": {"full_name": "Lê Văn A", "national_id": "***"}
    }
    assert mask({"rows": [{"national_id": "079123456789", "line": 2}, "plain"]}) == {
        "rows": [{"national_id": "***", "line": 2}, "plain"]
    }


def test_a_system_write_has_no_actor_and_no_ip(db):
    context.set_ip(None)
    entry = record(actor=None, action="system.tick")
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_label, entry.ip) == (None, "system", None)
    assert (entry.object_type, entry.object_id, entry.object_label, entry.unit_id, entry.unit_path) == (
        "",
        "",
        "",
        None,
        "",
    )
    assert (entry.before, entry.after, entry.reason) == (None, None, "")


def test_record_many_with_explicit_objects(cast):
    mark = last_id()
    record_many(
        actor=cast.admin,
        action="unit.batch",
        changes=[
            Change(
                obj=None,
                object_type="orgunits.unit",
                object_id="42",
                object_label="X-42",
                unit_id=42,
                unit_path="00000b",
            ),
            Change(obj=cast.unit, after={"n": 1}),
        ],
    )
    first, second = entries_since(mark)
    assert (first.object_type, first.object_id, first.object_label, first.unit_id, first.unit_path) == (
        "orgunits.unit",
        "42",
        "X-42",
        42,
        "00000b",
    )
    assert (second.unit_id, second.unit_path, second.after) == (cast.unit.pk, cast.unit.path, {"n": 1})
    assert second.prev_hash == first.entry_hash
    assert first.occurred_at == second.occurred_at
    assert record_many(actor=cast.admin, action="nothing", changes=[]) == []


def test_long_labels_are_cut(db):
    long_user = make_user("u" * 150)
    long_user.username = "u" * 250  # as a label source only
    entry = record(actor=long_user, action="x", obj=None)
    entry.refresh_from_db()
    assert len(entry.actor_label) == 200


# ---------------------------------------------------------------- the chain


def test_entries_chain_and_a_rolled_back_write_leaves_no_gap(cast):
    record(actor=cast.admin, action="a")
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=cast.admin, action="rolled.back")
        raise RuntimeError
    record(actor=cast.admin, action="b")
    assert not AuditEntry.objects.filter(action="rolled.back").exists()
    assert_chain_intact()


def test_every_service_writes_its_entries_in_one_chain(cast, ip):
    mark = last_id()
    types = {t.code: t for t in UnitType.objects.all()}
    new = unit_services.unit_establish(
        actor=cast.parent,
        parent=cast.commune,
        unit_type=types["grassroots_union"],
        code="DN-TB-003",
        names={"vi": "Công đoàn cơ sở Công ty Tân Mai"},
        decision=Decision(DAY, "Thành lập"),
        today=TODAY,
    )
    unit_services.unit_rename(
        actor=cast.parent, unit=new, names={"vi": "Công đoàn Tân Mai"}, decision=Decision(DAY, "Đổi tên"), today=TODAY
    )
    unit_services.unit_update_details(
        actor=cast.parent, unit=new, version=2, details=unit_services.UnitDetails(address="KCN Biên Hòa")
    )
    unit_services.unit_transfer(
        actor=cast.parent, units=[cast.section], new_parent=new, decision=Decision(DAY, "Điều chuyển"), today=TODAY
    )
    unit_services.unit_merge(
        actor=cast.parent, sources=[new], target=cast.unit, decision=Decision(DAY, "Hợp nhất"), today=TODAY
    )
    a, b = unit_services.unit_split(
        actor=cast.parent,
        unit=cast.sibling_unit,
        parts=[
            SplitPart("DN-TB-002A", {"vi": "Hòa Phát A"}, types["grassroots_union"]),
            SplitPart("DN-TB-002B", {"vi": "Hòa Phát B"}, types["grassroots_union"]),
        ],
        decision=Decision(DAY, "Chia tách"),
        today=TODAY,
    )
    unit_services.unit_dissolve(actor=cast.parent, units=[b], decision=Decision(DAY, "Giải thể"), today=TODAY)
    member = make_user("member1")
    granted = access_services.role_grant(
        actor=cast.parent, user=member, role=Role.objects.get(code="viewer"), unit=a, scope="subtree"
    )
    access_services.role_revoke(actor=cast.parent, grant=granted)
    account_services.user_preferences_update(actor=member, language="fa", latin_digits=True, calendar="jalali")
    account_services.user_token_renew(actor=member, user=member)

    got = [(e.action, e.object_type, e.object_label, e.actor_label, e.ip) for e in entries_since(mark)]
    assert got == [
        ("unit.establish", "orgunits.unit", "Công đoàn cơ sở Công ty Tân Mai", "parent", IP),
        ("unit.rename", "orgunits.unit", "Công đoàn Tân Mai", "parent", IP),
        ("unit.update", "orgunits.unit", "Công đoàn Tân Mai", "parent", IP),
        ("unit.transfer", "orgunits.unit", "Công đoàn bộ phận Sản xuất", "parent", IP),
        ("unit.transfer", "orgunits.unit", "Công đoàn bộ phận Sản xuất", "parent", IP),
        ("unit.merge", "orgunits.unit", "Công đoàn Tân Mai", "parent", IP),
        ("unit.establish", "orgunits.unit", "Hòa Phát A", "parent", IP),
        ("unit.establish", "orgunits.unit", "Hòa Phát B", "parent", IP),
        ("unit.split", "orgunits.unit", "Công đoàn cơ sở Công ty Hòa Phát", "parent", IP),
        ("unit.dissolve", "orgunits.unit", "DN-TB-002B", "parent", IP),
        ("role.grant", "access.rolegrant", "Member1 · Người xem · DN-TB-002A", "parent", IP),
        ("role.revoke", "access.rolegrant", "Member1 · Người xem · DN-TB-002A", "parent", IP),
        ("user.preferences", "accounts.user", "Member1", "member1", IP),
        ("user.token_renew", "accounts.user", "Member1", "member1", IP),
    ]
    assert_chain_intact()
    # Every change about a unit is filed under that unit, so its officers can read it.
    for entry in entries_since(mark):
        if entry.object_type == "orgunits.unit":
            assert entry.unit_id == int(entry.object_id)
    assert RoleGrant.objects.filter(pk=granted.pk, revoked_at__isnull=False).exists()


@pytest.mark.urls(__name__)
def test_the_request_address_is_recorded_and_forgotten_after_the_request(cast, client):
    client.force_login(cast.officer)
    mark = last_id()
    assert client.post("/write/", REMOTE_ADDR="198.51.100.4").status_code == 200
    [entry] = entries_since(mark)
    assert (entry.ip, entry.actor_label) == ("198.51.100.4", "officer")
    assert context.current_ip() is None


# ---------------------------------------------------------------- append-only in the database


@pytest.fixture
def some_entries(cast):
    record(actor=cast.admin, action="x", after={"n": 1})
    return list(AuditEntry.objects.order_by("id").values_list("id", "action", "entry_hash"))


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
        "UPDATE audit_auditentry SET reason = reason WHERE id >= %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id >= %s",
    ],
)
def test_raw_update_and_delete_are_refused_by_the_database(some_entries, sql):
    target = some_entries[-1][0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [target])
    assert list(AuditEntry.objects.order_by("id").values_list("id", "action", "entry_hash")) == some_entries


def test_orm_update_and_delete_are_refused_too(some_entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=some_entries[0][0]).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    entry = AuditEntry.objects.get(pk=some_entries[-1][0])
    entry.reason = "edited"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    assert list(AuditEntry.objects.order_by("id").values_list("id", "action", "entry_hash")) == some_entries


def test_emptying_the_table_is_refused(some_entries):
    # PostgreSQL empties a table with TRUNCATE (a statement trigger refuses it); SQLite has only DELETE.
    statement = "TRUNCATE audit_auditentry" if connection.vendor == "postgresql" else "DELETE FROM audit_auditentry"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.count() == len(some_entries)


def test_an_audit_stream_chains_its_batches_into_the_one_chain(db):
    actor = make_user("importer")
    record(actor=actor, action="first", obj=None, after={"n": 0})
    changes = (
        Change(
            obj=None,
            object_type="members.person",
            object_id=str(i),
            object_label=f"person {i}",
            unit_id=7,
            unit_path="0000007",
            before=None if i % 2 else {"phone": "1", "national_id": "075090123457"},
            after={"n": i, "day": dt.date(2024, 1, i % 28 + 1), "national_id": "075090123457"},
        )
        for i in range(1, 2501)
    )
    with transaction.atomic():
        stream = AuditStream(actor=actor, action="member.import", reason="roster")
        # Two batches, as an import writes them: the second chains after the first without reading it back.
        first = stream.rows(itertools.islice(changes, 1000))
        second = stream.rows(changes)
        assert (len(first), len(second)) == (1000, 1500)
        assert second[0][STREAM_COLUMNS.index("prev_hash")] == first[-1][STREAM_COLUMNS.index("entry_hash")]
        assert bulk_insert(AuditEntry, STREAM_COLUMNS, first + second) == 2500
    entries = list(AuditEntry.objects.filter(action="member.import").order_by("id"))
    assert [e.object_id for e in entries] == [str(i) for i in range(1, 2501)]
    assert entries[0].after == {"n": 1, "day": "2024-01-02", "national_id": MASK}
    assert entries[1].before == {"phone": "1", "national_id": MASK} and entries[0].before is None
    assert {(e.actor_id, e.unit_id, e.unit_path, e.reason) for e in entries} == {(actor.pk, 7, "0000007", "roster")}
    assert "075090123457" not in str([(e.before, e.after) for e in entries])
    assert find_break(iterate_rows(AuditEntry.objects.all())) is None


def test_an_audit_stream_is_opened_inside_the_transaction_that_writes_it(db, monkeypatch):
    # The test itself runs in a transaction; outside one the stream refuses before taking the chain's lock.
    monkeypatch.setattr(recorder, "connection", SimpleNamespace(in_atomic_block=False, vendor=connection.vendor))
    with pytest.raises(RuntimeError, match="inside the transaction"):
        AuditStream(actor=None, action="member.import")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@given(values=st.dictionaries(st.text(max_size=8), _json, min_size=1, max_size=8), data=st.data())
def test_canonical_json_with_values_encoded_beforehand_is_the_same_bytes(values, data):
    spliced = data.draw(st.sets(st.sampled_from(sorted(values))))
    encoded = {key: canonical_text(values[key]) for key in spliced}
    assert canonical(values, encoded) == canonical(values)
