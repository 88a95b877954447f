"""Background runs of report exports (Django tasks, database backend; `make run` starts the worker)."""

from typing import Any

from django.tasks import task

from .exporting import document_from_json, report_export_run


@task()
def report_export_task(export_id: int, document: dict[str, Any] | None = None) -> dict[str, Any]:
    export = report_export_run(export_id=export_id, document=document_from_json(document))
    return {"status": export.status, "sha256": export.sha256}
