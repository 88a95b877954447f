"""Shared pieces of the web UI: form pages that make one service call, domain errors onto forms, the as-of date."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .errors import DomainError, NotFound


def posted(request: HttpRequest) -> Any:
    """The form data of a POST, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    context: dict[str, Any],
    apply: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """GET shows the form; a valid POST makes one service call, then redirects to `done(result)`.

    A refusal is shown on the form (on the field the service named) and nothing was changed.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(done(result))
    return TemplateResponse(request, template, {**context, "form": form})


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
