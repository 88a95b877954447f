"""Unit pages: the tree browser, a unit's page, and the lifecycle forms with their previews."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from unionhall.audit import selectors as audit_selectors
from unionhall.audit import views as audit_views
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.core.web import add_domain_error, as_of_date

from . import selectors, services
from .choices import UnitStatus
from .forms import (
    MAX_BULK_UNITS,
    DetailsForm,
    DissolveForm,
    EstablishForm,
    MergeForm,
    RenameForm,
    SearchForm,
    SplitForm,
    SplitPartForm,
    TransferForm,
)
from .models import Unit

SPLIT_PARTS = 4
# A node lists at most this many sub-units; search finds the others.
MAX_CHILDREN = 500
# The code-list fields of the bulk forms that "add the sub-units of" can fill.
BULK_CODE_FIELDS = ("units", "sources")


def _unit_or_404(request: HttpRequest, code: str) -> Unit:
    try:
        return selectors.unit_get(actor=request.user, code=code)
    except NotFound:
        raise Http404(_("Unit not found.")) from None


def _with_child_flag(qs):
    return qs.select_related("type").annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))


def _allowed(request: HttpRequest, unit: Unit) -> dict[str, bool]:
    """Which actions the page offers; the services check again on submit."""

    def covers(action: str, subtree: bool = False) -> bool:
        scope = scope_for(request.user, action)
        return scope.covers_subtree(unit.path) if subtree else scope.covers(path=unit.path, unit_id=unit.pk)

    return {
        "change": unit.is_active and covers("unit.change"),
        "establish": unit.is_active and covers("unit.lifecycle"),
        "lifecycle": unit.is_active and unit.parent_id is not None and covers("unit.lifecycle", subtree=True),
        "audit": covers("audit.view"),
        "grant": unit.is_active and covers("role.grant"),
        "members": covers("member.view"),
    }


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    view = _tree_view(request)
    roots = _with_child_flag(selectors.unit_roots_for(actor=request.user, as_of=view["as_of"])).order_by("path")
    return TemplateResponse(request, "orgunits/tree.html", {"roots": roots, "form": SearchForm(), **view})


@login_required
@require_GET
def children(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    view = _tree_view(request)
    kids = selectors.unit_children(unit=unit, as_of=view["as_of"]).filter(
        pk__in=Unit.objects.visible_to(request.user, "unit.view").values("pk")
    )
    if not view["ended"] and view["as_of"] is None:
        kids = kids.filter(status=UnitStatus.ACTIVE)
    return TemplateResponse(
        request,
        "orgunits/tree.html#children",
        {
            "units": _with_child_flag(kids).order_by("type__rank", "name_vi")[:MAX_CHILDREN],
            "more": max(kids.count() - MAX_CHILDREN, 0) if kids[MAX_CHILDREN : MAX_CHILDREN + 1] else 0,
            "parent": unit,
            **view,
        },
    )


@login_required
@require_GET
def codes_with_children(request: HttpRequest) -> HttpResponse:
    """The bulk-operation code list, with the active sub-units of unit `of` added (htmx swaps it in)."""
    field = request.GET.get("field", "")
    if field not in BULK_CODE_FIELDS:
        raise Http404(_("Unit not found."))
    listed = [c for c in request.GET.get(field, "").split() if c]
    unit = _unit_or_404(request, request.GET.get("of", "").strip().upper())
    added = (
        selectors.unit_children(unit=unit)
        .filter(status=UnitStatus.ACTIVE, pk__in=Unit.objects.visible_to(request.user, "unit.view").values("pk"))
        .order_by("code")
        .values_list("code", flat=True)[:MAX_BULK_UNITS]
    )
    codes = list(dict.fromkeys([*listed, *added]))
    return TemplateResponse(request, "orgunits/codes_textarea.html", {"field": field, "codes": codes})


def _tree_view(request: HttpRequest) -> dict[str, Any]:
    """How the tree is looked at: as of a past day, and whether ended units are listed."""
    as_of = as_of_date(request)
    ended = request.GET.get("ended") == "1"
    query = urlencode(
        {k: v for k, v in (("as_of", as_of.isoformat() if as_of else ""), ("ended", "1" if ended else "")) if v}
    )
    return {"as_of": as_of, "ended": ended, "tree_query": f"?{query}" if query else ""}


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    # `as=options` feeds the <datalist> of a unit-code input, whose own value arrives under its `field` name.
    suggest = request.GET.get("as") == "options"
    source = request.GET.get("field", "q") if suggest else "q"
    form = SearchForm({"q": request.GET.get(source, "")})
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.unit_search(actor=request.user, query=query) if query else []
    partial = "orgunits/unit_options.html" if suggest else "orgunits/tree.html#results"
    return TemplateResponse(request, partial, {"results": results, "query": query})


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    visible = Unit.objects.visible_to(request.user, "unit.view").values("pk")
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit=unit).filter(pk__in=visible),
        "children": _with_child_flag(selectors.unit_children(unit=unit)).order_by("status", "type__rank", "name_vi")[
            :MAX_CHILDREN
        ],
        "events": unit.events.select_related("related_unit")[:50],
        "subtree_size": selectors.unit_subtree(unit=unit).filter(status=UnitStatus.ACTIVE).count(),
        "can": _allowed(request, unit),
    }
    return TemplateResponse(request, "orgunits/detail.html", context)


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    template: str = "orgunits/operation.html",
    plan: Callable[[Any], services.Plan] | None,
    apply: Callable[[Any], Any],
    done: Callable[[Any], str],
    context: dict | None = None,
) -> HttpResponse:
    """GET shows the form; POST previews the plan; POST with confirm applies it."""
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            # Only the confirm button that a preview shows sends confirm=1.
            if plan is not None and request.POST.get("confirm") != "1":
                preview = plan(form)
            else:
                result = apply(form)
                messages.success(request, _("Saved."))
                return redirect(done(result))
        except DomainError as error:
            add_domain_error(form, error)
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "title": title,
            "preview": preview,
            "previewable": plan is not None,
            "bulk_fields": BULK_CODE_FIELDS,
            **(context or {}),
        },
    )


def _bind(form_class, request: HttpRequest, **kwargs):
    data = request.POST if request.method == "POST" else None
    return form_class(data, actor=request.user, **kwargs)


@login_required
def establish(request: HttpRequest, code: str) -> HttpResponse:
    parent = _unit_or_404(request, code)
    form = _bind(EstablishForm, request, parent=parent)

    def args(f):
        return {
            "actor": request.user,
            "parent": parent,
            "unit_type": f.cleaned_data["unit_type"],
            "code": f.cleaned_data["code"],
            "names": f.names(),
            "decision": f.decision(),
            "details": f.details(),
        }

    return _form_page(
        request,
        form=form,
        title=_("New unit under %(unit)s") % {"unit": parent.name},
        plan=lambda f: services.plan_establish(**args(f)),
        apply=lambda f: services.unit_establish(**args(f)),
        done=lambda unit: unit_url(unit),
        context={"unit": parent},
    )


@login_required
def rename(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    form = _bind(RenameForm, request, initial=unit.names())
    return _form_page(
        request,
        form=form,
        title=_("Rename %(unit)s") % {"unit": unit.name},
        plan=None,
        apply=lambda f: services.unit_rename(actor=request.user, unit=unit, names=f.names(), decision=f.decision()),
        done=unit_url,
        context={"unit": unit},
    )


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    initial = {
        "address": unit.address,
        "province": unit.province_id,
        "commune": unit.commune_id,
        "employer": unit.employer.code if unit.employer_id and unit.employer else "",
        "version": unit.version,
    }
    form = _bind(DetailsForm, request, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit %(unit)s") % {"unit": unit.name},
        plan=None,
        apply=lambda f: services.unit_update_details(
            actor=request.user, unit=unit, version=f.cleaned_data["version"], details=f.details()
        ),
        done=unit_url,
        context={"unit": unit},
    )


@login_required
def transfer(request: HttpRequest) -> HttpResponse:
    form = _bind(TransferForm, request, initial={"units": request.GET.get("units", "")})

    def args(f):
        return {
            "actor": request.user,
            "units": f.cleaned_data["units"],
            "new_parent": f.cleaned_data["new_parent"],
            "decision": f.decision(),
        }

    return _form_page(
        request,
        form=form,
        title=_("Transfer units"),
        plan=lambda f: services.plan_transfer(**args(f)),
        apply=lambda f: services.unit_transfer(**args(f)),
        done=lambda plan: unit_url(plan.target),
    )


@login_required
def merge(request: HttpRequest) -> HttpResponse:
    form = _bind(MergeForm, request, initial={"sources": request.GET.get("units", "")})

    def args(f):
        return {
            "actor": request.user,
            "sources": f.cleaned_data["sources"],
            "target": f.cleaned_data["target"],
            "decision": f.decision(),
        }

    return _form_page(
        request,
        form=form,
        title=_("Merge units"),
        plan=lambda f: services.plan_merge(**args(f)),
        apply=lambda f: services.unit_merge(**args(f)),
        done=lambda plan: unit_url(plan.target),
    )


@login_required
def dissolve(request: HttpRequest) -> HttpResponse:
    form = _bind(DissolveForm, request, initial={"units": request.GET.get("units", "")})

    def args(f):
        return {
            "actor": request.user,
            "units": f.cleaned_data["units"],
            "with_subtree": f.cleaned_data["with_subtree"],
            "decision": f.decision(),
        }

    return _form_page(
        request,
        form=form,
        title=_("Dissolve units"),
        plan=lambda f: services.plan_dissolve(**args(f)),
        apply=lambda f: services.unit_dissolve(**args(f)),
        done=lambda plan: unit_url(plan.units[0]),
        context={"danger": True},
    )


@login_required
def split(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    parent = unit.parent
    if parent is None:
        raise Http404(_("Unit not found."))
    data = request.POST if request.method == "POST" else None
    parts = [
        SplitPartForm(data, actor=request.user, parent=parent, prefix=f"part{i}", use_required_attribute=i < 2)
        for i in range(SPLIT_PARTS)
    ]
    form = _bind(SplitForm, request)

    def filled_parts():
        return [
            services.SplitPart(
                p.cleaned_data["code"],
                {"vi": p.cleaned_data["name_vi"]},
                p.cleaned_data["unit_type"],
                p.cleaned_data.get("children") or [],
            )
            for p in parts
            if p.has_changed() and p.is_valid()
        ]

    def args(f):
        return {"actor": request.user, "unit": unit, "parts": filled_parts(), "decision": f.decision()}

    if request.method == "POST" and any(p.has_changed() and not p.is_valid() for p in parts):
        form.is_valid()
        form.add_error(None, _("Correct the new units below."))
        return TemplateResponse(
            request,
            "orgunits/split.html",
            {"form": form, "parts": parts, "unit": unit, "title": _("Split %(unit)s") % {"unit": unit.name}},
        )
    return _form_page(
        request,
        form=form,
        title=_("Split %(unit)s") % {"unit": unit.name},
        template="orgunits/split.html",
        plan=lambda f: services.plan_split(**args(f)),
        apply=lambda f: services.unit_split(**args(f)),
        done=lambda created: unit_url(parent),
        context={"unit": unit, "parts": parts},
    )


@login_required
@require_GET
def history(request: HttpRequest, code: str) -> HttpResponse:
    """Every audited change to objects of this unit's subtree that the actor may read."""
    unit = _unit_or_404(request, code)
    entries = audit_selectors.entry_list(actor=request.user).filter(subtree_q("unit_path", unit.path))
    return audit_views.history_page(request, entries, unit=unit)


def unit_url(unit: Unit) -> str:
    return reverse("orgunits:detail", args=[unit.code])
