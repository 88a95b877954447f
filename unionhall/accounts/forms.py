"""Sign-in and preference forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm

from .choices import Calendar, Language


class LoginForm(AuthenticationForm, StyledForm):
    pass


class PreferencesForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    latin_digits = forms.BooleanField(label=_("Latin digits (0-9) in Arabic and Persian"), required=False)
    calendar = forms.ChoiceField(label=_("Calendar"), choices=Calendar.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False, max_length=2000)
