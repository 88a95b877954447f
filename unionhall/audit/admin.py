"""Admin pieces shared by every app: audited saves and read-only, scoped listings."""

from typing import Any

from django.contrib import admin
from django.db import transaction

from .models import AuditEntry
from .recorder import record


def snapshot(obj) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


class AuditedAdminMixin:
    """Admin writes on reference data go to the audit log like every other write."""

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            record(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                obj=obj,
                before=before,
                after=snapshot(obj),
            )

    def save_related(self, request, form, formsets, change) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)  # type: ignore[misc]

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            record(actor=request.user, action="admin.delete", obj=obj, before=before)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdminMixin:
    """Domain records change only through their services (the product's pages and API)."""

    def has_add_permission(self, request, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_label", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_label")
    show_full_result_count = False

    def get_queryset(self, request):
        return AuditEntry.objects.visible_to(request.user, "audit.view")
