"""Pausing Python's cyclic garbage collector during a burst of short-lived objects.

A report, or a document rendered from one, makes hundreds of thousands of objects that reference
counting frees as it goes. Every 700 new container objects, the cyclic collector walks the young ones,
and now and then all of them: among a province report's objects that cost one report in three a
50–90 ms stall, and a tenth of a PDF's or DOCX's render. Paused for the burst, the few cycles left are
collected by the next collection after it.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks leave it as they found it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
