from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("phong-trao/", views.campaign_list, name="list"),
    path("phong-trao/<int:pk>/", views.campaign_detail, name="detail"),
    path("phong-trao/<int:pk>/bao-cao/", views.campaign_report, name="report"),
    path("phong-trao/<int:pk>/van-ban/", views.campaign_document, name="document"),
    path("phong-trao/<int:pk>/dien-hinh/", views.role_model_flag, name="role_model"),
    path(
        "phong-trao/dien-hinh/<int:pk>/chuyen-giai-doan/",
        views.role_model_advance,
        name="role_model_advance",
    ),
    path("cum-thi-dua/", views.cluster_list, name="clusters"),
    path("cum-thi-dua/<int:pk>/bo-phieu/", views.cluster_vote, name="cluster_vote"),
    path("cum-thi-dua/<int:pk>/de-nghi/", views.cluster_propose, name="cluster_propose"),
    path("cum-thi-dua/<int:pk>/gui/", views.cluster_submit, name="cluster_submit"),
    path("cum-thi-dua/<int:pk>/", views.cluster_detail, name="cluster"),
    path(
        "cum-thi-dua/<int:pk>/cham-diem/<int:member_pk>/<str:round>/",
        views.cluster_score,
        name="score",
    ),
]
