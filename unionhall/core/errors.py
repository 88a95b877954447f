"""Domain errors: raised by services and selectors, mapped to HTTP and messages in one place."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the operation; nothing was changed."""

    status = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The object does not exist or is outside the actor's scope (both look the same)."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The actor sees the object but may not perform this action on it."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The operation clashes with the current state (a duplicate code, a stale version)."""

    status = 409
    code = "conflict"
