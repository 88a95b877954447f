"""Initiatives (sáng kiến) under Decree 13/2012: applications, authors, benefit, transfers, remuneration, rules."""

import datetime as dt
import uuid
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet
from unionhall.members.models import Person
from unionhall.orgunits.models import Unit

from .choices import Field, Level, Status, Verified

# The largest amount of money the system accepts (VND); larger figures are typing mistakes.
MAX_VND = 10**15


def _money(name: str, *, positive: bool = False) -> Q:
    low = {f"{name}__gt": 0} if positive else {f"{name}__gte": 0}
    return Q(**low, **{f"{name}__lte": MAX_VND})


class InitiativeRuleQuerySet(models.QuerySet):
    def in_force(self, day: dt.date) -> Self:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class InitiativeRule(models.Model):
    """The clocks and remuneration percentages of the initiative regulation in force between two dates."""

    valid_from = models.DateField(_("valid from"), unique=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The first day it no longer applies.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    verified = models.CharField(_("verified"), max_length=1, choices=Verified.choices, default=Verified.SOURCED)
    request_window_months = models.PositiveSmallIntegerField(
        _("request window (months after first application)"), default=12
    )
    examine_months = models.PositiveSmallIntegerField(_("examination (months after the request)"), default=1)
    amend_months = models.PositiveSmallIntegerField(_("amendment (months after it is asked for)"), default=1)
    decide_months = models.PositiveSmallIntegerField(_("decision (months after acceptance)"), default=3)
    remuneration_percent = models.DecimalField(
        # xgettext:no-python-format
        _("remuneration (% of each year's benefit, at least)"),
        max_digits=5,
        decimal_places=2,
        default=7,
    )
    remuneration_years = models.PositiveSmallIntegerField(_("remunerated years of application"), default=3)
    transfer_percent = models.DecimalField(
        # xgettext:no-python-format
        _("remuneration (% of a transfer price, at least)"),
        max_digits=5,
        decimal_places=2,
        default=15,
    )
    transfer_years = models.PositiveSmallIntegerField(_("transfers remunerated (years after recognition)"), default=3)
    payment_months = models.PositiveSmallIntegerField(_("payment (months after the year or the receipt)"), default=1)

    objects = InitiativeRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative rule")
        verbose_name_plural = _("initiative rules")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="initiativerule_valid_order",
            ),
            models.CheckConstraint(
                condition=Q(remuneration_percent__gte=0, remuneration_percent__lte=100)
                & Q(transfer_percent__gte=0, transfer_percent__lte=100),
                name="initiativerule_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.valid_from})"


class InitiativeQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"


class Initiative(models.Model):
    """An initiative submitted to the establishment that invested in it, and its recognition."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=300)
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    description = models.TextField(_("description"), blank=True)
    movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("emulation movement"),
    )
    first_applied_on = models.DateField(_("first applied on"))
    requested_on = models.DateField(_("recognition requested on"), null=True, blank=True)
    estimated_benefit_vnd = models.BigIntegerField(_("benefit estimated by the author (VND)"), default=0)
    state_funded = models.BooleanField(_("state funds or materials used"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    examined_on = models.DateField(_("examined on"), null=True, blank=True)
    amendment_requested_on = models.DateField(_("amendment asked for on"), null=True, blank=True)
    amendment_note = models.TextField(_("what to amend"), blank=True)
    amended_on = models.DateField(_("amended on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, null=True, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "status", "id"], name="initiative_unit_status_idx"),
            models.Index(fields=["status", "recognised_on"], name="initiative_recognised_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="initiative_certificate_unique_per_unit",
            ),
            models.CheckConstraint(condition=_money("estimated_benefit_vnd"), name="initiative_estimate_range"),
            models.CheckConstraint(
                condition=(
                    Q(status=Status.RECOGNISED, level__isnull=False, recognised_on__isnull=False)
                    & ~Q(certificate_number="")
                )
                | (
                    ~Q(status=Status.RECOGNISED)
                    & Q(level__isnull=True, recognised_on__isnull=True, certificate_number="")
                ),
                name="initiative_recognition_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(requested_on__isnull=True) | Q(requested_on__gte=models.F("first_applied_on")),
                name="initiative_requested_after_application",
            ),
            models.CheckConstraint(
                condition=Q(recognised_on__isnull=True) | Q(recognised_on__gte=models.F("first_applied_on")),
                name="initiative_recognised_after_application",
            ),
            models.CheckConstraint(
                condition=Q(examined_on__isnull=True)
                | Q(requested_on__isnull=True)
                | Q(examined_on__gte=models.F("requested_on")),
                name="initiative_examined_after_request",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_unit(self) -> Unit:
        return self.unit


class InitiativeChildQuerySet(ScopedQuerySet):
    scope_path_field = "initiative__unit__path"
    scope_unit_field = "initiative__unit_id"


class InitiativeAuthor(models.Model):
    """An author of an initiative and their contribution share (percent; one initiative's shares sum to 100)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="authors", verbose_name=_("initiative")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    objects = InitiativeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative author")
        verbose_name_plural = _("initiative authors")
        ordering = ["initiative", "-share", "id"]
        indexes = [models.Index(fields=["person", "initiative"], name="initiativeauthor_person_idx")]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="initiativeauthor_unique"),
            models.CheckConstraint(condition=Q(share__gt=0, share__lte=100), name="initiativeauthor_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.share} %"

    def audit_unit(self) -> Unit:
        return self.initiative.unit


class InitiativeBenefit(models.Model):
    """The benefit (tiền làm lợi, VND) an initiative brought in one calendar year of its application."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("initiative")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    year_index = models.PositiveSmallIntegerField(_("year of application"))
    amount_vnd = models.BigIntegerField(_("benefit (VND)"))
    note = models.TextField(_("how it was computed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative benefit")
        verbose_name_plural = _("initiative benefits")
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="initiativebenefit_unique_year"),
            models.CheckConstraint(condition=_money("amount_vnd"), name="initiativebenefit_amount_range"),
            models.CheckConstraint(condition=Q(year_index__gte=1), name="initiativebenefit_year_index_min"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.year}: {self.amount_vnd}"

    def audit_unit(self) -> Unit:
        return self.initiative.unit


class InitiativeTransfer(models.Model):
    """A transfer of the initiative to another party, whose price earns the authors a remuneration."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("initiative")
    )
    transferee = models.CharField(_("transferred to"), max_length=300, blank=True)
    price_vnd = models.BigIntegerField(_("price (VND)"))
    received_on = models.DateField(_("price received on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative transfer")
        verbose_name_plural = _("initiative transfers")
        ordering = ["initiative", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=_money("price_vnd"), name="initiativetransfer_price_range")]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.received_on}: {self.price_vnd}"

    def audit_unit(self) -> Unit:
        return self.initiative.unit


