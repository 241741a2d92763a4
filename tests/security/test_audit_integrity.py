"""Issue 15, trust: the audit trail is a hash chain, and the database refuses to rewrite
history (audit rows, issued decisions, the number register), even for the tables' owner,
unless a maintenance session says so; on PostgreSQL the application's role cannot at all."""

import importlib
import itertools
from io import StringIO
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from audit.chain import GENESIS
from audit.database import maintenance
from audit.middleware import current_ip
from audit.models import AuditEvent
from audit.services import record_event, verify_chain
from decisions import services as decisions
from decisions.models import Decision, RegisteredNumber
from tests import factories as f
from tests.conftest import database_url_for_worker
from tests.decisions.helpers import decision_for, issue

pytestmark = pytest.mark.django_db


def _events(n: int, *, on) -> list[AuditEvent]:
    token = current_ip.set("2001:db8::1")
    try:
        return [
            record_event(
                on, action="probe", actor=on, reason=f"lần {i}", data={"i": i, "t": "Hồ sơ"}
            )
            for i in range(n)
        ]
    finally:
        current_ip.reset(token)


def _verify(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), err.getvalue()
    return 0, out.getvalue()


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_audit_row_is_linked_to_the_one_before(demo):
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    before = AuditEvent.objects.count()
    made = _events(3, on=proposer)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, before + 4))
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert [e.hash for e in made] == [r.hash for r in rows[-3:]]
    assert _verify() == (0, f"OK {before + 3} rows (head {before + 3}:{rows[-1].hash})\n")


def test_verify_audit_names_the_first_changed_row_and_exits_1(demo):
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    events = _events(4, on=proposer)
    with maintenance():
        _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["sửa lén", events[1].pk])
    code, message = _verify()
    assert code == 1
    assert f"BROKEN at row {events[1].seq}: the row was changed" in message


def test_verify_audit_finds_a_removed_row_and_a_cut_tail(demo):
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    events = _events(4, on=proposer)
    head = f"{events[-1].seq}:{events[-1].hash}"
    assert _verify("--expect", head)[0] == 0
    with maintenance():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    # The chain that is left is whole, but the head recorded earlier is gone.
    assert _verify()[0] == 0
    code, message = _verify("--expect", head)
    assert code == 1
    assert f"rows from {events[-1].seq} to {events[-1].seq} are missing" in message
    with maintenance():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, message = _verify()
    assert code == 1
    assert f"BROKEN at row {events[1].seq}: row {events[1].seq} is missing" in message


def test_the_database_refuses_to_update_or_delete_audit_rows(demo):
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    (event,) = _events(1, on=proposer)
    before = list(AuditEvent.objects.values())
    for sql in (
        "UPDATE audit_auditevent SET to_state = 'decided' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, [event.pk])
    assert list(AuditEvent.objects.values()) == before
    assert verify_chain().ok


def test_the_migration_chains_rows_written_before_the_chain(demo):
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    _events(3, on=proposer)
    # Rows as the migration found them: no link yet (seq stays unique, hashes empty).
    with maintenance():
        _raw("UPDATE audit_auditevent SET hash = '', prev_hash = '', seq = seq + 1000000")
    assert not verify_chain().ok
    name = "0002_hash_chain_and_guards"
    migration = importlib.import_module(f"audit.migrations.{name}")
    historical = MigrationLoader(connection).project_state(("audit", name)).apps
    with maintenance(), transaction.atomic():
        migration.chain_existing_rows(historical, SimpleNamespace(connection=connection))
    report = verify_chain()
    assert report.ok
    assert report.rows == AuditEvent.objects.count()


def _issued(demo) -> Decision:
    """A decision issued through the services (drafted, submitted for signature, signed)."""
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    return issue(draft, by=f.user("lang-son.lanhdao"))


def test_an_issued_decision_keeps_its_number_label_and_header(demo):
    decision = _issued(demo)
    before = Decision.objects.values().get(pk=decision.pk)
    for sql in (
        "UPDATE decisions_decision SET label = 'Số: 99/QĐ-UBND' WHERE id = %s",
        "UPDATE decisions_decision SET issued_on = '2027-02-01' WHERE id = %s",
        "UPDATE decisions_decision SET status = 'draft' WHERE id = %s",
        "DELETE FROM decisions_decision WHERE id = %s",
    ):
        with pytest.raises(DatabaseError):
            _raw(sql, [decision.pk])
    assert Decision.objects.values().get(pk=decision.pk) == before
    # What the code does to an issued decision still works: saving it unchanged.
    Decision.objects.get(pk=decision.pk).save()


def test_the_register_keeps_every_number_but_an_unused_one_can_be_voided(demo):
    decision = _issued(demo)
    entry = RegisteredNumber.objects.get(pk=decision.number_id)
    for sql in (
        "UPDATE decisions_registerednumber SET number = 7 WHERE id = %s",
        "DELETE FROM decisions_registerednumber WHERE id = %s",
    ):
        with pytest.raises(DatabaseError):
            _raw(sql, [entry.pk])
    assert RegisteredNumber.objects.get(pk=entry.pk).number == entry.number
    spoiled = decisions.void_number(
        demo["lang-son"].pk, by=f.user("lang-son.vanphong"), year=2027, reason="In hỏng"
    )
    assert RegisteredNumber.objects.get(pk=spoiled.pk).use == "voided"


def _app_connection(role: str = "khenthuong_app"):
    url = database_url_for_worker()
    rest = url.split("@", 1)[-1] if "@" in url else url.removeprefix("postgres://")
    return psycopg.connect(f"postgres://{role}@{rest}", autocommit=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_append_audit_rows_but_never_change_them(demo):
    decision = _issued(demo)
    out = StringIO()
    call_command("grant_app_role", "--role", "khenthuong_app", "--create", stdout=out)
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent" in out.getvalue()
    (event,) = _events(1, on=f.user("th-hop-thanh.thiduakhenthuong"))
    with _app_connection() as app, app.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, action, content_type_id, object_id, from_state,"
            " to_state, reason, data, seq, prev_hash, hash) SELECT now(), 'plain', "
            "content_type_id, object_id, '', '', '', '{}', seq + 1, hash, 'x' "
            "FROM audit_auditevent WHERE id = %s",
            [event.pk],
        )
        cursor.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'plain'")
        assert cursor.fetchone() == (1,)
        for sql in (
            "UPDATE audit_auditevent SET reason = 'x'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
            "DELETE FROM decisions_registerednumber",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute(sql)
        # Any role may SET the maintenance switch; it counts only for the tables' owner.
        cursor.execute("SET khenthuong.maintenance = 'on'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="issued decision"):
            cursor.execute(
                "UPDATE decisions_decision SET label = 'Số: 99/QĐ-UBND' WHERE id = %s",
                [decision.pk],
            )
        # Business tables stay writable.
        cursor.execute("UPDATE decisions_decision SET title = title WHERE id = %s", [decision.pk])
    assert Decision.objects.get(pk=decision.pk).label == decision.label


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_owner_is_refused_too_outside_maintenance(demo):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    (event,) = _events(1, on=f.user("th-hop-thanh.thiduakhenthuong"))
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("TRUNCATE audit_auditevent")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    assert owner
    assert AuditEvent.objects.filter(pk=event.pk, reason="lần 0").exists()
