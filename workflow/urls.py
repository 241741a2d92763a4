"""The workflow's own pages: the task inbox (claim, release) and the overdue stages."""

from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("ho-so/viec-can-lam/", views.inbox, name="inbox"),
    path("ho-so/viec/<int:task_id>/nhan/", views.task_claim, name="task_claim"),
    path("ho-so/viec/<int:task_id>/tra-lai/", views.task_release, name="task_release"),
    path("han-xu-ly/qua-han/", views.overdue_list, name="overdue"),
]
