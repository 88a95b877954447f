"""The practices collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import EvaluationViewSet, PracticeViewSet

routes: list[tuple[str, Any, str]] = [
    ("models", PracticeViewSet, "practice"),
    ("model-evaluations", EvaluationViewSet, "model-evaluation"),
]
