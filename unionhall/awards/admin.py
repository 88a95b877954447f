"""Admin: the catalogue (award types with their dated rules) and base salaries are edited here, audited;
nominations, decisions and awards are only read (they change through their services)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin, snapshot
from unionhall.audit.recorder import record

from .describe import criteria_problems
from .models import MAX_VND, Award, AwardRule, AwardType, BaseSalary, Decision, Nomination

VIEW = "award.view"


def _rule_form_problems(form: forms.ModelForm, award_type: AwardType | None) -> None:
    data = form.cleaned_data
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end <= start:
        form.add_error("valid_to", _("The end of validity must be after its start."))
    if data.get("quota_of") is not None and data.get("quota_percent") is None:
        form.add_error("quota_percent", _("Give the percentage of the quota."))
    if data.get("quota_percent") is not None and data.get("quota_of") is None:
        form.add_error("quota_of", _("Choose the award the quota is a share of."))
    for problem in criteria_problems(data.get("criteria", [])):
        form.add_error("criteria", problem)
    if start and award_type is not None and award_type.pk:
        others = AwardRule.objects.filter(award_type=award_type).exclude(pk=form.instance.pk)
        overlap = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        if end:
            overlap = overlap.filter(valid_from__lt=end)
        if overlap.exists():
            form.add_error("valid_from", _("Another rule of this award is in force during part of this period."))


class AwardRuleForm(forms.ModelForm):
    """A dated rule: a valid interval, a complete quota, criteria in the language, no overlap with another version."""

    class Meta:
        model = AwardRule
        fields = (
            "award_type",
            "valid_from",
            "valid_to",
            "legal_basis",
            "verified",
            "bonus_multiple",
            "collective_multiple",
            "granting_unit_types",
            "quota_of",
            "quota_percent",
            "quota_per_year",
            "period_years",
            "criteria",
            "note",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        award_type = data.get("award_type") or (self.instance.award_type if self.instance.award_type_id else None)
        _rule_form_problems(self, award_type)
        return data


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    form = AwardRuleForm
    fk_name = "award_type"
    extra = 0
    filter_horizontal = ("granting_unit_types",)
    fields = (
        ("valid_from", "valid_to"),
        "legal_basis",
        "verified",
        ("bonus_multiple", "collective_multiple"),
        "granting_unit_types",
        ("quota_of", "quota_percent", "quota_per_year"),
        "period_years",
        "criteria",
        "note",
    )


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "recipient", "kind", "system", "recurrence", "rank", "active")
    list_filter = ("recipient", "kind", "system", "recurrence", "active")
    search_fields = ("code", "name_vi", "name_en")
    inlines = [AwardRuleInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """The rules edited inline are audited one by one, like the award type itself."""
        with transaction.atomic():
            before = {obj.pk: snapshot(obj) for obj in formset.queryset} if change else {}
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                record(actor=request.user, action="admin.add", obj=obj, after=snapshot(obj))
            for obj, _changed in formset.changed_objects:
                record(
                    actor=request.user, action="admin.change", obj=obj, before=before.get(obj.pk), after=snapshot(obj)
                )
            for obj in formset.deleted_objects:
                record(actor=request.user, action="admin.delete", obj=obj, before=before.get(obj.pk))


@admin.register(AwardRule)
class AwardRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AwardRuleForm
    list_display = ("award_type", "valid_from", "valid_to", "verified", "bonus_multiple", "collective_multiple")
    list_filter = ("verified", "award_type__system")
    filter_horizontal = ("granting_unit_types",)
    search_fields = ("award_type__code", "legal_basis")


class BaseSalaryForm(forms.ModelForm):
    class Meta:
        model = BaseSalary
        fields = ("valid_from", "amount_vnd", "legal_basis")

    def clean_amount_vnd(self) -> int:
        amount = self.cleaned_data["amount_vnd"]
        if amount is None or amount <= 0 or amount > MAX_VND:
            raise forms.ValidationError(_("Enter a positive amount of at most %(max)s VND."), params={"max": MAX_VND})
        return amount


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = BaseSalaryForm
    list_display = ("valid_from", "amount_vnd", "legal_basis")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "award_type", "person", "unit", "year", "proposing_unit", "status")
    list_filter = ("status", "award_type")
    show_full_result_count = False

    def get_queryset(self, request: Any) -> Any:
        return Nomination.objects.visible_to(request.user, VIEW).select_related(
            "award_type", "person", "unit", "proposing_unit"
        )


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "signed_on", "award_type", "granting_unit", "signer")
    list_filter = ("award_type",)
    search_fields = ("number",)
    show_full_result_count = False

    def get_queryset(self, request: Any) -> Any:
        return Decision.objects.visible_to(request.user, VIEW).select_related("award_type", "granting_unit")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("decision", "award_type", "person", "unit", "year", "bonus_vnd", "revoked_on")
    list_filter = ("award_type", "revocation_reason")
    show_full_result_count = False

    def get_queryset(self, request: Any) -> Any:
        return Award.objects.visible_to(request.user, VIEW).select_related("decision", "award_type", "person", "unit")
