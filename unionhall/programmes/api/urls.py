"""The programmes collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

routes: list[tuple[str, Any, str]] = []
