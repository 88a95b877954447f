"""Set-wise writes for imports and generators: COPY on PostgreSQL, batched `executemany` on SQLite.

These bypass the ORM for speed; callers are services that validate first and audit what they write.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

SQLITE_BATCH = 10_000


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert many rows set-wise; returns how many were written.

    `rows` may be a generator, but it must not touch the database: on PostgreSQL it is read while a
    COPY holds the connection.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def bulk_insert_values(model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, with_pk: bool = False) -> int:
    """Insert rows given as values by field attname; a field left out gets its default (auto_now: now)."""
    now: Any = timezone.now()
    if connection.vendor == "sqlite":
        # Converted once here rather than by the driver for every row.
        now = connection.ops.adapt_datetimefield_value(now)
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    fillers: list[Callable[[], Any]] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fillers.append(lambda: now)
        else:
            fillers.append(f.get_default)
    names = [str(f.attname) for f in fields]
    plan = list(zip(names, fillers, strict=True))
    tuples = (tuple(row[name] if name in row else fill() for name, fill in plan) for row in rows)
    return bulk_insert(model, [str(f.column) for f in fields], tuples)


def with_defaults(model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], tuple]:
    """`columns` followed by the model's other columns (not the primary key), and those columns' defaults.

    For generators that build rows as tuples: `row + defaults` fills the fields they do not set.
    """
    given = set(columns)
    others = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in given]
    return [*columns, *(str(f.column) for f in others)], tuple(f.get_default() for f in others)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for rows inserted with explicit ids, taken so no other writer gets them.

    PostgreSQL draws them from the table's sequence. SQLite has one writer at a time (IMMEDIATE
    transactions), so ids after the highest one are free until the transaction ends.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def vacuum(models_: Sequence[type[models.Model]]) -> bool:
    """On PostgreSQL, outside a transaction: mark the tables' pages all-visible (and refresh their statistics),
    so index-only scans of freshly written tables skip the heap. Returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    return True


def analyze(models_: Sequence[type[models.Model]]) -> None:
    """Refresh the planner's statistics, so it sees new row counts at once."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
