from django.urls import path

from . import views

app_name = "orgunits"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("codes/", views.codes_with_children, name="codes_with_children"),
    path("transfer/", views.transfer, name="transfer"),
    path("merge/", views.merge, name="merge"),
    path("dissolve/", views.dissolve, name="dissolve"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/establish/", views.establish, name="establish"),
    path("<str:code>/rename/", views.rename, name="rename"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/split/", views.split, name="split"),
    path("<str:code>/history/", views.history, name="history"),
]
