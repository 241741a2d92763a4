from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import accounts, health, passwords
from decisions.verification import verify
from organisations import views as org_views

admin.site.site_header = "khenthuong – Quản trị"
admin.site.site_title = "khenthuong"

urlpatterns = [
    path("", org_views.home, name="home"),
    # For the load balancer and the orchestrator (config/health.py, docs/deployment.md).
    path("healthz/", health.live, name="health_live"),
    path("readyz/", health.ready, name="health_ready"),
    path("dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    # Forgotten password: a one-time link by e-mail (config/passwords.py), which then leads to
    # the same /dat-mat-khau/ pages as the administrator's link.
    path("quen-mat-khau/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    # Public, no log-in: the QR code of a decision or a certificate (decisions.verification).
    path("xac-minh/<str:token>/", verify, name="verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # The one-time link an administrator hands out (organisations/user_admin.py).
    path(
        "dat-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ho-so/", include("dossiers.urls")),
    path("hoi-dong/", include("councils.urls")),
    path("quyet-dinh/", include("decisions.urls")),
    path("quyet-dinh/", include("registry.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("tich-hop/webhook/", include("webhooks.urls")),  # issue 17: signed event deliveries
    path("tich-hop/", include("interchange.urls")),  # issue 17: e-dossier packages, imports
    path("", include("reports.urls")),  # /thong-ke/ and /huong-dan/<role>/
    path("", include("campaigns.urls")),  # /phong-trao/ and /cum-thi-dua/
    path("", include("workflow.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),  # the REST API, its schema and docs (api/urls.py)
    # Before the admin's own: the admin log-in, throttled and with the demo password rule.
    path("quan-tri/login/", accounts.admin_login, name="admin_login"),
    path("quan-tri/", admin.site.urls),
]