class RemunerationPaymentQuerySet(ScopedQuerySet):
    scope_path_field = "author__initiative__unit__path"
    scope_unit_field = "author__initiative__unit_id"


class RemunerationPayment(models.Model):
    """A payment of remuneration to an author, for one year of application or for one transfer."""

    author = models.ForeignKey(
        InitiativeAuthor, on_delete=models.PROTECT, related_name="payments", verbose_name=_("author")
    )
    year_index = models.PositiveSmallIntegerField(_("year of application"), null=True, blank=True)
    transfer = models.ForeignKey(
        InitiativeTransfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("transfer"),
    )
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RemunerationPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("remuneration payment")
        verbose_name_plural = _("remuneration payments")
        ordering = ["author", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_index__isnull=False, year_index__gte=1, transfer__isnull=True)
                | Q(year_index__isnull=True, transfer__isnull=False),
                name="remunerationpayment_year_or_transfer",
            ),
            models.CheckConstraint(
                condition=_money("amount_vnd", positive=True), name="remunerationpayment_amount_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} {self.paid_on}: {self.amount_vnd}"

    def audit_unit(self) -> Unit:
        return self.author.initiative.unit


def attachment_path(instance: "InitiativeAttachment", filename: str) -> str:
    """Stored under MEDIA_ROOT/initiatives/<initiative id>/ with a random name (the original is kept in a field)."""
    return f"initiatives/{instance.initiative_id}/{uuid.uuid4().hex}"


class InitiativeAttachment(models.Model):
    """A document or picture attached to an initiative's application (type checked from its content)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("initiative")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative attachment")
        verbose_name_plural = _("initiative attachments")
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return self.original_name

    def audit_unit(self) -> Unit:
        return self.initiative.unit
