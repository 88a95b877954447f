from django.urls import path

from . import views
from .eligibility_urls import urlpatterns as eligibility_patterns

app_name = "awards"
urlpatterns: list = [
    path("", views.catalogue, name="catalogue"),
    path("types/<slug:code>/", views.award_type_detail, name="award_type"),
    path("nominations/", views.nomination_list, name="nominations"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/check/", views.nomination_check, name="nomination_check"),
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="nomination_approve"),
    path("nominations/<int:pk>/reject/", views.nomination_reject, name="nomination_reject"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("awarded/<int:pk>/revoke/", views.award_revoke, name="award_revoke"),
    path("awarded/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("people/<str:code>/", views.person_history, name="person_history"),
    path("units/<str:code>/", views.unit_history, name="unit_history"),
    *eligibility_patterns,
]
