"""Admin: roles (permission sets) are data edited here; grants are read-only (use the Roles page)."""

from django.contrib import admin

from unionhall.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import Role, RoleGrant


@admin.register(Role)
class RoleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "actions")


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "unit", "scope", "granted_at", "revoked_at")
    list_filter = ("role", "scope")

    def get_queryset(self, request):
        return RoleGrant.objects.visible_to(request.user, "role.grant").select_related("user", "role", "unit")
