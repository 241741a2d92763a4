from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tao-moi/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/sua/", views.dossier_edit, name="edit"),
    path("<int:pk>/tai-lieu/", views.upload, name="upload"),
    path("<int:pk>/thao-tac/<slug:action>/", views.act, name="act"),
    path("tai-lieu/<int:pk>/", views.download, name="download"),
    path("<int:pk>/dieu-kien/", views.eligibility, name="eligibility"),
]
