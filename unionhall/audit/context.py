"""Where the current write comes from (IP), set once per request or command."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("unionhall_audit_ip", default=None)


def set_ip(ip: str | None) -> None:
    _ip.set(ip)


def current_ip() -> str | None:
    return _ip.get()
