"""The registry's pages, under /quyet-dinh/ (where they were when decisions held them)."""

from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("khen-thuong/", views.registry_search, name="registry"),
    path("khen-thuong/xuat.xlsx", views.registry_export, name="registry_xlsx"),
    path("khen-thuong/<int:pk>/lich-su/", views.person_history, name="person"),
    path("tam-dung-xet/", views.hold_list, name="holds"),
    path("tam-dung-xet/them/", views.hold_add, name="hold_add"),
    path("tam-dung-xet/<int:pk>/cham-dut/", views.hold_clear, name="hold_clear"),
]
