"""Coordination programmes between organisations: their parties, period, goals and the officers they mobilise."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.members.models import Person
from unionhall.orgunits.models import Unit

from .choices import PartyRole
from .querysets import ProgrammeQuerySet, WithProgrammeQuerySet


class Programme(models.Model):
    """A joint programme (e.g. a provincial police department and a labour federation, 2018–2023)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(_("ends on"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    parties = models.ManyToManyField(Unit, through="ProgrammeParty", related_name="+", verbose_name=_("parties"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint programme")
        verbose_name_plural = _("joint programmes")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["start_date", "id"], name="programme_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def audit_unit(self) -> Unit:
        return self.owner


class ProgrammeParty(models.Model):
    """An organisation taking part in a programme; what the programme achieves counts for each party."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="party_rows", verbose_name=_("programme")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices, default=PartyRole.PARTNER)
    signatory = models.CharField(_("signed by"), max_length=200, blank=True)

    objects = WithProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme party")
        verbose_name_plural = _("programme parties")
        ordering = ["programme", "id"]
        indexes = [models.Index(fields=["unit", "programme"], name="programmeparty_unit_idx")]
        constraints = [models.UniqueConstraint(fields=["programme", "unit"], name="programmeparty_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.unit_id}"

    def audit_unit(self) -> Unit:
        return self.unit


class ProgrammeOfficer(models.Model):
    """An officer a party mobilises for the programme (a member, or named when not one)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="officers", verbose_name=_("programme")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role_title = models.CharField(_("role in the programme"), max_length=200, blank=True)

    objects = WithProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mobilised officer")
        verbose_name_plural = _("mobilised officers")
        ordering = ["programme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="programmeofficer_member_or_name"
            ),
            models.UniqueConstraint(
                fields=["programme", "person"], condition=Q(person__isnull=False), name="programmeofficer_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.person_id)

    def audit_unit(self) -> Unit:
        return self.unit
