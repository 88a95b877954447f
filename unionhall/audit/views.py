"""The change history pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from . import selectors

PAGE = 50


def history_page(request: HttpRequest, entries, **context) -> HttpResponse:
    """One page of entries, newest first, with a link to the next older page (keyset)."""
    try:
        before = int(request.GET.get("before", "0")) or None
    except ValueError:
        before = None
    if before:
        entries = entries.filter(id__lt=before)
    rows = list(entries[: PAGE + 1])
    older = rows[PAGE - 1].id if len(rows) > PAGE else None
    return TemplateResponse(request, "audit/entries.html", {"entries": rows[:PAGE], "older": older, **context})


@login_required
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    return history_page(request, selectors.entry_list(actor=request.user))
