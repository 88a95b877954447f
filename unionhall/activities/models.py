"""Activities (sessions, trainings, conferences, dialogues, ...), their organisers, speakers, files and attendance."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.members.choices import Gender
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.models import TranslatedName, Unit
from unionhall.programmes.models import Programme

from .choices import ActivityStatus, AttendanceMode, CheckInMethod, FileKind, KindRole, ParticipantCategory
from .querysets import ActivityQuerySet, ActivityRowQuerySet


class ActivityKind(TranslatedName):
    """A kind of activity (dissemination session, training course, ...); administrators may add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Order in lists."))
    role = models.CharField(_("role"), max_length=20, choices=KindRole.choices, default=KindRole.GENERAL)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of activity")
        verbose_name_plural = _("kinds of activity")
        ordering = ["rank", "code"]


class Activity(models.Model):
    """Something units organise on a day at a place, and who came.

    `participants` and `women` are kept by the services: the roster's size, or the sum of the counted
    categories, whichever the activity's `attendance_mode` uses.
    """

    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))
    organisers = models.ManyToManyField(
        Unit, through="ActivityOrganiser", related_name="+", verbose_name=_("organisers")
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    topic = models.TextField(_("topic"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("movement")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("programme")
    )
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.HELD)
    attendance_mode = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.ROSTER
    )
    planned_participants = models.PositiveIntegerField(_("participants planned"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    women = models.PositiveIntegerField(_("of whom women"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="activity_unit_idx"),
            models.Index(fields=["starts_at", "id"], name="activity_start_idx"),
            models.Index(fields=["kind", "starts_at"], name="activity_kind_idx"),
            models.Index(fields=["movement", "starts_at"], name="activity_movement_idx"),
            models.Index(fields=["programme", "starts_at"], name="activity_programme_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="activity_end_after_start",
            ),
            models.CheckConstraint(condition=Q(women__lte=models.F("participants")), name="activity_women_in_total"),
            models.UniqueConstraint(
                fields=["unit", "reference"], condition=~Q(reference=""), name="activity_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_unit(self) -> Unit:
        return self.unit


class ActivityOrganiser(models.Model):
    """A unit organising an activity; the activity counts for each (the recording unit is one of them)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="organiser_rows", verbose_name=_("activity")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        indexes = [models.Index(fields=["unit", "activity"], name="activityorganiser_unit_idx")]
        constraints = [models.UniqueConstraint(fields=["activity", "unit"], name="activityorganiser_once")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.unit_id}"

    def audit_unit(self) -> Unit:
        return self.activity.unit


class Speaker(models.Model):
    """Someone who speaks or reports at an activity, with the title they speak under."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("activity")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )

    objects = ActivityRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["activity", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_unit(self) -> Unit:
        return self.activity.unit


def file_path(instance: "ActivityFile", filename: str) -> str:
    """Stored under MEDIA_ROOT/activities/<activity id>/ with a random name (the original is kept in a field)."""
    return f"activities/{instance.activity_id}/{uuid.uuid4().hex}"


class ActivityFile(models.Model):
    """A document, photo (with its caption) or the minutes of an activity; the type is read from the content."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files", verbose_name=_("activity"))
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to=file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.original_name

    def audit_unit(self) -> Unit:
        return self.activity.unit


class Attendee(models.Model):
    """One person on an activity's roster: a member, or a non-member by name and category.

    `key` identifies the person within the activity (the member, or the normalised name and phone of a
    non-member); it is unique per activity, so nobody is counted twice.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("activity")
    )
    key = models.CharField(max_length=250, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member's unit")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=ParticipantCategory.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    method = models.CharField(_("checked in by"), max_length=10, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    recorded_by = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = ActivityRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["activity", "id"]
        indexes = [models.Index(fields=["person", "activity"], name="attendee_person_idx")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "key"], name="attendee_once_per_activity"),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="attendee_member_or_name"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.person_id)

    def audit_unit(self) -> Unit:
        return self.activity.unit


class Headcount(models.Model):
    """Participants counted in one category where no roster is kept, and how many of them were women."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="headcounts", verbose_name=_("activity")
    )
    category = models.CharField(_("category"), max_length=10, choices=ParticipantCategory.choices)
    total = models.PositiveIntegerField(_("participants"))
    women = models.PositiveIntegerField(_("of whom women"), default=0)

    objects = ActivityRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        ordering = ["activity", "category"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "category"], name="headcount_once_per_category"),
            models.CheckConstraint(condition=Q(women__lte=models.F("total")), name="headcount_women_in_total"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.category} · {self.total}"

    def audit_unit(self) -> Unit:
        return self.activity.unit
