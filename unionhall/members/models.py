"""People, their memberships of units, officer terms and union cards."""

from typing import Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet, scope_for
from unionhall.orgunits.models import AdminArea, Unit

from .choices import (
    OPEN_STATUSES,
    CardStatus,
    CardType,
    EducationLevel,
    EndReason,
    Gender,
    IdKind,
    MembershipStatus,
    Position,
)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        """A person is visible where one of their memberships (of any status) is."""
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        memberships = Membership.objects.visible_to(actor, action).filter(person_id=OuterRef("pk"))
        return self.filter(Exists(memberships))


class Person(models.Model):
    """A union member or former member: identity, contact, work."""

    full_name = models.CharField(_("full name"), max_length=200)
    search_name = models.CharField(max_length=400, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    id_kind = models.CharField(_("identity document"), max_length=10, choices=IdKind.choices, blank=True)
    national_id_encrypted = models.TextField(editable=False, blank=True)
    national_id_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    national_id_hint = models.CharField(max_length=3, blank=True, editable=False)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    education_level = models.CharField(_("education level"), max_length=20, choices=EducationLevel.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    residence_province = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    residence_commune = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    employer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="employees", verbose_name=_("employer")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    member_code = models.CharField(_("member code"), max_length=11, unique=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["search_name", "id"]
        indexes = [models.Index(fields=["search_name", "id"], name="person_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_kind="", national_id_encrypted="", national_id_index__isnull=True)
                | (~Q(id_kind="") & ~Q(national_id_encrypted="") & Q(national_id_index__isnull=False)),
                name="person_id_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.member_code})"


class MembershipQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)


class Membership(models.Model):
    """A person's membership of one unit, from the join date to the end date (history is kept)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    join_date = models.DateField(_("joined on"))
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_date = models.DateField(_("ended on"), null=True, blank=True)
    # The suspension in force (kept when a suspended membership ends; earlier ones are in the audit log).
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reason = models.CharField(_("reason for suspension"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-join_date", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="membership_unit_idx"),
            models.Index(fields=["person", "join_date"], name="membership_person_idx"),
        ]
        constraints = [
            # One open (active or suspended) membership per person: a transfer ends one and opens the next.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=OPEN_STATUSES), name="membership_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=(Q(status=MembershipStatus.ENDED) & ~Q(end_reason="") & Q(end_date__isnull=False))
                | (~Q(status=MembershipStatus.ENDED) & Q(end_reason="") & Q(end_date__isnull=True)),
                name="membership_end_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("join_date")),
                name="membership_end_after_join",
            ),
            models.CheckConstraint(
                condition=(Q(status=MembershipStatus.ACTIVE) & Q(suspended_on__isnull=True) & Q(suspension_reason=""))
                | (Q(status=MembershipStatus.SUSPENDED) & Q(suspended_on__isnull=False) & ~Q(suspension_reason=""))
                | (
                    Q(status=MembershipStatus.ENDED)
                    & (
                        Q(suspended_on__isnull=True, suspension_reason="")
                        | (Q(suspended_on__isnull=False) & ~Q(suspension_reason=""))
                    )
                ),
                name="membership_suspension_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(suspended_on__isnull=True)
                | (
                    Q(suspended_on__gte=models.F("join_date"))
                    & (Q(end_date__isnull=True) | Q(end_date__gte=models.F("suspended_on")))
                ),
                name="membership_suspension_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id} [{self.join_date}, {self.end_date or '…'})"

    def audit_unit(self) -> Unit:
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OfficerTermQuerySet(ScopedQuerySet):
    scope_path_field = "membership__unit__path"
    scope_unit_field = "membership__unit_id"

    def current(self) -> Self:
        return self.filter(term_end__isnull=True)


class OfficerTerm(models.Model):
    """A member's union position in their unit for a term."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="officer_terms", verbose_name=_("membership")
    )
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)
    full_time = models.BooleanField(_("full-time"), default=False)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfficerTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer term")
        verbose_name_plural = _("officer terms")
        ordering = ["-term_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="officerterm_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["membership", "position"],
                condition=Q(term_end__isnull=True),
                name="officerterm_one_open_per_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} ({self.term_start})"

    def audit_unit(self) -> Unit:
        return self.membership.unit


class UnionCardQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        """Cards are visible with their holder."""
        return self.filter(person__in=Person.objects.visible_to(actor, action).values("pk"))


class UnionCard(models.Model):
    """A union card issued to a person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cards", verbose_name=_("person"))
    card_number = models.CharField(_("card number"), max_length=30, unique=True)
    card_type = models.CharField(_("card type"), max_length=10, choices=CardType.choices, default=CardType.PLAIN)
    issue_date = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnionCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("union card")
        verbose_name_plural = _("union cards")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status=CardStatus.ACTIVE), name="unioncard_one_active_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.card_number
