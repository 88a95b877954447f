"""Admin: members are read here, written only through their services; the national ID shows masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhall.audit.admin import ReadOnlyAdminMixin

from . import identity
from .models import Membership, OfficerTerm, Person, UnionCard

VIEW = "member.view"


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member_code", "full_name", "gender", "date_of_birth", "national_id_masked")
    search_fields = ("search_name", "member_code")
    show_full_result_count = False
    # Never the ciphertext or the blind index; sensitive fields only on the product's pages.
    fields = (
        "member_code",
        "full_name",
        "gender",
        "date_of_birth",
        "id_kind",
        "national_id_masked",
        "nationality",
        "education_level",
        "phone",
        "email",
        "residence_province",
        "residence_commune",
        "employer",
        "job_title",
    )
    readonly_fields = ("national_id_masked",)

    @admin.display(description=_("national ID"))
    def national_id_masked(self, obj: Person) -> str:
        return identity.masked(obj.id_kind, obj.national_id_hint)

    def get_queryset(self, request):
        return Person.objects.visible_to(request.user, VIEW)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "unit", "join_date", "status", "end_reason", "end_date")
    list_filter = ("status", "end_reason")
    show_full_result_count = False

    def get_queryset(self, request):
        return Membership.objects.visible_to(request.user, VIEW).select_related("person", "unit")


@admin.register(OfficerTerm)
class OfficerTermAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("membership", "position", "full_time", "term_start", "term_end")
    list_filter = ("position", "full_time")
    show_full_result_count = False

    def get_queryset(self, request):
        return OfficerTerm.objects.visible_to(request.user, VIEW).select_related("membership")


@admin.register(UnionCard)
class UnionCardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("card_number", "person", "card_type", "issue_date", "status")
    list_filter = ("card_type", "status")
    search_fields = ("card_number",)
    show_full_result_count = False

    def get_queryset(self, request):
        return UnionCard.objects.visible_to(request.user, VIEW).select_related("person")
