from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("phieu/", views.ballot_list, name="ballots"),
    path("phien/<int:pk>/", views.meeting_detail, name="meeting"),
    path("phien/<int:pk>/mo/", views.meeting_open, name="open"),
    path("phien/<int:pk>/ket-thuc/", views.meeting_close, name="close"),
    path("phien/<int:pk>/chuong-trinh/", views.agenda, name="agenda"),
    path("phien/<int:pk>/bo-phieu/", views.ballot, name="ballot"),
    path("phien/<int:pk>/bien-ban.docx", views.minutes, name="minutes"),
]
