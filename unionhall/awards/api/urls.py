"""The awards collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .eligibility import routes as eligibility_routes

routes: list[tuple[str, Any, str]] = [*eligibility_routes]
