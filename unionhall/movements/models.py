"""Emulation movements, their review milestones and the pledges units and people register in them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.members.models import Person
from unionhall.orgunits.models import Unit

from .choices import MilestoneKind, MovementKind, MovementScope, MovementStatus
from .querysets import MilestoneQuerySet, MovementQuerySet, RegistrationQuerySet


class Movement(models.Model):
    """An emulation movement launched by a unit, for a period, over its subtree or listed units."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    launcher = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("launched by"))
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(_("ends on"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=MovementScope.choices, default=MovementScope.SUBTREE)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("listed units"))
    criteria = models.TextField(_("criteria"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["launcher", "start_date"], name="movement_launcher_idx"),
            models.Index(fields=["start_date", "id"], name="movement_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="movement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def audit_unit(self) -> Unit:
        return self.launcher


class Milestone(models.Model):
    """A review of a movement (sơ kết or tổng kết) due on a day, and when it was held."""

    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("movement")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MilestoneKind.choices)
    due_date = models.DateField(_("due on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("review milestone")
        verbose_name_plural = _("review milestones")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["movement", "due_date"], name="milestone_movement_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date}"

    def audit_unit(self) -> Unit:
        return self.movement.launcher


class Registration(models.Model):
    """A pledge in a movement for a year: a unit's own (no person) or one of its members'."""

    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("movement")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    titles = models.JSONField(_("titles sought"), default=list, blank=True)
    initiatives_pledged = models.PositiveIntegerField(_("initiatives pledged"), default=0)
    note = models.TextField(_("note"), blank=True)
    registered_on = models.DateField(_("registered on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-year", "id"]
        indexes = [
            models.Index(fields=["movement", "year", "id"], name="registration_movement_idx"),
            models.Index(fields=["year", "person"], name="registration_person_idx"),
            models.Index(fields=["year", "unit"], name="registration_unit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit", "person", "year"],
                condition=Q(person__isnull=False),
                name="registration_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["movement", "unit", "year"],
                condition=Q(person__isnull=True),
                name="registration_one_per_unit",
            ),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=9999), name="registration_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.movement_id} · {self.unit_id} · {self.person_id or '-'} · {self.year}"

    def audit_unit(self) -> Unit:
        return self.unit
