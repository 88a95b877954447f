"""Set-wise writes for imports and generators: COPY on PostgreSQL, batched `executemany` on SQLite.

These bypass the ORM for speed; callers are services that validate first and audit what they write.
"""

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from psycopg.copy import Copy, FileWriter

SQLITE_BATCH = 10_000


def bulk_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], *, db: BaseDatabaseWrapper | None = None
) -> int:
    """Insert many rows set-wise; returns how many were written.

    `rows` may be a generator, but it must not touch the database: on PostgreSQL it is read while a
    COPY holds the connection. `db` is the connection to write on (this thread's by default).
    """
    db = db or connection
    table = db.ops.quote_name(model._meta.db_table)
    cols = ", ".join(db.ops.quote_name(c) for c in columns)
    written = 0
    # The COPY goes through psycopg's own cursor: its errors are wrapped as Django's (IntegrityError, ...).
    with db.wrap_database_errors, db.cursor() as cursor:
        if db.vendor == "postgresql":
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
    columns, tuples = values_as_rows(model, rows, with_pk=with_pk)
    return bulk_insert(model, columns, tuples)


def values_as_rows(
    model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, with_pk: bool = False
) -> tuple[list[str], Iterable[tuple]]:
    """The columns of `model` and rows given by field attname as tuples of them (lazily), defaults filled in."""
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
    return [str(f.column) for f in fields], tuples


class BackgroundWriter:
    """`bulk_insert` on PostgreSQL in a second thread: a large import makes its next batch while the server writes one.

    The rows are formatted for COPY here, in the caller's thread; the writer thread only sends them and
    waits for the server, without holding Python's interpreter lock. It writes on the caller's own
    connection, inside the caller's transaction, so its rows commit or roll back with the caller's.
    Between `insert` and `wait` the caller must leave the database alone (reads too); `wait` returns
    once every queued batch is written and raises the first error a write met. Leaving the block
    waits the same way, so nothing is still writing when the transaction ends. On SQLite, which
    writes inside this process and would only take turns with it, `insert` writes at once.
    """

    def __init__(self) -> None:
        self._db: BaseDatabaseWrapper = connections[DEFAULT_DB_ALIAS]
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[int]] = []
        self._format_cursor: Any = None

    def __enter__(self) -> "BackgroundWriter":
        # This thread's connection itself: `django.db.connection` would name the writer thread's own.
        self._db = connections[DEFAULT_DB_ALIAS]
        if self._db.vendor == "postgresql":
            self._db.ensure_connection()
            self._format_cursor = self._db.connection.cursor()
            self._db.inc_thread_sharing()
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-writer")
        return self

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
        """Queue the rows (made before: nothing may be read from the database until `wait`)."""
        if not rows:
            return
        if self._pool is None:
            bulk_insert(model, columns, rows, db=self._db)
            return
        buffer = io.BytesIO()
        # A Copy with a FileWriter only formats (psycopg's documented way to write COPY data elsewhere).
        with Copy(self._format_cursor, binary=False, writer=FileWriter(buffer)) as copy:
            for row in rows:
                copy.write_row(row)
        self._pending.append(self._pool.submit(self._send, model, columns, buffer.getvalue(), len(rows)))

    def _send(self, model: type[models.Model], columns: Sequence[str], data: bytes, count: int) -> int:
        table = self._db.ops.quote_name(model._meta.db_table)
        cols = ", ".join(self._db.ops.quote_name(c) for c in columns)
        with (
            self._db.wrap_database_errors,
            self._db.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
        ):
            copy.write(data)
        return count

    def wait(self) -> None:
        pending, self._pending = self._pending, []
        error: BaseException | None = None
        for future in pending:
            failure = future.exception()
            if failure is not None and error is None:
                error = failure
        if error is not None:
            raise error

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._pool is None:
            return
        try:
            if error is None:
                self.wait()
            else:
                # The caller's own error wins: what is queued is dropped, what is being sent finishes.
                for future in self._pending:
                    future.cancel()
                self._pending = []
        finally:
            self._pool.shutdown(wait=True)
            self._format_cursor.close()
            self._db.dec_thread_sharing()


def with_defaults(model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], tuple]:
    """`columns` followed by the model's other columns (not the primary key), and those columns' defaults.

    For generators that build rows as tuples: `row + defaults` fills the fields they do not set.
    """
    given = set(columns)
    others = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in given]
    return [*columns, *(str(f.column) for f in others)], tuple(f.get_default() for f in others)


def reserve_ids(model: type[models.Model], count: int, *, after: int = 0) -> list[int]:
    """`count` fresh primary keys for rows inserted with explicit ids, taken so no other writer gets them.

    PostgreSQL draws them from the table's sequence. SQLite has one writer at a time (IMMEDIATE
    transactions), so ids after the highest one are free until the transaction ends; `after` is the
    last id the caller reserved and has not written yet.
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
        first = max(cursor.fetchone()[0], after) + 1
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
