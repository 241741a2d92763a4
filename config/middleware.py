import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English Windows would show English to a Vietnamese clerk; the product's language is
    Vietnamese by default (LANGUAGE_CODE) and English only on request (the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- Hardening (issue 15): idle sessions, forced password change, no caching of private pages.

PASSWORD_CHANGE_SESSION_KEY = "password_change_required"  # noqa: S105 (a session key name)
LAST_SEEN_SESSION_KEY = "last_seen"
# The last-seen time is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60


def require_password_change(request: HttpRequest) -> None:
    """Hold this session on /doi-mat-khau/ until the password changes.

    The flag is the session's auth hash at log-in (an HMAC of the password hash): once the
    password changes, by /doi-mat-khau/, the admin or another session, the hash moves on and
    the flag no longer holds.
    """
    request.session[PASSWORD_CHANGE_SESSION_KEY] = request.session.get(HASH_SESSION_KEY, "")


class SessionIdleTimeoutMiddleware:
    """Log out a session that made no request for SESSION_IDLE_TIMEOUT seconds (default 8 h).

    An office PC left signed in overnight must not let the next person act as the clerk.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Phiên làm việc đã kết thúc vì không thao tác trong %(hours)s giờ. "
                        "Vui lòng đăng nhập lại."
                    )
                    % {"hours": f"{settings.SESSION_IDLE_TIMEOUT / 3600:g}"},
                )
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """While a session must change its password, every page but a few leads to /doi-mat-khau/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        required = request.session.get(PASSWORD_CHANGE_SESSION_KEY)
        if required is not None:
            if required != request.session.get(HASH_SESSION_KEY, ""):
                request.session.pop(PASSWORD_CHANGE_SESSION_KEY, None)  # changed meanwhile
            elif not self._exempt(request.path_info):
                messages.warning(
                    request,
                    _(
                        "Tài khoản đang dùng mật khẩu mẫu công khai: hãy đổi mật khẩu trước "
                        "khi làm việc."
                    ),
                )
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (
            reverse("password_change"),
            reverse("logout"),
            reverse("admin:password_change"),
            reverse("admin:logout"),
            "/i18n/",
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(allowed)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every signed-in page and every file download.

    A shared office PC or a proxy must not keep a dossier page, a council ballot or a
    downloaded minutes file after the clerk has gone: the back button after log-out, or the
    next user of the browser, would show it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        download = isinstance(response, FileResponse | StreamingHttpResponse) or (
            response.get("Content-Disposition", "").lower().startswith("attachment")
        )
        user = getattr(request, "user", None)
        if download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
