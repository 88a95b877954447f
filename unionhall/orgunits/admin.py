"""Admin: reference data (unit types, administrative maps) is edited here; units only read."""

from django.contrib import admin

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import AdminArea, AdminScheme, Unit, UnitType


@admin.register(UnitType)
class UnitTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "rank", "is_partner", "is_grassroots")
    filter_horizontal = ("allowed_children",)


@admin.register(AdminScheme)
class AdminSchemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")


@admin.register(AdminArea)
class AdminAreaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "scheme", "parent")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "type", "status", "established_date", "ended_date")
    list_filter = ("status", "type")
    search_fields = ("code", "search_name")
    show_full_result_count = False

    def get_queryset(self, request):
        return Unit.objects.visible_to(request.user, "unit.view").select_related("type")
