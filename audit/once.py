"""One-time form tokens: a POST that must take effect once, however often it is sent.

Pressing Enter three times on "Tạo hồ sơ" sent three POSTs and made two dossiers. The form
now carries a token the server signed for this user and this form (`issue`); the view spends
it in the same transaction as the work it guards (`spend`), by inserting its key into
`UsedFormToken` (unique). A repeat of the POST finds the key spent and is sent to what the
first one made; a racing repeat waits on the unique key until the first commits, then does
the same. If the work is refused (a DomainError rolls the transaction back), the token is
not spent and the corrected form can be sent again with it.

Tokens are signed, not stored, when the form is shown: a GET writes nothing, and a token
cannot be made up or moved to another user or form. They expire after `MAX_AGE`.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction

from .models import UsedFormToken

SALT = "audit.once"
MAX_AGE = 12 * 3600  # seconds: a form left open overnight is shown again with a new token


class InvalidToken(Exception):
    """Missing, tampered with, expired, or issued to another user or form."""


def issue(*, user, purpose: str) -> str:
    return signing.dumps({"u": user.pk, "p": purpose, "k": secrets.token_hex(16)}, salt=SALT)


def _key(token: str, *, user, purpose: str) -> str:
    try:
        value = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidToken from error
    if not isinstance(value, dict) or value.get("u") != user.pk or value.get("p") != purpose:
        raise InvalidToken
    return str(value.get("k", ""))


def check(token: str, *, user, purpose: str) -> None:
    """Raise InvalidToken unless `token` was issued by `issue` to `user` for `purpose`."""
    _key(token, user=user, purpose=purpose)


@dataclass
class Spent:
    row: UsedFormToken
    first: bool  # False: a repeat; `result` names what the first request made

    @property
    def result(self) -> str:
        return self.row.result

    def fulfil(self, result) -> None:
        """Record what the guarded work made (e.g. the new dossier's id)."""
        self.row.result = str(result)
        self.row.save(update_fields=["result"])


def spend(token: str, *, user, purpose: str) -> Spent:
    """Spend `token` inside the caller's transaction (required: the spend and the work it
    guards commit or roll back together)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("spend must run inside transaction.atomic")
    key = _key(token, user=user, purpose=purpose)
    try:
        with transaction.atomic():  # savepoint: the duplicate's error stays contained
            row = UsedFormToken.objects.create(key=key, purpose=purpose, user=user)
    except IntegrityError:
        return Spent(UsedFormToken.objects.get(key=key), first=False)
    return Spent(row, first=True)
