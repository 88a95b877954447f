"""The democracy collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import ComplianceViewSet, ConferenceViewSet, DialogueViewSet

routes: list[tuple[str, Any, str]] = [
    ("dialogues", DialogueViewSet, "dialogue"),
    ("employee-conferences", ConferenceViewSet, "employee-conference"),
    ("workplace-compliance", ComplianceViewSet, "workplace-compliance"),
]
