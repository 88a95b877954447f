"""Admin: the kinds of activity are reference data, edited here and audited; activities and their
attendance are only read here (they change through their services)."""

from django.contrib import admin

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import Activity, ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "role", "rank", "active")
    list_filter = ("role", "active")
    search_fields = ("code", "name_vi", "name_en")
    ordering = ("rank", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Activities keep their kind (PROTECT); a kind no longer used is marked "not in use".
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "unit", "starts_at", "status", "participants", "women")
    list_filter = ("status", "kind")
    search_fields = ("title", "reference")
    raw_id_fields = ("unit", "movement", "programme")
    show_full_result_count = False

    def get_queryset(self, request):
        return Activity.objects.visible_to(request.user, "activity.view")
