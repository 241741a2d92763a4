"""What the database itself enforces about the trail and the records that must not move.

Triggers (installed by audit migration 0002, on PostgreSQL and on SQLite) refuse, even for
the tables' owner:
- any UPDATE, DELETE or TRUNCATE of `audit_auditevent`;
- on an issued decision (`decisions_decision.status = 'issued'`): a change of its number,
  label, issue date, frozen header or status, and its DELETE;
- on the number register (`decisions_registerednumber`): DELETE, and a change of number or
  series (`use` and `note` may change: voiding an unused number);
- TRUNCATE of both decision tables.

The one way past them is a maintenance session, on purpose and visible: on PostgreSQL
`SET khenthuong.maintenance = 'on'` in that session (a custom setting the triggers read,
honoured only for the table's owner: the application role setting it changes nothing),
on SQLite a per-connection flag read through the SQL function `khenthuong_maintenance()`
that the application registers. `maintenance()` below sets either; `manage.py flush` (the
test suite's reset between transactional tests) runs inside it.

On PostgreSQL the application also runs as a role without UPDATE, DELETE or TRUNCATE on the
audit table (`grant_app_role`), so the trigger is the second wall, not the only one.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

from .chain import sha256_hex

MAINTENANCE_GUC = "khenthuong.maintenance"
GUARDED_TABLES = ("audit_auditevent", "decisions_decision", "decisions_registerednumber")
# Any fixed 64-bit key: every audit append in the database queues on it (record_event).
CHAIN_LOCK_KEY = 0x6B68_6175_6469_74  # "khaudit"

PG_INSTALL = r"""
-- Any role may SET a custom setting, so the switch counts only for the table's owner (or a
-- member of the owner's role, or a superuser): the application role cannot lift it.
CREATE OR REPLACE FUNCTION khenthuong_in_maintenance(rel oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('khenthuong.maintenance', true), '') = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = rel), 'USAGE')
$$;

CREATE OR REPLACE FUNCTION khenthuong_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF khenthuong_in_maintenance(TG_RELID) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'SET khenthuong.maintenance = ''on'' in a maintenance session';
END
$$;

CREATE OR REPLACE FUNCTION khenthuong_guard_issued_decision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF khenthuong_in_maintenance(TG_RELID) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION '% refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.status = 'issued' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'an issued decision cannot be deleted (id %)', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.number_id IS DISTINCT FROM OLD.number_id
           OR NEW.label IS DISTINCT FROM OLD.label
           OR NEW.issued_on IS DISTINCT FROM OLD.issued_on
           OR NEW.frozen IS DISTINCT FROM OLD.frozen
           OR NEW.status IS DISTINCT FROM OLD.status THEN
            RAISE EXCEPTION 'an issued decision keeps its number, label, date and header (id %)',
                OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION khenthuong_guard_registered_number() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF khenthuong_in_maintenance(TG_RELID) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'the number register keeps every number: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.number IS DISTINCT FROM OLD.number OR NEW.series_id IS DISTINCT FROM OLD.series_id THEN
        RAISE EXCEPTION 'a registered number keeps its number and series (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION khenthuong_refuse_audit_change();
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION khenthuong_refuse_audit_change();

DROP TRIGGER IF EXISTS issued_decision_frozen ON decisions_decision;
CREATE TRIGGER issued_decision_frozen BEFORE UPDATE OR DELETE ON decisions_decision
    FOR EACH ROW EXECUTE FUNCTION khenthuong_guard_issued_decision();
DROP TRIGGER IF EXISTS decision_no_truncate ON decisions_decision;
CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON decisions_decision
    FOR EACH STATEMENT EXECUTE FUNCTION khenthuong_guard_issued_decision();

DROP TRIGGER IF EXISTS registered_number_kept ON decisions_registerednumber;
CREATE TRIGGER registered_number_kept BEFORE UPDATE OR DELETE ON decisions_registerednumber
    FOR EACH ROW EXECUTE FUNCTION khenthuong_guard_registered_number();
DROP TRIGGER IF EXISTS registered_number_no_truncate ON decisions_registerednumber;
CREATE TRIGGER registered_number_no_truncate BEFORE TRUNCATE ON decisions_registerednumber
    FOR EACH STATEMENT EXECUTE FUNCTION khenthuong_guard_registered_number();
"""

PG_UNINSTALL = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS issued_decision_frozen ON decisions_decision;
DROP TRIGGER IF EXISTS decision_no_truncate ON decisions_decision;
DROP TRIGGER IF EXISTS registered_number_kept ON decisions_registerednumber;
DROP TRIGGER IF EXISTS registered_number_no_truncate ON decisions_registerednumber;
DROP FUNCTION IF EXISTS khenthuong_refuse_audit_change();
DROP FUNCTION IF EXISTS khenthuong_guard_issued_decision();
DROP FUNCTION IF EXISTS khenthuong_guard_registered_number();
DROP FUNCTION IF EXISTS khenthuong_in_maintenance(oid);
"""

