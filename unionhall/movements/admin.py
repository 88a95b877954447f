"""Admin: movements are read here, written only through their services (the product's pages and API)."""

from django.contrib import admin

from unionhall.audit.admin import ReadOnlyAdminMixin

from .models import Milestone, Movement, Registration

VIEW = "movement.view"


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Milestone
    fields = ("kind", "due_date", "held_on", "note")
    extra = 0


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title", "kind", "launcher", "start_date", "end_date", "scope", "status")
    list_filter = ("kind", "scope", "status")
    search_fields = ("code", "title")
    show_full_result_count = False
    fields = ("code", "title", "kind", "launcher", "start_date", "end_date", "scope", "units", "criteria", "status")
    inlines = [MilestoneInline]

    def get_queryset(self, request):
        return Movement.objects.visible_to(request.user, VIEW).select_related("launcher")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("movement", "unit", "person", "year", "initiatives_pledged", "registered_on")
    list_filter = ("year",)
    search_fields = ("movement__code", "unit__code", "person__member_code")
    show_full_result_count = False

    def get_queryset(self, request):
        return Registration.objects.visible_to(request.user, VIEW).select_related("movement", "unit", "person")
