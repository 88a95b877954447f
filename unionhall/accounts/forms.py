"""Sign-in and preference forms."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
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


class PasswordResetForm(auth_forms.PasswordResetForm, StyledForm):
    """Sends the reset email in the language the user chose, not the visitor's."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ) -> None:
        with translation.override(context["user"].language):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
            )


class SetPasswordForm(auth_forms.SetPasswordForm, StyledForm):
    def save(self, commit: bool = True):
        from .services import user_password_reset

        return user_password_reset(user=self.user, password=self.cleaned_data["new_password1"])
