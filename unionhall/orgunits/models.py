"""Unit types, administrative areas, units, their dated placements in the tree and their events."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet

from .choices import AreaLevel, EventKind, UnitStatus
from .fields import PathField

LANGUAGES = ("vi", "en", "ar", "fa")


class TranslatedName(models.Model):
    """Names in the four languages; a missing translation falls back to Vietnamese."""

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "vi").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_vi

    def names(self) -> dict[str, str]:
        return {lang: getattr(self, f"name_{lang}") for lang in LANGUAGES}


class UnitType(TranslatedName):
    """A kind of unit (grassroots union, commune union, police department, ...) and what it may hold."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Order in lists; upper levels first."))
    is_partner = models.BooleanField(_("partner body"), default=False)
    is_grassroots = models.BooleanField(_("grassroots level"), default=False)
    is_employer = models.BooleanField(_("employer"), default=False)
    allowed_children = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_parents", verbose_name=_("may hold")
    )

    class Meta:
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")
        ordering = ["rank", "code"]


class AdminScheme(models.Model):
    """A version of the administrative map (e.g. 63 provinces until 30 June 2025, 34 from 1 July 2025)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative map")
        verbose_name_plural = _("administrative maps")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class AdminArea(models.Model):
    """A province or commune in one version of the administrative map."""

    scheme = models.ForeignKey(AdminScheme, on_delete=models.PROTECT, related_name="areas", verbose_name=_("map"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="adminarea_scheme_code_unique")]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(ScopedQuerySet):
    scope_path_field = "path"
    scope_unit_field = "id"

    def active(self):
        return self.filter(status=UnitStatus.ACTIVE)


class Unit(TranslatedName):
    """A union, a union section or group, or a partner body, placed in the tree."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    search_name = models.CharField(max_length=600, db_index=True, editable=False)
    type = models.ForeignKey(UnitType, on_delete=models.PROTECT, related_name="units", verbose_name=_("type"))
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.ACTIVE, db_index=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    path = PathField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    province = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    employer = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee_unions",
        verbose_name=_("employer"),
    )
    established_date = models.DateField(_("established on"))
    ended_date = models.DateField(_("ended on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_date__isnull=True) | Q(ended_date__gte=models.F("established_date")),
                name="unit_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=UnitStatus.ACTIVE, ended_date__isnull=True)
                | (~Q(status=UnitStatus.ACTIVE) & Q(ended_date__isnull=False)),
                name="unit_status_matches_end",
            ),
        ]
        indexes = [
            # The few units that ended (merged, dissolved), found by date without reading the whole tree:
            # any comparison on ended_date lets SQLite and PostgreSQL use it.
            models.Index(fields=["ended_date"], condition=Q(ended_date__isnull=False), name="unit_ended_idx"),
        ]

    def audit_unit(self) -> "Unit":
        return self

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE


class UnitPlacementQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class UnitPlacement(models.Model):
    """Where a unit stood in the tree from `valid_from` until the day before `valid_to`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("unit"))
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("parent unit")
    )
    path = PathField(max_length=255)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = UnitPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["path", "valid_from"], name="placement_path_idx"),
            models.Index(fields=["unit", "valid_from"], name="placement_unit_idx"),
            # The few placements that ended (a move, a merge, an end), found by date.
            models.Index(fields=["valid_to"], condition=Q(valid_to__isnull=False), name="placement_closed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="placement_positive_interval",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="placement_one_open_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.path} [{self.valid_from}, {self.valid_to or '…'})"


class UnitEvent(models.Model):
    """A lifecycle step on one unit; one operation may write many, sharing `operation`."""

    operation = models.UUIDField(_("operation"), db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    related_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("related unit")
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["unit", "effective_date"], name="unitevent_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"