# SQLite has no TRUNCATE (Django's flush DELETEs) and no session settings: the triggers
# call khenthuong_maintenance(), registered on every connection below. A connection that
# lacks it (the sqlite3 shell) fails on "no such function": refused all the same.
_SQLITE_OFF = "khenthuong_maintenance() = 0"
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent
    WHEN {_SQLITE_OFF}
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditevent
    WHEN {_SQLITE_OFF}
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS issued_decision_no_delete BEFORE DELETE ON decisions_decision
    WHEN OLD.status = 'issued' AND {_SQLITE_OFF}
    BEGIN SELECT RAISE(ABORT, 'an issued decision cannot be deleted'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS issued_decision_frozen BEFORE UPDATE ON decisions_decision
    WHEN OLD.status = 'issued' AND {_SQLITE_OFF} AND (
        NEW.number_id IS NOT OLD.number_id OR NEW.label IS NOT OLD.label
        OR NEW.issued_on IS NOT OLD.issued_on OR NEW.frozen IS NOT OLD.frozen
        OR NEW.status IS NOT OLD.status)
    BEGIN SELECT RAISE(ABORT, 'an issued decision keeps its number, label, date and header');
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS registered_number_no_delete
    BEFORE DELETE ON decisions_registerednumber WHEN {_SQLITE_OFF}
    BEGIN SELECT RAISE(ABORT, 'the number register keeps every number: DELETE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS registered_number_kept
    BEFORE UPDATE ON decisions_registerednumber
    WHEN {_SQLITE_OFF} AND (NEW.number IS NOT OLD.number OR NEW.series_id IS NOT OLD.series_id)
    BEGIN SELECT RAISE(ABORT, 'a registered number keeps its number and series'); END""",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "audit_no_update",
        "audit_no_delete",
        "issued_decision_no_delete",
        "issued_decision_frozen",
        "registered_number_no_delete",
        "registered_number_kept",
    )
]


def install_guards(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)  # no params: its % are plpgsql's
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def uninstall_guards(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UNINSTALL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UNINSTALL:
            schema_editor.execute(statement)


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """connection_created: give SQLite the functions the chain and the triggers call."""
    if connection is None or connection.vendor != "sqlite":
        return
    wrapper = connection
    raw = connection.connection
    raw.create_function(
        "khenthuong_maintenance",
        0,
        lambda: 1 if getattr(wrapper, "khenthuong_maintenance", False) else 0,
    )
    raw.create_function("khenthuong_sha256", 1, sha256_hex, deterministic=True)


def connect_signals() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="audit.sqlite_functions")
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            register_sqlite_functions(connection=wrapper)


@contextmanager
def maintenance(using: str = "default") -> Iterator[None]:
    """Let the guards above pass for this connection while the block runs.

    For operators' repairs and for `flush` only; every use is deliberate, and on PostgreSQL
    the application role still lacks the privileges (this is the owner's tool).
    """
    wrapper = connections[using]
    if wrapper.vendor == "postgresql":
        with wrapper.cursor() as cursor:
            cursor.execute(f"SET {MAINTENANCE_GUC} = 'on'")
        try:
            yield
        finally:
            with wrapper.cursor() as cursor:
                cursor.execute(f"RESET {MAINTENANCE_GUC}")
    else:
        wrapper.ensure_connection()
        wrapper.khenthuong_maintenance = True
        try:
            yield
        finally:
            wrapper.khenthuong_maintenance = False


@contextmanager
def as_owner(using: str = "default") -> Iterator[bool]:
    """Connect `using` with the owner's credentials (settings.DATABASE_OWNER) for the block.

    Only the role and password are taken from DATABASE_OWNER_URL; the database, host and
    port stay those of DATABASE_URL, so a test database is never swapped for another.
    Yields whether it switched (False: no owner configured, one role does everything).
    """
    owner = getattr(settings, "DATABASE_OWNER", None)
    wrapper = connections[using]
    if not owner or wrapper.vendor != "postgresql":
        yield False
        return
    saved = {key: wrapper.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    wrapper.close()
    wrapper.settings_dict.update(USER=owner.get("USER"), PASSWORD=owner.get("PASSWORD"))
    try:
        yield True
    finally:
        wrapper.close()
        wrapper.settings_dict.update(saved)


def grant_statements(role: str, database: str, quote) -> list[str]:
    """What the application role may do: everything on business tables, only read and
    append on the audit trail, never delete a registered number; nothing on the schema."""
    r = quote(role)
    return [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {r}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {r}",
        f"REVOKE DELETE, TRUNCATE ON decisions_registerednumber FROM {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
    ]
