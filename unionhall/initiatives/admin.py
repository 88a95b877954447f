"""Admin: the dated initiative rules are edited here (audited); initiatives are only read."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import Initiative, InitiativeRule

VIEW = "initiative.view"


class InitiativeRuleForm(forms.ModelForm):
    class Meta:
        model = InitiativeRule
        fields = [
            "valid_from",
            "valid_to",
            "legal_basis",
            "verified",
            "request_window_months",
            "examine_months",
            "amend_months",
            "decide_months",
            "remuneration_percent",
            "remuneration_years",
            "transfer_percent",
            "transfer_years",
            "payment_months",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            raise forms.ValidationError(_("The end of validity must be after its start."))
        if start:
            others = InitiativeRule.objects.exclude(pk=self.instance.pk)
            overlap = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
            if end:
                overlap = overlap.filter(valid_from__lt=end)
            if overlap.exists():
                raise forms.ValidationError(_("Another rule is in force during part of this period."))
        return data


@admin.register(InitiativeRule)
class InitiativeRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = InitiativeRuleForm
    list_display = (
        "valid_from",
        "valid_to",
        "legal_basis",
        "verified",
        "request_window_months",
        "remuneration_percent",
        "transfer_percent",
    )


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "unit", "status", "level", "recognised_on", "certificate_number")
    list_filter = ("status", "level", "field")
    search_fields = ("title", "certificate_number")
    show_full_result_count = False

    def get_queryset(self, request):
        return Initiative.objects.visible_to(request.user, VIEW).select_related("unit")
