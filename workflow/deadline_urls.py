from django.urls import path

from . import deadline_views

app_name = "deadlines"
urlpatterns = [
    path("qua-han/", deadline_views.overdue_list, name="overdue"),
]
