"""The awards collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .eligibility import routes as eligibility_routes
from .views import AwardTypeViewSet, AwardViewSet, BaseSalaryViewSet, DecisionViewSet, NominationViewSet

routes: list[tuple[str, Any, str]] = [
    ("award-types", AwardTypeViewSet, "award-type"),
    ("base-salaries", BaseSalaryViewSet, "base-salary"),
    ("nominations", NominationViewSet, "nomination"),
    ("decisions", DecisionViewSet, "decision"),
    ("awards", AwardViewSet, "award"),
    *eligibility_routes,
]
