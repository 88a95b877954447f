from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/examine/", views.examine, name="examine"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/recognise/", views.recognise, name="recognise"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/benefits/", views.benefit, name="benefit"),
    path("<int:pk>/transfers/", views.transfer, name="transfer"),
    path("<int:pk>/payments/", views.payment, name="payment"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
