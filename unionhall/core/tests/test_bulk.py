"""core.bulk: VACUUM is never sent inside a transaction (PostgreSQL would refuse it) nor to SQLite; the
background writer writes on the caller's connection, inside its transaction, and hands back its errors.

Outside a transaction on PostgreSQL VACUUM runs for real in `make bench-smoke` (`bench report` rebuilds the roll-ups).
"""

import pytest
from django.db import IntegrityError, connection, transaction

from unionhall.core.bulk import BackgroundWriter, vacuum
from unionhall.reports.models import RollupYear

COLUMNS = ("ancestor_id", "year", "indicator", "key", "value")


class Undone(Exception):
    pass


def stored() -> list[tuple]:
    return list(RollupYear.objects.order_by("year").values_list(*COLUMNS))


@pytest.mark.django_db
def test_vacuum_is_skipped_inside_a_transaction():
    with transaction.atomic():
        assert vacuum([RollupYear]) is False


@pytest.mark.django_db
def test_the_background_writer_writes_in_the_callers_transaction_and_rolls_back_with_it():
    rows = [(1, 2020 + i, "members.active", "", i) for i in range(3)]
    with pytest.raises(Undone), transaction.atomic():
        with BackgroundWriter() as writer:
            writer.insert(RollupYear, COLUMNS, rows[:2])
            writer.insert(RollupYear, COLUMNS, rows[2:])
            writer.wait()
            # Seen by the caller's own connection, before anything commits: the same transaction.
            assert stored() == rows
        raise Undone
    assert stored() == []
    # On PostgreSQL the rows went through the writer's thread; SQLite writes them at once in this one.
    assert connection.allow_thread_sharing is False


@pytest.mark.django_db
def test_a_failed_background_write_is_raised_to_the_caller_and_leaves_nothing():
    RollupYear.objects.create(ancestor_id=1, year=2020, indicator="members.active", key="", value=5)
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as writer:
        writer.insert(RollupYear, COLUMNS, [(1, 2021, "members.active", "", 1)])
        writer.insert(RollupYear, COLUMNS, [(1, 2020, "members.active", "", 9)])  # the same key again
        writer.wait()
    assert stored() == [(1, 2020, "members.active", "", 5)]


@pytest.mark.django_db
def test_leaving_the_writer_with_an_error_drops_what_is_queued_and_keeps_the_error():
    with pytest.raises(Undone), transaction.atomic(), BackgroundWriter() as writer:
        writer.insert(RollupYear, COLUMNS, [(1, 2021, "members.active", "", 1)])
        raise Undone
    assert stored() == []
    assert connection.allow_thread_sharing is False
