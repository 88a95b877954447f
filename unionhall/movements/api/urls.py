"""The movements collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import MilestoneViewSet, MovementViewSet, RegistrationViewSet

routes: list[tuple[str, Any, str]] = [
    ("movements", MovementViewSet, "movement"),
    ("movement-milestones", MilestoneViewSet, "movement-milestone"),
    ("movement-registrations", RegistrationViewSet, "movement-registration"),
]
