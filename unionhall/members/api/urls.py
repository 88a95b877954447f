"""The members collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import CardViewSet, MembershipViewSet, OfficerViewSet, PersonViewSet

routes: list[tuple[str, Any, str]] = [
    ("people", PersonViewSet, "person"),
    ("memberships", MembershipViewSet, "membership"),
    ("officers", OfficerViewSet, "officer"),
    ("cards", CardViewSet, "card"),
]
