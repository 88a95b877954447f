"""One error shape for the whole API: {"error": {"code", "message", "fields"}}.

DRF's own exceptions, Django's 404/403/validation errors and the domain errors that services
raise all come out in this shape, with the HTTP status the error carries. Views only call
services; they never catch a DomainError themselves.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from unionhall.core.errors import DomainError, NotFound

INVALID_MESSAGE = _("Some of the data sent is not valid; see the fields.")
PARSE_MESSAGE = _("The request body could not be read; send well-formed JSON.")
NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documentation only)."""

    error = inline_serializer(
        name="ErrorBody",
        fields={
            "code": serializers.CharField(help_text=_("Stable and machine-readable: not_found, invalid, stale, ...")),
            "message": serializers.CharField(help_text=_("A sentence for people, in the request's language.")),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text=_("Messages per request field; nested fields are joined with dots, e.g. parts.0.code."),
            ),
        },
    )


def error_body(code: str, message: Any, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"a.0.b": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            # A nested object's own errors belong to the field that holds it.
            path = prefix if key == NON_FIELD and prefix else (f"{prefix}.{key}" if prefix else str(key))
            for name, messages in flatten(value, path).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        if detail:
            out[prefix or NON_FIELD] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            out.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or NON_FIELD] = [str(detail)]
    return out


def _domain_response(exc: DomainError, view: Any) -> Response:
    status = exc.status
    fields: dict[str, list[str]] = {}
    if exc.field:
        field_names = getattr(view, "domain_error_fields", {})
        fields[field_names.get(exc.field, exc.field)] = [str(exc.message)]
        if isinstance(exc, NotFound):
            # A unit named in the request body, not the resource of the URL: a field error, and the
            # same message whether the unit does not exist or is outside the actor's scope.
            status = 400
    set_rollback()
    return Response(error_body(exc.code, exc.message, fields), status=status)


def _validation_body(detail: Any) -> dict[str, Any]:
    fields = flatten(detail)
    general = fields.pop(NON_FIELD, [])
    return error_body("invalid", general[0] if general else INVALID_MESSAGE, fields)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return _domain_response(exc, context.get("view"))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = error_body("parse_error", PARSE_MESSAGE)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        detail = exc.detail
        message = detail if isinstance(detail, str) else _validation_body(detail)["error"]["message"]
        response.data = error_body(code, message)
    return response
