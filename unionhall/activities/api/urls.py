"""The activities collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import ActivityKindViewSet, ActivityViewSet, AttendeeViewSet

routes: list[tuple[str, Any, str]] = [
    ("activities", ActivityViewSet, "activity"),
    ("activity-attendees", AttendeeViewSet, "activity-attendee"),
    ("activity-kinds", ActivityKindViewSet, "activity-kind"),
]
