"""Record the client address of each request for the audit entries it writes."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import set_ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_ip(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            set_ip(None)
