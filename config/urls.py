"""Root URLs: the web UI, the admin, the API."""

from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("unionhall.api.urls")),
    path("", include("unionhall.core.urls")),
    path("accounts/", include("unionhall.accounts.urls")),
    path("units/", include("unionhall.orgunits.urls")),
    path("members/", include("unionhall.members.urls")),
    path("movements/", include("unionhall.movements.urls")),
    path("initiatives/", include("unionhall.initiatives.urls")),
    path("awards/", include("unionhall.awards.urls")),
    path("programmes/", include("unionhall.programmes.urls")),
    path("models/", include("unionhall.practices.urls")),
    path("activities/", include("unionhall.activities.urls")),
    path("democracy/", include("unionhall.democracy.urls")),
    path("reports/", include("unionhall.reports.urls")),
    path("data/", include("unionhall.datafiles.urls")),
    path("access/", include("unionhall.access.urls")),
    path("audit/", include("unionhall.audit.urls")),
    # One sign-in page for everyone, with its lockout and audit.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True)),
    path("admin/", admin.site.urls),
]
