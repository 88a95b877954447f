"""The commendation catalogue (award types and their dated rules), base salaries, nominations, decisions, awards."""

from typing import Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet, scope_for
from unionhall.orgunits.models import TranslatedName, Unit, UnitType

from .choices import AwardKind, AwardSystem, NominationStatus, Recipient, Recurrence, RevocationReason, Verified

MAX_VND = 10**15


class AwardType(TranslatedName):
    """An emulation title, form of commendation, prize or medal of the catalogue."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    recipient = models.CharField(_("recipient"), max_length=10, choices=Recipient.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    system = models.CharField(_("system"), max_length=10, choices=AwardSystem.choices)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Order in lists."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["rank", "code"]


class AwardRuleQuerySet(models.QuerySet):
    def in_force(self, day) -> Self:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class AwardRule(models.Model):
    """What the law or regulation says about an award type from `valid_from` until the day before `valid_to`."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("award type")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    verified = models.CharField(_("verified"), max_length=1, choices=Verified.choices, default=Verified.UNKNOWN)
    bonus_multiple = models.DecimalField(_("bonus (× base salary)"), max_digits=6, decimal_places=2, default=0)
    collective_multiple = models.DecimalField(
        _("bonus for a collective (× base salary)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    granting_unit_types = models.ManyToManyField(
        UnitType,
        blank=True,
        related_name="+",
        verbose_name=_("unit types that may grant it"),
        help_text=_("Empty: any unit type."),
    )
    quota_of = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quota as a share of"),
    )
    quota_percent = models.DecimalField(_("quota (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    quota_per_year = models.PositiveIntegerField(_("at most per year"), null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(_("achievement period (years)"), default=1)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AwardRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["award_type", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "valid_from"], name="awardrule_type_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="awardrule_positive_interval",
            ),
            models.CheckConstraint(condition=Q(bonus_multiple__gte=0), name="awardrule_bonus_not_negative"),
            models.CheckConstraint(
                condition=Q(collective_multiple__isnull=True) | Q(collective_multiple__gte=0),
                name="awardrule_collective_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quota_of__isnull=True, quota_percent__isnull=True)
                | Q(quota_of__isnull=False, quota_percent__gt=0, quota_percent__lte=100),
                name="awardrule_quota_complete",
            ),
            models.CheckConstraint(condition=Q(period_years__gte=1), name="awardrule_period_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.code} [{self.valid_from}, {self.valid_to or '…'})"


class BaseSalaryQuerySet(models.QuerySet["BaseSalary"]):
    def in_force(self, day) -> "BaseSalary | None":
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()


class BaseSalary(models.Model):
    """The base salary (lương cơ sở) in force from `valid_from` until the next row."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    legal_basis = models.TextField(_("legal basis"), blank=True)

    objects = BaseSalaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0, amount_vnd__lte=MAX_VND), name="basesalary_amount_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_vnd} ({self.valid_from})"


class NominationQuerySet(ScopedQuerySet):
    scope_path_field = "proposing_unit__path"
    scope_unit_field = "proposing_unit_id"


class Nomination(models.Model):
    """A proposal (hồ sơ đề nghị) that a person or a unit receive an award for an achievement year."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award type")
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("achievement year"))
    proposing_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposing unit")
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, related_name="+", verbose_name=_("initiatives (evidence)")
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.DRAFT
    )
    eligibility_check = models.JSONField(_("eligibility check"), default=dict, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["proposing_unit", "year"], name="nomination_unit_year_idx"),
            models.Index(fields=["award_type", "year", "person"], name="nomination_type_person_idx"),
            models.Index(fields=["award_type", "year", "unit"], name="nomination_type_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False),
                name="nomination_one_nominee",
            ),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2200), name="nomination_year_range"),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True)
                | Q(submitted_on__isnull=False, reviewed_on__gte=models.F("submitted_on")),
                name="nomination_reviewed_after_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.code} {self.year} #{self.pk}"

    def audit_unit(self) -> Unit:
        return self.proposing_unit

    @property
    def nominee(self) -> Any:
        return self.person if self.person_id else self.unit


