"""Sign in and out, the profile page with preferences and the API token, the language switch."""

from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from . import services
from .forms import LanguageForm, LoginForm, PreferencesForm
from .models import User


class LoginView(auth_views.LoginView):
    """The one sign-in page (the admin's sends here too): lockout by django-axes, each sign-in audited."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_signed_in(user=form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    pass


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind login_required."""
    return cast(User, request.user)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"language": user.language, "latin_digits": user.latin_digits, "calendar": user.calendar}
    form = PreferencesForm(
        request.POST if request.method == "POST" and "save_preferences" in request.POST else None, initial=initial
    )
    if form.is_bound and form.is_valid():
        services.user_preferences_update(actor=user, **form.cleaned_data)
        messages.success(request, _("Preferences saved."))
        return redirect("accounts:profile")
    new_token = None
    if request.method == "POST" and "renew_token" in request.POST:
        new_token = services.user_token_renew(actor=user, user=user)
    has_token = Token.objects.filter(user=user).exists()
    grants = user.grants.filter(revoked_at__isnull=True).select_related("role", "unit")
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {"form": form, "new_token": new_token, "has_token": has_token, "grants": grants},
    )


@require_POST
@login_required
def language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    target = "/"
    if form.is_valid():
        user = signed_in_user(request)
        services.user_preferences_update(
            actor=user, language=form.cleaned_data["language"], latin_digits=user.latin_digits, calendar=user.calendar
        )
        nxt = form.cleaned_data["next"]
        if nxt and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = nxt
    return redirect(target)
