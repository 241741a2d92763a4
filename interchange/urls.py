from django.urls import path

from . import views

app_name = "interchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhap-khen-thuong/", views.awards_import, name="awards_import"),
    path("nhap-khen-thuong/mau.xlsx", views.awards_template, name="awards_template"),
    path("nhap-don-vi/", views.onboarding, name="onboarding"),
    path("nhap-don-vi/mau.xlsx", views.onboarding_template, name="onboarding_template"),
    path("ho-so/<int:pk>/goi-dien-tu.zip", views.dossier_package, name="dossier_package"),
    path("quyet-dinh/<int:pk>/goi-van-ban.zip", views.decision_package, name="decision_package"),
]
