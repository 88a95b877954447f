"""Activity pages: the list, an activity's page, its forms, and the check-in page.

Every page starts from the activities the actor sees for `activity.view`. Forms that change an
activity need `activity.change` on the recording unit; the check-in pages need `activity.checkin`
on an organiser; otherwise the page is "not found", like an activity outside the actor's scope.
A check-in posted by htmx answers with a line of outcome (checked in, already, unknown), never an
error page.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for
from unionhall.core.uploads import EXTENSIONS
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.members.models import Person
from unionhall.movements import selectors as movement_selectors
from unionhall.orgunits import selectors as unit_selectors
from unionhall.programmes import selectors as programme_selectors

from . import selectors, services
from .choices import CheckInMethod, CheckInOutcome
from .forms import (
    ActivityCreateForm,
    ActivityEditForm,
    CheckInForm,
    DeleteForm,
    FileForm,
    GuestForm,
    HeadcountForm,
    ListForm,
    RosterForm,
    TickUnitForm,
    edit_initial,
)
from .models import Activity, ActivityFile, ActivityKind, ActivityOrganiser, Attendee, Headcount, Speaker

VIEW, CHANGE, CHECKIN, IMPORT = services.VIEW, services.CHANGE, services.CHECKIN, services.IMPORT
PAGE_SIZE = 50


# ---------------------------------------------------------------- lookups


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    try:
        return selectors.activity_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Activity not found.")) from None


def _changeable_or_404(request: HttpRequest, pk: int) -> Activity:
    activity = _activity_or_404(request, pk)
    if not services.may_change(request.user, activity):
        raise Http404(_("Activity not found."))
    return activity


def _checkin_or_404(request: HttpRequest, pk: int) -> Activity:
    activity = _activity_or_404(request, pk)
    if not services.may_check_in(request.user, activity):
        raise Http404(_("Activity not found."))
    return activity


def activity_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    activity: Activity | None = None,
    done: Callable[[Any], str] | None = None,
    danger: bool = False,
    template: str = "activities/form.html",
) -> HttpResponse:
    return form_page(
        request,
        form=form,
        template=template,
        context={"title": title, "activity": activity, "danger": danger},
        apply=apply,
        done=done or (lambda _result: activity_url(activity)),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- list and page


def _list_filters(request: HttpRequest, data: dict[str, Any]) -> selectors.ActivityFilters:
    """The filters named by code in the query string; a code the actor does not see is NotFound on its field."""
    user = request.user
    unit_code = (data.get("unit") or "").strip().upper()
    unit = None
    if unit_code:
        try:
            unit = unit_selectors.unit_get(actor=user, code=unit_code)
        except NotFound:
            raise NotFound(_("Unit %(code)s was not found.") % {"code": unit_code}, field="unit") from None
    kind = ActivityKind.objects.filter(code=data.get("kind")).first() if data.get("kind") else None
    movement = None
    if data.get("movement"):
        try:
            movement = movement_selectors.movement_get(actor=user, code=data["movement"])
        except NotFound as error:
            raise NotFound(str(error), field="movement") from None
    programme = None
    if data.get("programme"):
        try:
            programme = programme_selectors.programme_get(actor=user, code=data["programme"])
        except NotFound as error:
            raise NotFound(str(error), field="programme") from None
    return selectors.ActivityFilters(
        unit=unit,
        kind=kind,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        movement=movement,
        programme=programme,
        status=data.get("status") or "",
        text=data.get("text") or "",
    )


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    activities: list[Activity] = []
    next_cursor = None
    if valid:
        try:
            page = selectors.activity_list(
                actor=request.user,
                filters=_list_filters(request, data),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            activities, next_cursor = page.items, page.next_cursor
    kept = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "activities": activities,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_create": not scope_for(request.user, CHANGE).empty,
        "can_import": not scope_for(request.user, IMPORT).empty,
    }
    return TemplateResponse(request, "activities/list.html", context)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    form = RosterForm(request.GET)
    cursor = (form.cleaned_data.get("cursor") or None) if form.is_valid() else None
    try:
        detail = selectors.activity_detail(actor=request.user, activity=activity, cursor=cursor, limit=PAGE_SIZE)
    except NotFound:
        raise Http404(_("Activity not found.")) from None
    except DomainError as error:
        add_domain_error(form, error)
        detail = selectors.activity_detail(actor=request.user, activity=activity, limit=PAGE_SIZE)
    next_cursor = detail.roster.next_cursor
    context = {
        "d": detail,
        "activity": activity,
        "form": form,
        "next_query": urlencode([("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(cursor),
        "total": sum(c.total for c in detail.summary),
        "women": sum(c.women for c in detail.summary),
    }
    return TemplateResponse(request, "activities/detail.html", context)


# ---------------------------------------------------------------- forms


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    form = ActivityCreateForm(posted(request), actor=user, initial={"unit": request.GET.get("unit", "").upper()[:40]})
    return _form_page(
        request,
        form=form,
        title=_("Record an activity"),
        apply=lambda d: services.activity_create(actor=user, unit=d["unit"], details=form.details()),
        done=activity_url,
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable_or_404(request, pk)
    codes = list(
        ActivityOrganiser.objects.filter(activity=activity)
        .exclude(unit_id=activity.unit_id)
        .order_by("unit__path")
        .values_list("unit__code", flat=True)
    )
    speakers = list(Speaker.objects.filter(activity=activity).order_by("position", "pk"))
    form = ActivityEditForm(
        posted(request), actor=request.user, initial=edit_initial(activity, codes, speakers), speakers=len(speakers)
    )
    return _form_page(
        request,
        form=form,
        title=_("Edit %(title)s") % {"title": activity.title},
        activity=activity,
        apply=lambda d: services.activity_update(
            actor=request.user, activity=activity, details=form.details(), version=d["version"]
        ),
    )


@login_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable_or_404(request, pk)
    form = DeleteForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Delete %(title)s") % {"title": activity.title},
        activity=activity,
        apply=lambda d: services.activity_delete(actor=request.user, activity=activity),
        done=lambda _result: reverse("activities:list"),
        danger=True,
        template="activities/simple_form.html",
    )


@login_required
def headcounts(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable_or_404(request, pk)
    initial: dict[str, Any] = {}
    for h in Headcount.objects.filter(activity=activity):
        initial[f"{h.category}_total"], initial[f"{h.category}_women"] = h.total, h.women
    form = HeadcountForm(posted(request), initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Participants of %(title)s") % {"title": activity.title},
        activity=activity,
        apply=lambda d: services.headcounts_set(actor=request.user, activity=activity, counts=form.counts()),
        template="activities/headcounts.html",
    )


@login_required
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable_or_404(request, pk)
    form = FileForm(posted(request), request.FILES if request.method == "POST" else None)
    return _form_page(
        request,
        form=form,
        title=_("Add a document or photo to %(title)s") % {"title": activity.title},
        activity=activity,
        apply=lambda d: services.file_attach(
            actor=request.user, activity=activity, upload=d["file"], kind=d["kind"], caption=d.get("caption", "")
        ),
        template="activities/simple_form.html",
    )


def _file_or_404(activity: Activity, file_pk: int) -> ActivityFile:
    found = ActivityFile.objects.filter(activity=activity, pk=file_pk).first()
    if found is None:
        raise Http404(_("File not found."))
    return found


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    activity = _activity_or_404(request, pk)
    found = _file_or_404(activity, file_pk)
    extension = EXTENSIONS.get(found.content_type, "bin")  # type: ignore[call-overload]
    inline = found.content_type.startswith("image/") or found.content_type == "application/pdf"
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=f"activity-{activity.pk}-{found.pk}.{extension}",
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    activity = _changeable_or_404(request, pk)
    found = _file_or_404(activity, file_pk)
    try:
        services.file_remove(actor=request.user, activity=activity, file=found)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file was removed."))
    return redirect(activity_url(activity))


# ---------------------------------------------------------------- check-in


def _outcome(request: HttpRequest, result: services.CheckIn | None, error: str = "") -> HttpResponse:
    """One line of outcome, prepended to the list of the check-in page by htmx."""
    response = TemplateResponse(request, "activities/_checkin_outcome.html", {"r": result, "error": error})
    add_never_cache_headers(response)
    return response


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the check-in page. POST: one code (typed, from a USB scanner or the camera); htmx gets one line."""
    activity = _checkin_or_404(request, pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        method = CheckInMethod.QR if data.get("method") == "qr" else CheckInMethod.CODE
        try:
            result: services.CheckIn | None = services.check_in_member(
                actor=request.user, activity=activity, member_code=data.get("member_code") or "", method=method
            )
        except DomainError as error:
            return _outcome(request, None, str(error))
        if request.htmx:  # type: ignore[attr-defined]
            return _outcome(request, result)
        assert result is not None
        (messages.success if result.outcome == CheckInOutcome.ADDED else messages.warning)(request, result.message)
        return redirect(reverse("activities:checkin", args=[activity.pk]))
    context = {
        "activity": activity,
        "form": CheckInForm(),
        "guest_form": GuestForm(),
        "tick_form": TickUnitForm(),
        "organisers": list(
            ActivityOrganiser.objects.filter(activity=activity).select_related("unit").order_by("unit__path")
        ),
    }
    return TemplateResponse(request, "activities/checkin.html", context)


@login_required
@require_POST
def checkin_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The camera's queue of scans, sent together every moment; the answer is one line per scan, newest first."""
    activity = _checkin_or_404(request, pk)
    codes = [code[:40] for code in request.POST.getlist("codes")[: services.MAX_LIST_CHECKIN]]
    method = CheckInMethod.QR if request.POST.get("method", "qr") == "qr" else CheckInMethod.CODE
    try:
        results = services.check_in_codes(actor=request.user, activity=activity, codes=codes, method=method)
    except DomainError as error:
        return _outcome(request, None, str(error))
    response = TemplateResponse(request, "activities/_checkin_outcomes.html", {"results": results[::-1]})
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def checkin_guest(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _checkin_or_404(request, pk)
    form = GuestForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return _outcome(request, None, errors)
    data = form.cleaned_data
    try:
        result = services.check_in_guest(
            actor=request.user,
            activity=activity,
            name=data["name"],
            category=data["category"],
            gender=data.get("gender") or "",
            phone=data.get("phone") or "",
        )
    except DomainError as error:
        return _outcome(request, None, str(error))
    return _outcome(request, result)


@login_required
def checkin_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The members of a chosen unit under an organiser, to tick several at once (GET a page, POST the ticks)."""
    activity = _checkin_or_404(request, pk)
    results: list[services.CheckIn] = []
    error = ""
    if request.method == "POST":
        ids = sorted({int(v) for v in request.POST.getlist("person") if v.isdigit() and len(v) < 19})
        people = list(Person.objects.filter(pk__in=ids).order_by("search_name", "pk"))
        try:
            results = services.check_in_people(actor=request.user, activity=activity, people=people)
        except DomainError as e:
            error = str(e)
    form = TickUnitForm(request.GET)
    page = None
    if form.is_valid() and form.cleaned_data.get("unit"):
        try:
            unit = selectors.unit_in_organisers(activity=activity, code=form.cleaned_data["unit"])
            page = selectors.tick_list(
                activity=activity, unit=unit, cursor=form.cleaned_data.get("cursor") or None, limit=PAGE_SIZE
            )
        except DomainError as e:
            add_domain_error(form, e)
    kept = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "activity": activity,
        "form": form,
        "page": page,
        "results": results,
        "error": error,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", page.next_cursor)]) if page and page.next_cursor else "",
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "activities/checkin_list.html", context)


@login_required
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    activity = _checkin_or_404(request, pk)
    attendee = Attendee.objects.filter(activity=activity, pk=attendee_pk).first()
    if attendee is None:
        raise Http404(_("This person is not on the roster."))
    try:
        services.attendee_remove(actor=request.user, activity=activity, attendee=attendee)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Taken off the roster."))
    return redirect(activity_url(activity))
