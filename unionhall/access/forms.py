"""The grant form."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from unionhall.orgunits.forms import ActorForm, UnitCodeField

from .choices import GrantScope
from .models import Role


class GrantForm(ActorForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    unit = UnitCodeField(label=_("Unit (code)"))
    scope = forms.ChoiceField(label=_("Scope"), choices=GrantScope.choices, initial=GrantScope.SUBTREE)

    def clean_username(self) -> Any:
        user = get_user_model().objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user
