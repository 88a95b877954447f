"""Models (mô hình) and exemplars a unit registers within a movement, their yearly evaluations and recognition."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme

from .choices import EvaluationResult, PracticeField, PracticeKind
from .querysets import PracticeQuerySet, WithPracticeQuerySet


class Practice(models.Model):
    """A model or exemplar registered by a unit, e.g. a self-managed workers' group for security and order."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=PracticeKind.choices, default=PracticeKind.MODEL)
    field = models.CharField(_("field"), max_length=20, choices=PracticeField.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by"))
    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("movement")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("programme")
    )
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started on"))
    registered_on = models.DateField(_("registered on"))
    recognised_on = models.DateField(_("recognised as effective on"), null=True, blank=True)
    recognised_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recognised by")
    )
    recognition_ref = models.CharField(_("recognition decision"), max_length=100, blank=True)
    ended_on = models.DateField(_("discontinued on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "registered_on"], name="practice_unit_idx"),
            models.Index(fields=["registered_on", "id"], name="practice_registered_idx"),
            models.Index(fields=["movement", "registered_on"], name="practice_movement_idx"),
            models.Index(fields=["programme", "registered_on"], name="practice_programme_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recognised_on__isnull=True) | Q(recognised_by__isnull=False),
                name="practice_recognised_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="practice_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def audit_unit(self) -> Unit:
        return self.unit


class PracticeMember(models.Model):
    """Someone taking part in a model: a member, or a named person who is not one (a citizen, a landlord)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="members", verbose_name=_("model"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = WithPracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("model member")
        verbose_name_plural = _("model members")
        ordering = ["practice", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="practicemember_who"),
            models.UniqueConstraint(
                fields=["practice", "person"], condition=Q(person__isnull=False), name="practicemember_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.person_id)

    def audit_unit(self) -> Unit:
        return self.practice.unit


class PracticeEvaluation(models.Model):
    """The yearly evaluation of a model."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("model")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=15, choices=EvaluationResult.choices)
    note = models.TextField(_("note"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"))
    evaluated_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluated by"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WithPracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("model evaluation")
        verbose_name_plural = _("model evaluations")
        ordering = ["practice", "-year"]
        indexes = [models.Index(fields=["year", "result"], name="practiceeval_year_idx")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "year"], name="practiceeval_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=9999), name="practiceeval_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} · {self.year} · {self.result}"

    def audit_unit(self) -> Unit:
        return self.practice.unit
