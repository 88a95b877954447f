from django.urls import path

from . import views

app_name = "datafiles"
urlpatterns = [
    path("import/", views.import_file, name="import"),
    path("export/", views.export, name="export"),
    path("templates/<str:kind>/<str:lang>.xlsx", views.template, name="template"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.progress, name="progress"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/report/", views.report, name="report"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
]
