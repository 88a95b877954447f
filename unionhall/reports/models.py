"""Period reports: rolled-up figures, targets, reported figures, submissions up the tree, exports.

The roll-up tables are derived data: `rollup.py` rebuilds them from the records and keeps them
current from the audit log; nothing else writes them. See docs/adr/0009-period-reports.md.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet
from unionhall.orgunits.models import Unit

from .choices import ExportFormat, ExportStatus, SubmissionStatus

INDICATOR_MAX_LENGTH = 60
KEY_MAX_LENGTH = 80


class UnitFact(models.Model):
    """A unit's own figure for one indicator, breakdown key and month, counted from its records."""

    pk = models.CompositePrimaryKey("owner_id", "indicator", "key", "month")
    owner = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    indicator = models.CharField(max_length=INDICATOR_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    month = models.DateField()
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.owner_id} {self.indicator} {self.key} {self.month}: {self.value}"


class SharedFact(models.Model):
    """An item that counts for several units (an activity of several organisers or of a joint programme; an
    employer, for each of its unions), by month: an employer's overdue spells change it in several."""

    pk = models.CompositePrimaryKey("item", "indicator", "key", "month")
    item = models.CharField(max_length=40)
    owner = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    indicator = models.CharField(max_length=INDICATOR_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    month = models.DateField()
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["owner"], name="sharedfact_owner_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.indicator} {self.key} {self.month}: {self.value}"


class SharedUnit(models.Model):
    """One of the units a shared item counts for."""

    pk = models.CompositePrimaryKey("item", "unit_id")
    item = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    def __str__(self) -> str:
        return f"{self.item} @ {self.unit_id}"


class UnitAncestor(models.Model):
    """The current tree as pairs (unit, ancestor or itself); a merged unit stands where its successor does."""

    pk = models.CompositePrimaryKey("unit_id", "ancestor_id")
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    ancestor = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["ancestor"], name="unitancestor_ancestor_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} < {self.ancestor_id}"


class Rollup(models.Model):
    """A subtree's figure for one indicator, key and month: every item under `ancestor`, each once."""

    pk = models.CompositePrimaryKey("ancestor_id", "month", "indicator", "key")
    ancestor = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField()
    indicator = models.CharField(max_length=INDICATOR_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.ancestor_id} {self.indicator} {self.key} {self.month}: {self.value}"


class YearFigure(models.Model):
    """A subtree's figure for one indicator, breakdown key and calendar year."""

    pk = models.CompositePrimaryKey("ancestor_id", "year", "indicator", "key")
    # The primary key (and the yearly roll-ups' sum index) lead with the ancestor: no index of its own.
    ancestor = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.SmallIntegerField()
    indicator = models.CharField(max_length=INDICATOR_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    value = models.BigIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ancestor_id} {self.indicator} {self.key} {self.year}: {self.value}"


class RollupYear(YearFigure):
    """The same as `Rollup` for a whole calendar year, flows only (stocks: `RollupBalance`): a row a year."""

    class Meta:
        indexes = [
            # A report sums each (ancestor, indicator, key) over years: read in that order, with the value, the
            # sums need neither a sort nor the table; 25 → 12 ms for a province of 100 units at national scale.
            # (The value is a key column, not INCLUDE, which SQLite lacks.)
            models.Index(fields=["ancestor", "indicator", "key", "year", "value"], name="rollupyear_sum_idx")
        ]


class RollupBalance(YearFigure):
    """A subtree's stock (members, women members, grassroots unions) at the end of a year.

    One row for every year from the stock's first change to the state's `balance_year`, so that a report reads
    one row per stock and period rather than every year since the first member joined. A zero is not written.
    The primary key, led by the ancestor and the year, reads a few units' rows for two years by exact ranges.
    """


class RollupState(models.Model):
    """How fresh the roll-up tables are: the last audit entry they include, and when."""

    audit_watermark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    # Set when the tree changed since the last full rebuild: the figures of the changed part are counted from records.
    tree_changed = models.BooleanField(default=True)
    # The last year the balances are written for: the latest year of a stock change, or of the last rebuild.
    balance_year = models.SmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audit #{self.audit_watermark} at {self.refreshed_at}"


class PeriodQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"


class Target(models.Model):
    """A figure an upper unit asks one of its units to reach for an indicator in a period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    set_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    indicator = models.CharField(_("indicator"), max_length=INDICATOR_MAX_LENGTH)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.BigIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit__path", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period_start", "period_end"], name="target_unique_per_period"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_positive"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}: {self.value}"

    def audit_unit(self) -> Unit:
        return self.unit


class ReportedFigure(models.Model):
    """A figure a unit's officers report for its whole subtree where no records are kept for the indicator."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    indicator = models.CharField(_("indicator"), max_length=INDICATOR_MAX_LENGTH)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.BigIntegerField(_("reported figure"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    entered_by = models.BigIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["unit__path", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period_start", "period_end"], name="reportedfigure_unique_per_period"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="reportedfigure_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reportedfigure_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}: {self.value}"

    def audit_unit(self) -> Unit:
        return self.unit


class ReportingRound(models.Model):
    """A unit's call on its direct units to submit their reports for a period by a date."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_date = models.DateField(_("due on"))
    opened_by = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start", "period_end"], name="round_unique_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_unit(self) -> Unit:
        return self.unit


class SubmissionQuerySet(ScopedQuerySet):
    """Seen by the submitting unit's subtree and by the parent it went to."""

    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"


class Submission(models.Model):
    """A unit's period report sent to its parent: a frozen copy of its figures, and what the parent did."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent to"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus.choices)
    figures = models.JSONField(_("figures"))
    note = models.TextField(_("covering note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.BigIntegerField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.BigIntegerField(null=True, blank=True, editable=False)
    return_reason = models.TextField(_("reason for sending back"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        ordering = ["-period_end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start", "period_end"], name="submission_unique_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="submission_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status=SubmissionStatus.RETURNED) | ~Q(return_reason=""),
                name="submission_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_start}–{self.period_end} ({self.status})"

    def audit_unit(self) -> Unit:
        return self.unit


def export_path(instance: "ReportExport", filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class ReportExport(models.Model):
    """A summary report rendered to a file in the background, with its progress."""

    actor_id = models.BigIntegerField(editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    file_format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportexport_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.file_format} #{self.pk}"

    def audit_unit(self) -> Unit:
        return self.unit
