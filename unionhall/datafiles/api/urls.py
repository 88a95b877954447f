"""The data-job collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import DataJobViewSet, KindViewSet

routes: list[tuple[str, Any, str]] = [
    ("kinds", KindViewSet, "kind"),
    ("jobs", DataJobViewSet, "job"),
]
