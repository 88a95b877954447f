"""The one error the data-file mechanism raises for a file it cannot accept."""

from unionhall.core.errors import DomainError


class FileRefused(DomainError):
    """The file as a whole cannot be read: wrong format, too big, damaged, or its header is wrong."""

    code = "file_refused"
