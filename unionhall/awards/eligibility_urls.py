"""URLs of the batch eligibility pages, appended to the awards URLs."""

from django.urls import path

from . import eligibility_views

urlpatterns: list = [
    path("eligibility/", eligibility_views.eligibility_list, name="eligibility"),
    path("eligibility/list.xlsx", eligibility_views.eligibility_export, name="eligibility_export"),
    path("eligibility/nominate/", eligibility_views.eligibility_nominate, name="eligibility_nominate"),
]
