"""Background runs of report exports (Django tasks, database backend; `make run` starts the worker)."""

from typing import Any

from django.db import transaction
from django.tasks import task

from .exporting import document_from_json, report_export_run
from .rollup import rollup_refresh
from .summary import SummaryReport


@task()
def report_export_task(export_id: int, document: dict[str, Any] | None = None) -> dict[str, Any]:
    export = report_export_run(export_id=export_id, document=document_from_json(document))
    return {"status": export.status, "sha256": export.sha256}


@task()
def rollup_refresh_task() -> dict[str, Any]:
    freshness = rollup_refresh()
    return {"owners": freshness.owners, "rebuilt": freshness.rebuilt}


def refresh_if_behind(report: SummaryReport) -> None:
    """Queue a refresh of the roll-ups when the report was read from roll-ups that miss recent changes."""
    if report.pending:
        transaction.on_commit(lambda: rollup_refresh_task.enqueue())
