"""The signature of a webhook request. Pure: no ORM, no clock of its own.

X-Khenthuong-Signature = hex(HMAC-SHA256(secret, timestamp + "." + body)), where timestamp is
the X-Khenthuong-Timestamp header (Unix seconds) and body the exact bytes sent. Signing the
timestamp with the body lets a receiver refuse a replayed request (an old timestamp) as well
as a forged or altered one. docs/webhooks.md shows the receiver's side.
"""

import hashlib
import hmac

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def is_valid(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    given: str,
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether `given` signs `timestamp` + body with `secret`, sent at most `tolerance`
    seconds from `now` (compared in constant time)."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent, body), given or "")