class DecisionQuerySet(ScopedQuerySet):
    scope_path_field = "granting_unit__path"
    scope_unit_field = "granting_unit_id"

    def visible_to(self, actor: Any, action: str) -> Self:
        """Decisions of a unit in scope, and decisions that award someone in scope."""
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        awards = Award.objects.filter(decision_id=OuterRef("pk")).filter(
            scope.as_q(path_field="awardee_unit__path", unit_field="awardee_unit_id")
        )
        return self.filter(scope.as_q(path_field="granting_unit__path", unit_field="granting_unit_id") | Exists(awards))


class Decision(models.Model):
    """A commendation decision (quyết định khen thưởng): number, date, signer, granting unit, awardees."""

    number = models.CharField(_("decision number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signer"), max_length=200)
    granting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("granting unit"))
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("award type")
    )
    rule = models.ForeignKey(
        AwardRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("rule applied")
    )
    movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("movement"),
    )
    base_salary_vnd = models.BigIntegerField(_("base salary applied (VND)"), null=True, blank=True)
    quota_override = models.BooleanField(_("quota exceeded by decision"), default=False)
    quota_justification = models.TextField(_("justification for exceeding the quota"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["granting_unit", "signed_on"], name="decision_unit_signed_idx")]
        constraints = [
            models.UniqueConstraint(fields=["granting_unit", "number", "signed_on"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=Q(quota_override=False) | ~Q(quota_justification=""), name="decision_override_justified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on})"

    def audit_unit(self) -> Unit:
        return self.granting_unit


class AwardQuerySet(ScopedQuerySet):
    scope_path_field = "awardee_unit__path"
    scope_unit_field = "awardee_unit_id"

    def visible_to(self, actor: Any, action: str) -> Self:
        """Awards to someone in scope, and awards granted by a unit in scope."""
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        return self.filter(
            scope.as_q(path_field="awardee_unit__path", unit_field="awardee_unit_id")
            | scope.as_q(path_field="decision__granting_unit__path", unit_field="decision__granting_unit_id")
        )

    def active(self) -> Self:
        return self.filter(revoked_on__isnull=True)


class Award(models.Model):
    """One awardee of a decision: a person or a unit, for an achievement year, with the bonus paid."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="awards", verbose_name=_("decision"))
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="awards", verbose_name=_("award type")
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    # The awardee's unit when awarded (the unit itself for a collective): where the award is visible.
    awardee_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("awardee's unit"))
    year = models.PositiveSmallIntegerField(_("achievement year"))
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("nomination"),
    )
    bonus_vnd = models.BigIntegerField(_("bonus (VND)"), default=0)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason for revocation"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("revocation note"), blank=True)
    recovered_vnd = models.BigIntegerField(_("recovered (VND)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["award_type", "person", "year"], name="award_type_person_idx"),
            models.Index(fields=["award_type", "unit", "year"], name="award_type_unit_idx"),
            models.Index(fields=["person", "year"], name="award_person_year_idx"),
            models.Index(fields=["unit", "year"], name="award_unit_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False),
                name="award_one_awardee",
            ),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2200), name="award_year_range"),
            models.CheckConstraint(condition=Q(bonus_vnd__gte=0, bonus_vnd__lte=MAX_VND), name="award_bonus_range"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revocation_reason="", recovered_vnd__isnull=True)
                | (Q(revoked_on__isnull=False) & ~Q(revocation_reason="")),
                name="award_revocation_complete",
            ),
            models.CheckConstraint(
                condition=Q(recovered_vnd__isnull=True)
                | Q(recovered_vnd__gte=0, recovered_vnd__lte=models.F("bonus_vnd")),
                name="award_recovered_range",
            ),
            # No second award for the same achievement.
            models.UniqueConstraint(
                fields=["award_type", "person", "year"],
                condition=Q(revoked_on__isnull=True, person__isnull=False),
                name="award_one_active_per_person_year",
            ),
            models.UniqueConstraint(
                fields=["award_type", "unit", "year"],
                condition=Q(revoked_on__isnull=True, unit__isnull=False),
                name="award_one_active_per_unit_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.code} {self.year} #{self.pk}"

    def audit_unit(self) -> Unit:
        return self.awardee_unit

    @property
    def awardee(self) -> Any:
        return self.person if self.person_id else self.unit

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None
