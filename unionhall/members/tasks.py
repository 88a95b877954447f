"""Background work of the members app (Django tasks, database backend)."""

from typing import Any

from django.tasks import task

from .services import national_ids_rekey


@task()
def national_ids_rekey_task(batch_size: int = 500, after_pk: int = 0) -> dict[str, Any]:
    """`unionhall members rekey` as a task: the system re-encrypts every stored national ID, batch by batch."""
    total = national_ids_rekey(actor=None, batch_size=batch_size, after_pk=after_pk)
    return {"examined": total.examined, "re_encrypted": total.re_encrypted, "reindexed": total.reindexed}
