from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke/bieu/<int:pk>/", views.report_form_export, name="report_form"),
    path("huong-dan/", views.guide_index, name="guides"),
    path("huong-dan/<slug:role>/", views.guide, name="guide"),
]
