"""What the navigation offers: only the sections the signed-in user can use."""

from typing import Any

from django.http import HttpRequest

from .scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_grant": not scope_for(user, "role.grant").empty,
        "nav_can_read_history": not scope_for(user, "audit.view").empty,
        "nav_can_view_members": not scope_for(user, "member.view").empty,
        "nav_can_view_movements": not scope_for(user, "movement.view").empty,
        "nav_can_view_initiatives": not scope_for(user, "initiative.view").empty,
        "nav_can_view_awards": not scope_for(user, "award.view").empty,
        "nav_can_view_activities": not scope_for(user, "activity.view").empty,
        "nav_can_view_practices": not scope_for(user, "practice.view").empty,
        "nav_can_view_programmes": not scope_for(user, "programme.view").empty,
        "nav_can_view_reports": not scope_for(user, "report.view").empty,
    }
