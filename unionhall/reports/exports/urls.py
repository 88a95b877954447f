"""Export pages, included by `reports/urls.py` under /reports/exports/ (names in the "reports" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.export_start, name="export_start"),
    path("<int:pk>/", views.export_detail, name="export"),
    path("<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
]
