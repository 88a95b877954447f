"""The programmes collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import OfficerViewSet, ProgrammeViewSet

routes: list[tuple[str, Any, str]] = [
    ("programmes", ProgrammeViewSet, "programme"),
    ("programme-officers", OfficerViewSet, "programme-officer"),
]
