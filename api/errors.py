"""One error shape for every refusal of the API:

    {"code": "unmet_conditions", "message": {"vi": "…", "en": "…"}, "field": null,
     "details": [{"vi": "…", "en": "…"}, …]}

Status: a refused transition or a state that forbids the step → 409 (with the unmet
conditions in `details`); input that names a field → 400; no right on an object one can
see → 403; an object one may not see → 404 (its existence is not disclosed); a stale
If-Match → 412. Every view runs in one transaction (ATOMIC_REQUESTS is not on, so the views
open it), so nothing written before a refusal stays.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import DomainError

LANGUAGES = ("vi", "en")
# Refusals about the dossier's (meeting's, decision's) state, not about the input, even when
# the service names a field: the same request may succeed later.
STATE_FIELDS = {"status", None}
FORBIDDEN_CODES = {"no_permission", "not_a_member", "not_signer", "outside_scope"}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"
    default_detail = _(
        "If-Match: đối tượng đã được người khác thay đổi sau lần bạn đọc; hãy đọc lại rồi gửi."
    )


def both(message) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with override(language):
            texts[language] = str(message)
    return texts


def body(code: str, message, *, field: str | None = None, details=()) -> dict:
    return {
        "code": code,
        "message": both(message),
        "field": field,
        "details": [both(d) for d in details],
    }


def domain_status(error: DomainError) -> int:
    if error.code in FORBIDDEN_CODES:
        return status.HTTP_403_FORBIDDEN
    if error.field in STATE_FIELDS or error.code in ("conflict", "unmet_conditions"):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def _flatten(detail, prefix: str = "") -> list[tuple[str | None, object]]:
    """DRF's nested validation errors as (field path, message) pairs: `nominees[2].kind`."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else prefix or name
            pairs += _flatten(value, path)
        return pairs
    if isinstance(detail, list):
        pairs = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            pairs += _flatten(value, f"{prefix}[{index}]" if nested else prefix)
        return pairs
    return [(prefix or None, detail)]


def _message_of(exc: exceptions.APIException):
    """The refusal's text, lazy where it can be so both languages render: our own refusals
    keep theirs (`message`), DRF's carry a lazy default unless given a specific text."""
    own = getattr(exc, "message", None)
    if own is not None:
        return own
    default = getattr(type(exc), "default_detail", None)
    if isinstance(exc.detail, str) and default is not None and str(exc.detail) != str(default):
        return exc.detail
    return default if default is not None else exc.detail


def handle(exc, context):
    """REST framework's EXCEPTION_HANDLER: every refusal in the one shape."""
    if isinstance(exc, DomainError):
        payload = body(exc.code, exc.message, field=exc.field, details=exc.details)
        return Response(payload, status=domain_status(exc))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return Response(
            body("not_found", _("Không tìm thấy, hoặc bạn không có quyền xem.")),
            status=status.HTTP_404_NOT_FOUND,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(
            body("invalid", _("Dữ liệu không hợp lệ."), details=exc.messages),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        # Field messages are DRF's, already in the request's language (Accept-Language).
        pairs = _flatten(exc.detail)
        details = [f"{field}: {message}" if field else str(message) for field, message in pairs]
        payload = body("invalid", _("Dữ liệu không hợp lệ."), field=pairs[0][0] if pairs else None)
        payload["details"] = [{"vi": d, "en": d} for d in details]
        return Response(payload, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response = Response(body(str(code), _message_of(exc)), status=exc.status_code)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    return None
