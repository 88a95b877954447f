"""/api/v1/: the collections of each app, the schema, its docs, and 404 in the error shape for the rest."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from unionhall.access.api.views import GrantViewSet
from unionhall.activities.api.urls import routes as activity_routes
from unionhall.awards.api.urls import routes as award_routes
from unionhall.datafiles.api.urls import routes as datafile_routes
from unionhall.democracy.api.urls import routes as democracy_routes
from unionhall.initiatives.api.urls import routes as initiative_routes
from unionhall.members.api.urls import routes as member_routes
from unionhall.movements.api.urls import routes as movement_routes
from unionhall.orgunits.api.views import UnitViewSet
from unionhall.practices.api.urls import routes as practice_routes
from unionhall.programmes.api.urls import routes as programme_routes
from unionhall.reports.api.urls import routes as report_routes

from . import views

app_name = "api"

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("grants", GrantViewSet, basename="grant")
for prefix, viewset, basename in (
    *member_routes,
    *datafile_routes,
    *movement_routes,
    *initiative_routes,
    *award_routes,
    *programme_routes,
    *practice_routes,
    *activity_routes,
    *democracy_routes,
    *report_routes,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    *router.urls,
    # Only paths ending in "/": a path without it still gets the slash appended by CommonMiddleware.
    re_path(r"^.*/$", views.UnknownEndpointView.as_view(), name="unknown"),
]
