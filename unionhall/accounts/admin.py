"""Admin: user accounts, with every change audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from unionhall.audit.admin import AuditedAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("full_name", "language", "latin_digits", "calendar")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff", "language")
