"""API tokens: made and revoked by their user or by an administrator of the user's
organisations; every change audited. The secret leaves the server once, in the answer to
create_token; only its sha256 is stored.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError
from organisations.services import administered_scope

from .models import ApiToken

SECRET_PREFIX = "kt_"  # noqa: S105 -- a marker before the random part, not a secret
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most once a minute per token: a busy system would otherwise
# write a row (and take its lock) on every request.
LAST_USED_RESOLUTION_SECONDS = 60


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; never stored


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _refused_scope() -> DomainError:
    return DomainError(
        "no_permission",
        _("Người dùng: bạn chỉ quản lý khoá API của chính mình hoặc của người bạn quản trị."),
        field="user",
    )


def may_manage_tokens_of(by, user) -> bool:
    """`by` is `user`, or administers **every** organisation `user` has a role in: a token
    carries all of its holder's rights, so an administrator of one of his units must not
    mint one that signs for another body. No operator bypass: `is_superuser` grants no
    business right (docs/architecture.md, "The superuser rule")."""
    if not (by and by.is_authenticated and by.is_active):
        return False
    if by.pk == user.pk:
        return True
    roles = user.memberships.all()
    return roles.exists() and not roles.exclude(organisation__in=administered_scope(by)).exists()


@transaction.atomic
def create_token(*, user, by, name: str) -> NewToken:
    """Make a token for `user`. Side effects: the token row (its digest), an audit row.

    Refused: `by` may not manage `user`'s tokens; no name; too many active tokens.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not may_manage_tokens_of(by, user):
        raise _refused_scope()
    name = (name or "").strip()
    if not name:
        raise DomainError("required", _("Tên khoá: bắt buộc nhập."), field="name")
    if len(name) > 100:
        raise DomainError("too_long", _("Tên khoá: tối đa 100 ký tự."), field="name")
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            "too_many_tokens",
            _("Khoá API: mỗi người dùng có tối đa %(max)s khoá đang dùng; hãy thu hồi bớt.")
            % {"max": MAX_ACTIVE_TOKENS},
            field="name",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=digest_of(secret), created_by=by
    )
    record_event(
        token,
        action="api_token_created",
        actor=by,
        data={"user": user.get_username(), "name": name, "prefix": token.prefix},
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(token_id: int, *, by, reason: str = "") -> ApiToken:
    """Revoke a token: from now on it authenticates nothing. Side effects: revoked_at and
    revoked_by, an audit row. Refused: not the user's nor their administrator's; already
    revoked (a second revocation changes nothing and says so)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
    if not may_manage_tokens_of(by, token.user):
        raise _refused_scope()
    if token.revoked_at is not None:
        raise DomainError("already_revoked", _("Khoá API: khoá này đã bị thu hồi."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        token,
        action="api_token_revoked",
        actor=by,
        reason=reason,
        data={"user": token.user.get_username(), "name": token.name, "prefix": token.prefix},
    )
    return token


def authenticate_secret(secret: str) -> ApiToken | None:
    """The active token whose digest matches `secret` (of an active user), marking its use.

    The lookup is by digest (an index), so no secret is compared character by character.
    """
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
