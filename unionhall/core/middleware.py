"""Request-level guards that apply to every path."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Refuse any request whose URL, query or form data carries a NUL byte (P12)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(raw_query):
            return self._refuse()
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in {"POST", "PUT", "PATCH"} and not content_type.startswith("multipart/"):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body or b"%00" in body:
                return self._refuse()
        elif request.method == "POST" and self._form_has_nul(request):
            return self._refuse()
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request: HttpRequest) -> bool:
        """Uploaded files may hold NUL bytes; the text fields of a multipart form may not."""
        fields = request.POST.lists()
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in fields)

    @staticmethod
    def _refuse() -> HttpResponse:
        return HttpResponseBadRequest(
            _("The request contains characters that are not allowed."), content_type="text/plain; charset=utf-8"
        )
