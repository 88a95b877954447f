from django.urls import path

from . import views

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("new/", views.movement_create, name="create"),
    path("<slug:code>/", views.movement_detail, name="detail"),
    path("<slug:code>/edit/", views.movement_edit, name="edit"),
    path("<slug:code>/close/", views.movement_close, name="close"),
    path("<slug:code>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<slug:code>/milestones/<int:pk>/hold/", views.milestone_hold, name="milestone_hold"),
    path("<slug:code>/registrations/new/", views.registration_create, name="register"),
    path("<slug:code>/registrations/<int:pk>/withdraw/", views.registration_withdraw, name="withdraw"),
]
