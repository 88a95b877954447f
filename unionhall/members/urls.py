from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("search/", views.search, name="search"),
    path("new/", views.person_create, name="create"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.person_edit, name="edit"),
    path("<str:code>/join/", views.membership_join, name="join"),
    path("<str:code>/national-id/", views.national_id_reveal, name="reveal"),
    path("<str:code>/memberships/<int:pk>/transfer/", views.membership_transfer, name="transfer"),
    path("<str:code>/memberships/<int:pk>/end/", views.membership_end, name="end"),
    path("<str:code>/memberships/<int:pk>/suspend/", views.membership_suspend, name="suspend"),
    path("<str:code>/memberships/<int:pk>/resume/", views.membership_resume, name="resume"),
    path("<str:code>/memberships/<int:pk>/appoint/", views.officer_appoint, name="appoint"),
    path("<str:code>/terms/<int:pk>/end/", views.officer_end, name="officer_end"),
    path("<str:code>/cards/new/", views.card_issue, name="card_issue"),
    path("<str:code>/cards/<int:card_pk>/status/", views.card_status, name="card_status"),
    path("<str:code>/cards/<int:card_pk>/card.pdf", views.card_pdf, name="card_pdf"),
]
