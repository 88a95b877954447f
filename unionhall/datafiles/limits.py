"""Limits on uploaded data files, each overridable in settings (`DATAFILES_<NAME>`)."""

from django.conf import settings

DEFAULTS = {
    "MAX_BYTES": 50 * 1024 * 1024,
    "MAX_ROWS": 1_000_000,
    "MAX_ZIP_ENTRIES": 1_000,
    "MAX_UNCOMPRESSED_BYTES": 1024 * 1024 * 1024,
    # XML compresses 5-20 times; a bomb does hundreds or thousands of times.
    "MAX_COMPRESSION_RATIO": 100,
    # The XLSX parser holds the whole grid a sheet spans (rows x columns) in memory.
    "MAX_COLUMNS": 256,
    "MAX_XLSX_CELLS": 5_000_000,
}


def limit(name: str) -> int:
    return int(getattr(settings, f"DATAFILES_{name}", DEFAULTS[name]))
