from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("effective/", views.effective_list, name="effective"),
    path("new/", views.practice_create, name="create"),
    path("<slug:code>/", views.practice_detail, name="detail"),
    path("<slug:code>/edit/", views.practice_edit, name="edit"),
    path("<slug:code>/members/new/", views.member_add, name="member_add"),
    path("<slug:code>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:code>/evaluate/", views.evaluate, name="evaluate"),
    path("<slug:code>/recognise/", views.recognise, name="recognise"),
    path("<slug:code>/discontinue/", views.discontinue, name="discontinue"),
]
