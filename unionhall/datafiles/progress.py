"""How far a job's writing transaction has got, told outside the database.

Rows written inside the import's one transaction are invisible to other connections until it
commits, and SQLite lets no second connection write meanwhile. So the count goes to Django's cache
(a file cache under var/ by default, shared by the web process and the worker; a deployment with
several hosts configures a shared cache), and the job's page reads it from there.
"""

from collections.abc import Callable

from django.core.cache import cache

TIMEOUT = 24 * 3600

# What a caller of `datajob_run` may watch: (phase, rows done, rows in all), the phase being
# "checking" (rows read and validated; rows exported, for an export) or "writing" (rows written).
type JobProgress = Callable[[str, int, int], None]


def _key(job_id: int) -> str:
    return f"datafiles:written:{job_id}"


def written_set(job_id: int, rows: int) -> None:
    cache.set(_key(job_id), rows, TIMEOUT)


def written_get(job_id: int) -> int | None:
    value = cache.get(_key(job_id))
    return value if isinstance(value, int) else None


def written_clear(job_id: int) -> None:
    cache.delete(_key(job_id))
