"""Admin: the dated rules (composition bands, obligation intervals) are edited here, validated and audited;
dialogues and employee conferences are only read (they change through their services)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import CompositionBand, Dialogue, EmployeeConference, ObligationRule

VIEW = "activity.view"


def _overlapping(form: forms.ModelForm, others: Any) -> bool:
    """Another row of the same rule is in force during part of this row's validity."""
    start, end = form.cleaned_data.get("valid_from"), form.cleaned_data.get("valid_to")
    overlap = others.exclude(pk=form.instance.pk).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    if end:
        overlap = overlap.filter(valid_from__lt=end)
    return overlap.exists()


def _validity_problems(form: forms.ModelForm) -> bool:
    start, end = form.cleaned_data.get("valid_from"), form.cleaned_data.get("valid_to")
    if start and end and end <= start:
        form.add_error("valid_to", _("The end of validity must be after its start."))
    return bool(start) and not form.errors


class CompositionBandForm(forms.ModelForm):
    """A band: a headcount range in order, a side range in order, no overlap with another band in force."""

    class Meta:
        model = CompositionBand
        fields = (
            "valid_from",
            "valid_to",
            "legal_basis",
            "certainty",
            "headcount_from",
            "headcount_to",
            "employee_side_min",
            "employee_side_max",
            "employer_side_min",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("headcount_from"), data.get("headcount_to")
        if low is not None and high is not None and high <= low:
            self.add_error("headcount_to", _("The upper end must be above the lower end."))
        side_min, side_max = data.get("employee_side_min"), data.get("employee_side_max")
        if side_min is not None and side_max is not None and side_max < side_min:
            self.add_error("employee_side_max", _("The most cannot be below the least."))
        if _validity_problems(self) and low is not None:
            same_range = CompositionBand.objects.filter(Q(headcount_to__isnull=True) | Q(headcount_to__gt=low))
            if high is not None:
                same_range = same_range.filter(headcount_from__lt=high)
            if _overlapping(self, same_range):
                self.add_error(
                    "valid_from", _("Another band for these headcounts is in force during part of this period.")
                )
        return data


class ObligationRuleForm(forms.ModelForm):
    class Meta:
        model = ObligationRule
        fields = (
            "valid_from",
            "valid_to",
            "legal_basis",
            "certainty",
            "dialogue_every_months",
            "conference_every_months",
            "due_soon_days",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("dialogue_every_months", "conference_every_months"):
            if data.get(name) is not None and not 1 <= data[name] <= 60:
                self.add_error(name, _("Give between 1 and 60 months."))
        if data.get("due_soon_days") is not None and data["due_soon_days"] > 365:
            self.add_error("due_soon_days", _("Give at most 365 days."))
        if _validity_problems(self) and _overlapping(self, ObligationRule.objects.all()):
            self.add_error("valid_from", _("Another rule is in force during part of this period."))
        return data


@admin.register(CompositionBand)
class CompositionBandAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CompositionBandForm
    list_display = (
        "valid_from",
        "valid_to",
        "headcount_from",
        "headcount_to",
        "employee_side_min",
        "employee_side_max",
        "employer_side_min",
        "certainty",
    )
    list_filter = ("valid_from", "certainty")


@admin.register(ObligationRule)
class ObligationRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ObligationRuleForm
    list_display = (
        "valid_from",
        "valid_to",
        "dialogue_every_months",
        "conference_every_months",
        "due_soon_days",
        "certainty",
    )


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("activity", "employer", "trigger", "held_on", "headcount", "employer_side", "employee_side")
    list_filter = ("trigger",)
    search_fields = ("employer__code", "activity__title")
    show_full_result_count = False

    def get_queryset(self, request: Any) -> Any:
        return Dialogue.objects.visible_to(request.user, VIEW).select_related("activity", "employer")


@admin.register(EmployeeConference)
class EmployeeConferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("activity", "employer", "form", "held_on", "headcount", "attended")
    list_filter = ("form",)
    search_fields = ("employer__code", "activity__title")
    show_full_result_count = False

    def get_queryset(self, request: Any) -> Any:
        return EmployeeConference.objects.visible_to(request.user, VIEW).select_related("activity", "employer")
