"""`Authorization: Token <secret>` for systems; the browser session (with CSRF) for pages'
scripts. A token acts as its user, with exactly that user's roles."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .services import authenticate_secret


class TokenRefused(exceptions.AuthenticationFailed):
    """Keeps its lazy message, so the error reads in both languages (api.errors)."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise TokenRefused(_("Khoá API: tiêu đề Authorization phải có dạng “Token <khoá>”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenRefused(_("Khoá API: không hợp lệ.")) from None
        token = authenticate_secret(secret)
        if token is None:
            raise TokenRefused(
                _("Khoá API: không hợp lệ, đã bị thu hồi, hoặc tài khoản đã bị khoá.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>` (a per-user API token, see docs/api.md)",
        }
