from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("grants/", views.grants, name="grants"),
    path("grants/<int:pk>/revoke/", views.revoke, name="revoke"),
]
