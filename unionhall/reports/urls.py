from django.urls import include, path

from . import views
from .exports import urls as export_urls

app_name = "reports"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("figures/", views.figures, name="figures"),
    path("figures/<int:pk>/withdraw/", views.figure_withdraw, name="figure_withdraw"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("exports/", include(export_urls.urlpatterns)),
]
