"""The eligibility endpoints: (prefix, viewset, basename), appended to the awards API routes."""

from typing import Any

routes: list[tuple[str, Any, str]] = []
