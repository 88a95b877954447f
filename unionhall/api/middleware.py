"""The error shape also for errors made before DRF runs (request guards) or outside it (a crash)."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import error_body

API_PREFIX = "/api/"
# The codes DRF gives the same statuses, so a client sees one vocabulary.
ERRORS = {
    400: ("bad_request", _("The request could not be understood.")),
    401: ("not_authenticated", _("Authentication credentials were not provided.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    500: ("server_error", _("Something went wrong on the server; the error was recorded.")),
}
FAILED = _("The request could not be completed.")


class ApiErrorShapeMiddleware:
    """Under /api/, any error answer that is not JSON yet becomes {"error": {...}} with the same status.

    A plain-text answer (the guard that refuses NUL bytes) keeps its message; an HTML page (Django's
    404 or 500 page) gets a short one of ours.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path_info.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
            or response.streaming
        ):
            return response
        status = response.status_code
        message: str | Promise
        code, message = ERRORS.get(status, ("server_error" if status >= 500 else "error", FAILED))
        if response.get("Content-Type", "").startswith("text/plain") and response.content:
            message = response.content.decode(response.charset or "utf-8", "replace").strip()
        # Reshape in place, keeping the headers the inner layers set (Content-Language, Vary, ...).
        response.content = json.dumps(error_body(code, message), ensure_ascii=False).encode()
        response["Content-Type"] = "application/json; charset=utf-8"
        if "Content-Length" in response:
            response["Content-Length"] = str(len(response.content))
        return response
