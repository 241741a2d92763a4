from django.urls import path

from . import posting_views, views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tao-moi/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/sua/", views.dossier_edit, name="edit"),
    path("<int:pk>/tai-lieu/", views.upload, name="upload"),
    path("<int:pk>/thao-tac/<slug:action>/", views.act, name="act"),
    path("tai-lieu/<int:pk>/", views.download, name="download"),
    path("tai-lieu/<int:pk>/thay-the/", views.document_replace, name="document_replace"),
    path("tai-lieu/<int:pk>/xoa/", views.document_delete, name="document_delete"),
    path("<int:pk>/nguoi-duoc-de-nghi/dong-moi/", views.nominee_rows, name="nominee_rows"),
    path("<int:pk>/nguoi-duoc-de-nghi/bo-dong/", views.nominee_remove, name="nominee_remove"),
    path("<int:pk>/nguoi-duoc-de-nghi/mau.xlsx", views.nominees_template, name="nominees_template"),
    path("<int:pk>/nguoi-duoc-de-nghi/nhap/", views.nominees_import, name="nominees_import"),
    path("<int:pk>/dieu-kien/", views.eligibility, name="eligibility"),
    path("<int:pk>/cong-khai/", posting_views.posting_page, name="posting"),
]
