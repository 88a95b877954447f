"""Roles page: who holds which role where, granting and revoking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhall.core.errors import DomainError
from unionhall.core.scoping import subtree_q
from unionhall.core.web import add_domain_error
from unionhall.orgunits.models import Unit

from . import selectors, services
from .forms import GrantForm

PAGE = 200


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST or None, actor=request.user, initial={"unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(
                actor=request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                scope=form.cleaned_data["scope"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Role granted."))
            return redirect(request.get_full_path())
    rows = selectors.grant_list(actor=request.user)
    unit_code = request.GET.get("unit", "").strip().upper()
    if unit_code:
        unit = Unit.objects.visible_to(request.user, "unit.view").filter(code=unit_code).first()
        rows = rows.filter(subtree_q("unit__path", unit.path)) if unit else rows.none()
    return TemplateResponse(
        request, "access/grants.html", {"form": form, "grants": rows[:PAGE], "unit_code": unit_code}
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_list(actor=request.user).filter(pk=pk).first()
    if grant is None:
        raise Http404(_("Role not found."))
    try:
        services.role_revoke(actor=request.user, grant=grant)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("access:grants")
