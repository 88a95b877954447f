from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Citizen identity card (12 digits)")
    CMND = "cmnd", _("Identity card, legacy (9 digits)")
    PASSPORT = "passport", _("Passport")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal schooling")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


OPEN_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class EndReason(models.TextChoices):
    LEFT_JOB = "left_job", _("Left the job")
    TRANSFERRED = "transferred", _("Transferred")
    UNIT_DISSOLVED = "unit_dissolved", _("Unit dissolved")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")
    RESIGNED = "resigned", _("Resigned")


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee member")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee member")
    INSPECTION_COMMITTEE = "inspection_committee", _("Inspection committee member")
    UNION_GROUP_LEADER = "union_group_leader", _("Union-group leader")
    SECTION_HEAD = "section_head", _("Union-section head")


class CardType(models.TextChoices):
    PLAIN = "plain", _("Plain card")
    LINKED = "linked", _("Linked card")


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LOST = "lost", _("Lost")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")
