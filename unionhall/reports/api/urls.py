"""The reports part of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`.

`reports/summary/` and `reports/indicators/` (the viewset has no list, only these two actions).
"""

from typing import Any

from .views import ReportViewSet

routes: list[tuple[str, Any, str]] = [
    ("reports", ReportViewSet, "report"),
]
