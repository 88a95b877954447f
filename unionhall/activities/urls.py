from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/participants/", views.headcounts, name="headcounts"),
    path("<int:pk>/files/new/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
    path("<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/checkin/batch/", views.checkin_batch, name="checkin_batch"),
    path("<int:pk>/checkin/guest/", views.checkin_guest, name="checkin_guest"),
    path("<int:pk>/checkin/list/", views.checkin_list, name="checkin_list"),
    path("<int:pk>/attendees/<int:attendee_pk>/remove/", views.attendee_remove, name="attendee_remove"),
]
