from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("them/", views.endpoint_add, name="add"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/doi-khoa/", views.endpoint_rotate, name="rotate"),
    path("<int:pk>/ngung/", views.endpoint_disable, name="disable"),
]
