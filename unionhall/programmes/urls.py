from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<slug:code>/", views.programme_detail, name="detail"),
    path("<slug:code>/edit/", views.programme_edit, name="edit"),
    path("<slug:code>/parties/new/", views.party_add, name="party_add"),
    path("<slug:code>/parties/<slug:unit_code>/lead/", views.party_lead, name="party_lead"),
    path("<slug:code>/parties/<slug:unit_code>/remove/", views.party_remove, name="party_remove"),
    path("<slug:code>/officers/new/", views.officer_add, name="officer_add"),
    path("<slug:code>/officers/<int:pk>/remove/", views.officer_remove, name="officer_remove"),
]
