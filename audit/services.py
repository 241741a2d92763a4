"""Writing the audit trail. Called by every service that changes something a user cares about."""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction
from django.utils import timezone

from . import chain
from .database import CHAIN_LOCK_KEY
from .middleware import current_ip
from .models import AuditEvent

_COLUMNS = (
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


def _digest_sql(vendor: str, text_sql: str) -> str:
    if vendor == "postgresql":
        return f"encode(sha256(convert_to({text_sql}, 'UTF8')), 'hex')"
    return f"khenthuong_sha256({text_sql})"  # registered by audit.database


def record_event(
    obj: models.Model,
    *,
    action: str,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one audit row about `obj`, inside the caller's transaction, chained to the last.

    The link (seq = last + 1, prev_hash = the last row's hash, hash = sha256 of this row's
    canonical payload, seq and prev_hash; audit/chain.py) is computed by the database in the
    INSERT itself, so it reads the chain's end in the same statement that extends it.
    On PostgreSQL concurrent writers first queue on one transaction-scoped advisory lock,
    held to commit: the INSERT, a fresh statement after the wait, sees the previous
    writer's row (a snapshot taken before the wait would not), and two writers never extend
    one end. On SQLite the database file has one writer at a time. The unique `seq` is the
    last guard on both: a fork would be a duplicate key, never two chains.
    One statement more than a plain INSERT on PostgreSQL (the lock), none on SQLite.
    """
    fields = {
        "at": timezone.now(),
        "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(type(obj)).pk,
        "object_id": str(obj.pk),
        "from_state": from_state or "",
        "to_state": to_state or "",
        "reason": reason or "",
        "ip": chain.normal_ip(current_ip.get()),
        "data": chain.normal_data(data or {}),
    }
    body = chain.payload(fields)
    using = "default"
    conn = connections[using]
    vendor = conn.vendor
    meta = AuditEvent._meta
    params = [meta.get_field(name).get_db_prep_save(fields[name], conn) for name in _COLUMNS]
    placeholders = ["%s"] * len(_COLUMNS)
    if vendor == "postgresql":
        placeholders[_COLUMNS.index("ip")] = "CAST(%s AS inet)"
    link_text = "%s || CAST(head.seq + 1 AS TEXT) || %s || head.hash"
    # Only constant column names and placeholders are interpolated; values are parameters.
    sql = (
        "WITH last AS (SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1), "  # noqa: S608
        "head AS (SELECT COALESCE((SELECT seq FROM last), 0) AS seq, "
        "COALESCE((SELECT hash FROM last), %s) AS hash) "
        f"INSERT INTO audit_auditevent ({', '.join(_COLUMNS)}, seq, prev_hash, hash) "
        f"SELECT {', '.join(placeholders)}, head.seq + 1, head.hash, "
        f"{_digest_sql(vendor, link_text)} FROM head "
        "RETURNING id, seq, prev_hash, hash"
    )
    with transaction.atomic(using=using, savepoint=False), conn.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        cursor.execute(sql, [chain.GENESIS, *params, body + "\n", "\n"])
        pk, seq, prev_hash, digest = cursor.fetchone()
    event = AuditEvent(id=pk, seq=seq, prev_hash=prev_hash, hash=digest, **fields)
    event._state.adding = False
    event._state.db = using
    return event


@dataclass(frozen=True)
class ChainReport:
    rows: int
    broken_at: int | None = None  # seq of the first row that does not fit (or is missing)
    problem: str = ""
    last_hash: str = chain.GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, expect: tuple[int, str] | None = None, using: str = "default") -> ChainReport:
    """Walk the whole trail in chain order; the first row whose link does not hold.

    A changed row fails its own hash; a removed row leaves a gap in `seq` (and the next
    row's prev_hash names a hash no row has); an inserted or reordered row fails its
    prev_hash. `expect=(seq, hash)`, a head recorded earlier (e.g. printed by yesterday's
    run), also catches rows cut off the end.
    """
    previous, expected_seq, count = chain.GENESIS, 1, 0
    rows = (
        AuditEvent.objects.using(using)
        .order_by("seq")
        .values("seq", "prev_hash", "hash", *(c for c in _COLUMNS))
        .iterator(chunk_size=2000)
    )
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(count - 1, expected_seq, f"row {expected_seq} is missing", previous)
        if row["prev_hash"] != previous:
            return ChainReport(count - 1, seq, "prev_hash does not name the row before", previous)
        if chain.link_hash(chain.payload(row), seq, previous) != row["hash"]:
            return ChainReport(count - 1, seq, "the row was changed after it was written", previous)
        previous, expected_seq = row["hash"], seq + 1
    if expect is not None:
        seq, digest = expect
        if seq >= expected_seq:
            missing = f"rows from {expected_seq} to {seq} are missing"
            return ChainReport(count, seq, missing, previous)
        stored = AuditEvent.objects.using(using).filter(seq=seq).values_list("hash", flat=True)
        if list(stored) != [digest]:
            return ChainReport(count, seq, "the recorded head is no longer in the chain", previous)
    return ChainReport(count, last_hash=previous)
