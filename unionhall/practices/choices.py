"""The fixed vocabularies of models (mô hình) and exemplars (điển hình)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeKind(models.TextChoices):
    MODEL = "model", _("Model (mô hình)")
    EXEMPLAR = "exemplar", _("Exemplar (điển hình)")


class PracticeField(models.TextChoices):
    """The four fields of the "Dân vận khéo" guidance."""

    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture and society")
    DEFENCE_SECURITY = "defence_security", _("Defence and security")
    POLITICAL_SYSTEM = "political_system", _("Building the political system")


class EvaluationResult(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class PracticeStatus(models.TextChoices):
    """A model's status, computed, never stored: the first that applies of discontinued, recognised, effective."""

    REGISTERED = "registered", _("Registered")
    EFFECTIVE = "effective", _("Evaluated effective")
    RECOGNISED = "recognised", _("Recognised as effective")
    DISCONTINUED = "discontinued", _("Discontinued")
