"""Activate the signed-in user's language and number/date preferences for each request."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from unionhall.core.formatting import Preferences, use_preferences

from .choices import Calendar


def activate_user_preferences(request: HttpRequest, user: Any) -> None:
    """Also called by the API once a token has identified the user, after this middleware ran."""
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
    use_preferences(
        Preferences(
            language=user.language,
            latin_digits=user.latin_digits,
            jalali=user.calendar == Calendar.JALALI,
        )
    )


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user)
        else:
            use_preferences(Preferences(language=translation.get_language() or "vi"))
        return self.get_response(request)
