"""Log-in, log-in lockout and password change: the account pages of both log-in doors.

Two doors lead in: /dang-nhap/ (everyone) and /quan-tri/login/ (the Django admin). Both are
throttled by django-axes (settings AXES_*), both answer a lockout with `lockout_response`,
and both send a demo account still on the published password to /doi-mat-khau/ first
(`_require_change_if_published`; the redirect itself is config.middleware's).
"""

import math

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from demo.models import DemoAccount
from organisations.demo import DEMO_PASSWORD

from .middleware import PASSWORD_CHANGE_SESSION_KEY, require_password_change


def _require_change_if_published(request: HttpRequest, user, password: str) -> None:
    """After a password log-in: a seeded demo account still on the published password must
    change it before anything else. force_login (the tests) never comes through here."""
    if constant_time_compare(password or "", DEMO_PASSWORD) and (
        DemoAccount.objects.filter(user=user).exists()
    ):
        require_password_change(request)


class LoginView(auth_views.LoginView):
    """/dang-nhap/: Django's log-in, plus the demo password rule."""

    def form_valid(self, form):
        response = super().form_valid(form)
        _require_change_if_published(
            self.request, form.get_user(), form.cleaned_data.get("password", "")
        )
        return response


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """/quan-tri/login/: the admin's own log-in page, plus the demo password rule."""
    response = admin.site.login(request, extra_context)
    if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
        _require_change_if_published(request, request.user, request.POST.get("password", ""))
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """/doi-mat-khau/: Django's password change (old password, new one twice, validators)."""

    template_name = "registration/change_password.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in, ends the others
        self.request.session.pop(PASSWORD_CHANGE_SESSION_KEY, None)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


def cool_off_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return _(
        "Đăng nhập tạm khóa: tài khoản hoặc máy này đã nhập sai mật khẩu %(limit)d lần. "
        "Vui lòng thử lại sau %(minutes)d phút; mỗi lần thử trong thời gian khóa sẽ tính "
        "lại từ đầu."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": cool_off_minutes()}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): the log-in form, HTTP 429, and a
    message naming the wait, on either log-in door."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": lockout_message(),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
