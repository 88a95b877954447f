"""Initiative pages: the list with overdue flags, one initiative with its clocks and remuneration, and one form
per service.

Every page starts from what the actor sees for `initiative.view`; a form also needs `initiative.change`
(or `initiative.decide` for examination and decisions) on the initiative's unit, otherwise it is "not
found" like an initiative outside the actor's scope.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for
from unionhall.core.uploads import EXTENSIONS
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit

from . import certificates, selectors, services
from .choices import EDITABLE_STATUSES, Status
from .forms import (
    AttachmentForm,
    BenefitForm,
    ExamineForm,
    InitiativeEditForm,
    InitiativeForm,
    ListForm,
    PaymentForm,
    RecogniseForm,
    RejectForm,
    TransferForm,
)
from .models import Initiative, InitiativeAttachment, InitiativeAuthor, InitiativeTransfer
from .shares import authors_format

VIEW = services.VIEW
CHANGE = services.CHANGE
DECIDE = services.DECIDE
PAGE_SIZE = 50


def _holds(request: HttpRequest, action: str, unit: Unit) -> bool:
    return scope_for(request.user, action).covers(path=unit.path, unit_id=unit.pk)


def _initiative_or_404(request: HttpRequest, pk: int, action: str = VIEW) -> Initiative:
    try:
        initiative = selectors.initiative_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Initiative not found.")) from None
    if action != VIEW and not _holds(request, action, initiative.unit):
        raise Http404(_("Initiative not found."))
    return initiative


def detail_url(initiative: Initiative) -> str:
    return reverse("initiatives:detail", args=[initiative.pk])


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- list


def _filters(request: HttpRequest, data: dict[str, Any]) -> selectors.InitiativeFilters:
    unit = None
    code = (data.get("unit") or "").strip().upper()
    if code:
        unit = Unit.objects.visible_to(request.user, VIEW).filter(code=code).first()
        if unit is None:
            raise Http404(_("Unit not found."))
    movement_id = None
    movement_code = (data.get("movement") or "").strip().lower()
    if movement_code:
        movement = Movement.objects.visible_to(request.user, services.MOVEMENT_VIEW).filter(code=movement_code).first()
        if movement is None:
            raise Http404(_("Movement not found."))
        movement_id = movement.pk
    return selectors.InitiativeFilters(
        unit=unit,
        status=data.get("status") or "",
        level=data.get("level") or "",
        year=data.get("year"),
        movement_id=movement_id,
        overdue=bool(data.get("overdue")),
    )


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user, VIEW).empty:
        raise Http404(_("Initiative not found."))
    form = ListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data
    rows: list[selectors.Row] = []
    next_cursor = None
    if valid:
        try:
            page = selectors.initiative_list(
                actor=request.user,
                filters=_filters(request, data),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
                today=timezone.localdate(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            rows, next_cursor = page.rows, page.next_cursor
    query = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    import_unit = (data.get("unit") or "").strip().upper() if valid else ""
    context = {
        "form": form,
        "rows": rows,
        "first_query": urlencode(query),
        "next_query": urlencode([*query, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")) if valid else False,
        "can_add": not scope_for(request.user, CHANGE).empty,
        "import_url": _url_or_none("datafiles:import") if not scope_for(request.user, services.IMPORT).empty else None,
        "import_unit": import_unit,
    }
    return TemplateResponse(request, "initiatives/list.html", context)


# ---------------------------------------------------------------- one initiative


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk)
    info = selectors.initiative_detail(actor=request.user, pk=initiative.pk, today=timezone.localdate())
    unit = initiative.unit
    can_change = _holds(request, CHANGE, unit)
    can_decide = _holds(request, DECIDE, unit)
    editable = initiative.status in EDITABLE_STATUSES
    context = {
        "initiative": initiative,
        "info": info,
        "dues_by_author": [(a, info.remuneration.of_author(a.pk)) for a in info.authors],
        "can_edit": can_change and editable,
        "can_submit": can_change and initiative.status == Status.DRAFT,
        "can_amend": can_change and initiative.status == Status.NEEDS_AMENDMENT,
        "can_examine": can_decide and initiative.status == Status.SUBMITTED,
        "can_recognise": can_decide and initiative.status == Status.ACCEPTED,
        "can_reject": can_decide and initiative.status in (Status.SUBMITTED, Status.NEEDS_AMENDMENT, Status.ACCEPTED),
        "can_record": can_change and initiative.status == Status.RECOGNISED,
        "recognised": initiative.status == Status.RECOGNISED,
        "attachment_form": AttachmentForm(),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "initiatives/detail.html", context)


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk)
    language = request.GET.get("lang") or None
    try:
        pdf = certificates.certificate_pdf(actor=request.user, initiative=initiative, language=language)
    except NotFound:
        raise Http404(_("Initiative not found.")) from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(detail_url(initiative))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="initiative-{initiative.pk}.pdf"'
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    initiative = _initiative_or_404(request, pk)
    attachment = InitiativeAttachment.objects.filter(initiative=initiative, pk=attachment_pk).first()
    if attachment is None:
        raise Http404(_("Attachment not found."))
    # Served as a download under a safe name, with the type read from its content.
    name = f"initiative-{initiative.pk}-{attachment.pk}.{EXTENSIONS.get(attachment.content_type, 'bin')}"  # type: ignore[call-overload]
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=name, content_type=attachment.content_type
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(actor=request.user, initiative=initiative, file=upload, name=upload.name)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return redirect(detail_url(initiative))


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    attachment = InitiativeAttachment.objects.filter(initiative=initiative, pk=attachment_pk).first()
    if attachment is None:
        raise Http404(_("Attachment not found."))
    return _post(request, initiative, lambda: services.attachment_remove(actor=request.user, attachment=attachment))


def _post(request: HttpRequest, initiative: Initiative, call: Callable[[], Any]) -> HttpResponse:
    """A one-button action: the service's refusal becomes a message on the initiative's page."""
    try:
        call()
    except NotFound as error:
        if error.field is None:
            raise Http404(str(error)) from None
        messages.error(request, str(error))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(detail_url(initiative))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    return _post(request, initiative, lambda: services.initiative_submit(actor=request.user, initiative=initiative))


@login_required
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    return _post(request, initiative, lambda: services.initiative_amend(actor=request.user, initiative=initiative))


# ---------------------------------------------------------------- forms


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    initiative: Initiative | None = None,
    done: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """The form page of an initiative: `core.web.form_page`, going to the initiative's page by default."""
    return form_page(
        request,
        form=form,
        template="initiatives/form.html",
        context={"title": title, "initiative": initiative},
        apply=apply,
        done=done or (lambda _result: detail_url(initiative)),  # type: ignore[arg-type]
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    initial = {"unit": request.GET.get("unit", "").upper(), "field": "technical", "estimated_benefit_vnd": "0"}
    form = InitiativeForm(posted(request), actor=user, initial=initial)

    def apply(data: dict[str, Any]) -> Initiative:
        # The application and its authors are saved together, or not at all.
        with transaction.atomic():
            initiative = services.initiative_create(actor=user, unit=data["unit"], details=form.details())
            services.authors_set(actor=user, initiative=initiative, authors=data["authors"])
        return initiative

    return _form_page(request, form=form, title=_("New initiative"), apply=apply, done=detail_url)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    authors = InitiativeAuthor.objects.filter(initiative=initiative).select_related("person").order_by("-share", "pk")
    initial = {
        "title": initiative.title,
        "field": initiative.field,
        "description": initiative.description,
        "first_applied_on": initiative.first_applied_on,
        "estimated_benefit_vnd": str(initiative.estimated_benefit_vnd),
        "state_funded": initiative.state_funded,
        "movement": initiative.movement.code if initiative.movement else "",
        "authors": authors_format([(a.person.member_code, a.share) for a in authors]).replace("; ", "\n"),
        "version": initiative.version,
    }
    form = InitiativeEditForm(posted(request), actor=request.user, initial=initial)

    def apply(data: dict[str, Any]) -> Initiative:
        with transaction.atomic():
            updated = services.initiative_update(
                actor=request.user, initiative=initiative, version=data["version"], details=form.details()
            )
            services.authors_set(actor=request.user, initiative=updated, authors=data["authors"])
        return updated

    return _form_page(
        request,
        form=form,
        title=_("Edit %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=apply,
    )


@login_required
def examine(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, DECIDE)
    return _form_page(
        request,
        form=ExamineForm(posted(request)),
        title=_("Examine %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.initiative_examine(
            actor=request.user, initiative=initiative, verdict=d["verdict"], note=d.get("note", ""), day=d["day"]
        ),
    )


@login_required
def recognise(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, DECIDE)
    return _form_page(
        request,
        form=RecogniseForm(posted(request)),
        title=_("Recognise %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.initiative_recognise(
            actor=request.user,
            initiative=initiative,
            level=d["level"],
            certificate_number=d["certificate_number"],
            recognised_on=d["recognised_on"],
            note=d.get("note", ""),
        ),
    )


@login_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, DECIDE)
    return _form_page(
        request,
        form=RejectForm(posted(request)),
        title=_("Reject %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.initiative_reject(
            actor=request.user, initiative=initiative, note=d["note"], day=d["day"]
        ),
    )


@login_required
def benefit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    initial = {"year": timezone.localdate().year - 1}
    return _form_page(
        request,
        form=BenefitForm(posted(request), initial=initial),
        title=_("Benefit of %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.benefit_record(
            actor=request.user,
            initiative=initiative,
            year=d["year"],
            amount_vnd=d["amount_vnd"],
            note=d.get("note", ""),
        ),
    )


@login_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    return _form_page(
        request,
        form=TransferForm(posted(request)),
        title=_("Transfer of %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.transfer_record(
            actor=request.user,
            initiative=initiative,
            price_vnd=d["price_vnd"],
            received_on=d["received_on"],
            transferee=d.get("transferee", ""),
            note=d.get("note", ""),
        ),
    )


@login_required
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk, CHANGE)
    rule = services.rule_of(initiative)
    form = PaymentForm(
        posted(request),
        authors=list(InitiativeAuthor.objects.filter(initiative=initiative).select_related("person")),
        transfers=list(InitiativeTransfer.objects.filter(initiative=initiative).order_by("received_on", "pk")),
        years=rule.remuneration_years if rule is not None else 0,
    )
    return _form_page(
        request,
        form=form,
        title=_("Remuneration paid for %(title)s") % {"title": initiative.title},
        initiative=initiative,
        apply=lambda d: services.remuneration_pay(
            actor=request.user,
            author=form.authors[d["author"]],
            amount_vnd=d["amount_vnd"],
            paid_on=d["paid_on"],
            note=d.get("note", ""),
            **form.target(),
        ),
    )
