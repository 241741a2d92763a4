from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organisations import views as org_views

admin.site.site_header = "khenthuong – Quản trị"
admin.site.site_title = "khenthuong"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ho-so/", include("dossiers.urls")),
    path("hoi-dong/", include("councils.urls")),
    path("quyet-dinh/", include("decisions.urls")),
    path("quyet-dinh/", include("registry.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("", include("workflow.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
