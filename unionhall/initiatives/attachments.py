"""The limits on an initiative's attached files; what a file is comes from `core.uploads.sniff`."""

from django.conf import settings

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PER_INITIATIVE = 20


def max_bytes() -> int:
    return int(getattr(settings, "INITIATIVES_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
