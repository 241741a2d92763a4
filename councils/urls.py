from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("phieu/", views.ballot_list, name="ballots"),
    path("phien/<int:pk>/", views.meeting_detail, name="meeting"),
    path("phien/<int:pk>/mo/", views.meeting_open, name="open"),
    path("phien/<int:pk>/ket-thuc/", views.meeting_close, name="close"),
    path("phien/<int:pk>/tien-do/", views.progress, name="progress"),
    path("phien/<int:pk>/nhac-bo-phieu/", views.remind, name="remind"),
    path("phien/<int:pk>/chuong-trinh/", views.agenda, name="agenda"),
    path("phien/<int:pk>/bo-phieu/", views.ballot, name="ballot"),
    path("phien/<int:pk>/bien-ban.docx", views.minutes, name="minutes"),
    path("phien/<int:pk>/y-kien-van-ban/", views.written_opinion, name="written_opinion"),
    path("phien/<int:pk>/khong-bieu-quyet/", views.confirm_recusal, name="confirm_recusal"),
]
