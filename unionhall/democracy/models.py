"""Workplace democracy: dialogues and employee conferences (each an activity), and the dated rules they follow."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.activities.models import Activity
from unionhall.orgunits.models import Unit

from .choices import Certainty, ConferenceForm, DialogueTrigger
from .querysets import DialogueQuerySet, EmployeeConferenceQuerySet


class DatedRule(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    certainty = models.CharField(_("certainty"), max_length=1, choices=Certainty.choices, default=Certainty.SOURCED)

    class Meta:
        abstract = True


class CompositionBand(DatedRule):
    """How many employee representatives a dialogue needs at a headcount (Decree 145/2020 Art. 38).

    The band covers employers with `headcount_from` ≤ headcount < `headcount_to` (no upper end when blank).
    """

    headcount_from = models.PositiveIntegerField(_("employees from"))
    headcount_to = models.PositiveIntegerField(_("employees below"), null=True, blank=True)
    employee_side_min = models.PositiveSmallIntegerField(_("employee side at least"))
    employee_side_max = models.PositiveSmallIntegerField(_("employee side at most"), null=True, blank=True)
    employer_side_min = models.PositiveSmallIntegerField(_("employer side at least"), default=3)

    class Meta:
        verbose_name = _("dialogue composition band")
        verbose_name_plural = _("dialogue composition bands")
        ordering = ["-valid_from", "headcount_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount_to__isnull=True) | Q(headcount_to__gt=models.F("headcount_from")),
                name="band_headcount_range",
            ),
            models.CheckConstraint(
                condition=Q(employee_side_max__isnull=True) | Q(employee_side_max__gte=models.F("employee_side_min")),
                name="band_side_range",
            ),
            models.UniqueConstraint(fields=["valid_from", "headcount_from"], name="band_once"),
        ]

    def __str__(self) -> str:
        upper = f"–{self.headcount_to - 1}" if self.headcount_to else "+"
        return f"{self.headcount_from}{upper}: {self.employee_side_min}–{self.employee_side_max or '…'}"


class ObligationRule(DatedRule):
    """How often the periodic dialogue and the employee conference are due, and when "due soon" starts."""

    dialogue_every_months = models.PositiveSmallIntegerField(_("periodic dialogue every (months)"), default=12)
    conference_every_months = models.PositiveSmallIntegerField(_("employee conference every (months)"), default=12)
    due_soon_days = models.PositiveSmallIntegerField(_("due soon within (days)"), default=60)

    class Meta:
        verbose_name = _("workplace democracy rule")
        verbose_name_plural = _("workplace democracy rules")
        ordering = ["-valid_from"]
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="obligationrule_once")]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.dialogue_every_months}/{self.conference_every_months}"


class Dialogue(models.Model):
    """The workplace-democracy record of a dialogue activity: the employer, the sides and what was agreed.

    `composition_issues` keeps the composition rules the sides broke (codes and figures); saving such a
    dialogue needs an officer's confirmation, recorded in `composition_confirmed_by` and `_at`.
    """

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="dialogue", verbose_name=_("activity")
    )
    employer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer"))
    trigger = models.CharField(_("held"), max_length=12, choices=DialogueTrigger.choices)
    trigger_article = models.CharField(_("Labour Code article"), max_length=100, blank=True)
    held_on = models.DateField(_("held on"))
    headcount = models.PositiveIntegerField(_("employees at the employer"))
    employer_side = models.PositiveSmallIntegerField(_("employer side"))
    employer_side_women = models.PositiveSmallIntegerField(_("employer side, women"), default=0)
    legal_representative_present = models.BooleanField(_("legal representative present"), default=False)
    employee_side = models.PositiveSmallIntegerField(_("employee side"))
    employee_side_women = models.PositiveSmallIntegerField(_("employee side, women"), default=0)
    agreements = models.TextField(_("agreements"), blank=True)
    published_on = models.DateField(_("published to employees on"), null=True, blank=True)
    composition_issues = models.JSONField(_("composition issues"), default=list, blank=True, editable=False)
    composition_confirmed_by = models.BigIntegerField(null=True, blank=True, editable=False)
    composition_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("workplace dialogue")
        verbose_name_plural = _("workplace dialogues")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["employer", "trigger", "held_on"], name="dialogue_employer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer_side_women__lte=models.F("employer_side"))
                & Q(employee_side_women__lte=models.F("employee_side")),
                name="dialogue_women_in_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} · {self.held_on}"

    def audit_unit(self) -> Unit:
        return self.activity.unit


class EmployeeConference(models.Model):
    """The workplace-democracy record of an employee conference (hội nghị người lao động)."""

    activity = models.OneToOneField(
        Activity,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="employee_conference",
        verbose_name=_("activity"),
    )
    employer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer"))
    held_on = models.DateField(_("held on"))
    form = models.CharField(_("form"), max_length=10, choices=ConferenceForm.choices)
    headcount = models.PositiveIntegerField(_("employees at the employer"))
    attended = models.PositiveIntegerField(_("employees or delegates attending"))
    resolutions = models.TextField(_("resolutions"), blank=True)
    agreement_reviewed = models.BooleanField(_("collective agreement reviewed"), default=False)

    objects = EmployeeConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee conference")
        verbose_name_plural = _("employee conferences")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["employer", "held_on"], name="empconference_employer_idx")]

    def __str__(self) -> str:
        return f"{self.employer_id} · {self.held_on}"

    def audit_unit(self) -> Unit:
        return self.activity.unit
