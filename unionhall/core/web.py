"""Shared pieces of the web UI: domain errors onto forms, and the as-of date of a request."""

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest

from .errors import DomainError, NotFound


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused operation on the form; the field's own error where the service named one."""
    if isinstance(error, NotFound) and error.field is None:
        raise Http404(str(error))
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def as_of_date(request: HttpRequest) -> dt.date | None:
    value = request.GET.get("as_of") or ""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
