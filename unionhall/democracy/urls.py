from django.urls import path

from . import views

app_name = "democracy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dialogues/new/", views.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<int:pk>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("conferences/new/", views.conference_create, name="conference_create"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference"),
]
