"""The audit trail's hash chain: how one row's link is computed. Pure: no ORM, no clock.

Each row's `hash` is sha256 over its canonical payload, its place in the chain (`seq`) and
the previous row's hash. Changing, removing or inserting any row breaks every later link, so
`manage.py verify_audit` finds the first row that no longer fits.

The payload is canonical JSON (sorted keys, no spaces, UTF-8 as is) of the row's fields in
the form they read back from the database, so a verifier recomputes it from the row alone.
The database computes the same sha256 inside the INSERT (audit.services.record_event):
the message is `payload + "\\n" + seq + "\\n" + prev_hash`, plain text on both sides.
"""

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
# Fields hashed, in the order they are documented (the JSON itself sorts its keys).
HASHED_FIELDS = (
    "at",
    "actor_id",
    "action",
    "content_type_id",
    "object_id",
    "from_state",
    "to_state",
    "reason",
    "ip",
    "data",
)


def normal_ip(value: str | None) -> str | None:
    """The address as PostgreSQL's inet and Python both print it (compressed IPv6)."""
    if not value:
        return None
    return str(ipaddress.ip_address(str(value).split("/")[0]))


def normal_data(value: Any) -> Any:
    """What a JSON column gives back: tuples become lists, keys become strings."""
    return json.loads(json.dumps(value if value is not None else {}))


def payload(fields: dict[str, Any]) -> str:
    """Canonical JSON of the hashed fields; `at` in UTC with microseconds."""
    at: datetime = fields["at"]
    row = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": fields.get("actor_id"),
        "action": fields.get("action") or "",
        "content_type_id": fields["content_type_id"],
        "object_id": str(fields["object_id"]),
        "from_state": fields.get("from_state") or "",
        "to_state": fields.get("to_state") or "",
        "reason": fields.get("reason") or "",
        "ip": normal_ip(fields.get("ip")),
        "data": normal_data(fields.get("data")),
    }
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def message(body: str, seq: int, prev_hash: str) -> str:
    return f"{body}\n{seq}\n{prev_hash}"


def link_hash(body: str, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(message(body, seq, prev_hash).encode("utf-8")).hexdigest()


def sha256_hex(text: str) -> str:
    """The SQL function SQLite is given (PostgreSQL has sha256() built in)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
