"""Load a province's volume into a PostgreSQL database: 100 000 dossiers, by default.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_bench .venv/bin/python bench/volume.py
    … bench/volume.py --reset          # drop the database and load again
    … bench/volume.py --dossiers 20000 # another volume

How (re-runnable: a database that already holds the volume is left as it is):
1. the database is created if missing, migrated, and `seed_demo --force` fills it;
2. templates through the real services (tests/factories.py): for each demo unit a draft, a
   dossier at the first receiving level, one before the council and one awaiting the
   decision, and a dossier of collectives before the council — each with its nominees,
   documents, stage rows, running clock, audit events and viewflow process and tasks;
3. every dossier is then cloned in SQL (INSERT … SELECT over generate_series, in one
   transaction) with its stages, nominees, clocks, viewflow process, tasks and task links,
   each clone with a new reference (`<ref>-<n>`), new ids, and `updated_at` spread over the
   past year so that the list's order is not the insertion order; the registry's entries
   are cloned with new subject keys (other people). Foreign keys between cloned rows are
   remapped (a clone's current stage is its own stage; its task's process its own process).
Documents are cloned as rows (the required ones are there, so the steps' checks pass), not
as files. Not cloned: audit events (their hash chain would not verify) and notices.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kt_bench")

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402

TEMPLATE_UNITS = (
    "th-hop-thanh",
    "mn-xuat-le",
    "tyt-xuat-le",
    "thcs-tan-doan",
    "htx-trang-cac",
    "thpt-chu-van-an",
    "bvdk-tinh",
    "cty-che-lang-son",
)

# (table, its rows of the template dossiers as "t" joined to its parent map "p",
#  {column: map of the table it points to}, {column: SQL expression for the clone})
CLONED = (
    (
        "dossiers_dossier",
        None,
        {"current_stage_id": "dossiers_dossierstage"},
        {
            "reference": "t.reference || '-' || m.k",
            "search_text": "replace(t.search_text, lower(t.reference), "
            "lower(t.reference || '-' || m.k))",
            "updated_at": "t.updated_at - (m.k * interval '317 seconds')",
            "created_at": "t.created_at - (m.k * interval '317 seconds')",
        },
    ),
    ("dossiers_dossierstage", "t.dossier_id = p.old", {"dossier_id": "dossiers_dossier"}, {}),
    (
        "dossiers_nominee",
        "t.dossier_id = p.old",
        {"dossier_id": "dossiers_dossier"},
        {
            "identity_code": "CASE WHEN t.identity_code = '' THEN '' "
            "ELSE left(t.identity_code, 20) || '-' || m.k END",
            # registry.identity.subject_key of the new code (ASCII: upper() agrees)
            "subject_key": "CASE WHEN t.identity_code = '' THEN t.subject_key "
            "ELSE 'id:' || upper(btrim(left(t.identity_code, 20) || '-' || m.k)) END",
        },
    ),
    (
        "dossiers_document",
        "t.dossier_id = p.old",
        {
            "dossier_id": "dossiers_dossier",
            "nominee_id": "dossiers_nominee",
            "superseded_by_id": "dossiers_document",
        },
        # the row only: the clone names a stored file that does not exist (no download)
        {"stored_name": "left(t.stored_name, 52) || '-' || m.k"},
    ),
    (
        "workflow_stagedeadline",
        "t.dossier_id = p.old",
        {"dossier_id": "dossiers_dossier", "stage_id": "dossiers_dossierstage"},
        {},
    ),
    (
        "viewflow_process",
        "t.artifact_object_id = p.old AND t.artifact_content_type_id = {dossier_ct}",
        {"artifact_object_id": "dossiers_dossier"},
        {},
    ),
    ("viewflow_task", "t.process_id = p.old", {"process_id": "viewflow_process"}, {}),
)
PARENT = {
    "dossiers_dossierstage": "dossiers_dossier",
    "dossiers_nominee": "dossiers_dossier",
    "dossiers_document": "dossiers_dossier",
    "workflow_stagedeadline": "dossiers_dossier",
    "viewflow_process": "dossiers_dossier",
    "viewflow_task": "viewflow_process",
}


def ensure_database(url: str, *, reset: bool) -> None:
    cfg = dj_database_url.parse(url)
    admin = dict(
        host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"]
    )
    name = cfg["NAME"]
    if name in ("khenthuong", "test_khenthuong"):
        sys.exit(f"Refusing to load the volume into {name}: use a database of its own.")
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def make_templates() -> int:
    """Dossiers of each kind through the real services; returns how many exist."""
    from core.errors import DomainError
    from dossiers.models import Dossier
    from organisations.models import Organisation
    from tests import factories as f

    makers = (
        ("draft", lambda u: f.make_draft(u, nominees=3)),
        ("appraisal", lambda u: f.submit_and_approve(f.make_draft(u, nominees=3))),
        ("council", lambda u: f.make_dossier_at_council(u, nominees=3)),
        ("decision", lambda u: f.make_dossier_awaiting_decision(u, nominees=3)),
        ("collectives", lambda u: f.make_dossier_at_council(u, "ttldtt", nominees=3)),
    )
    for code in TEMPLATE_UNITS:
        unit = Organisation.objects.get(code=code)
        for label, make in makers:
            try:
                make(unit)
            except (DomainError, AssertionError) as error:
                print(f"  template {label} at {code} skipped: {error}")
    return Dossier.objects.count()


def columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cur.fetchall()]


def clone(cur, copies: int, dossier_ct: int) -> None:
    """Every row of CLONED, `copies` times, in the caller's transaction."""
    for table, _where, _remap, _expr in CLONED:
        cur.execute(f"DROP TABLE IF EXISTS map_{table}")
        seq = f"pg_get_serial_sequence('{table}', 'id')"
        if table == "dossiers_dossier":
            source = (
                f"SELECT t.id AS old, nextval({seq}) AS new, k FROM {table} t "
                f"CROSS JOIN generate_series(1, {copies}) AS k"
            )
        else:
            where = _where.format(dossier_ct=dossier_ct)
            source = (
                f"SELECT t.id AS old, nextval({seq}) AS new, p.k FROM {table} t "
                f"JOIN map_{PARENT[table]} p ON {where}"
            )
        cur.execute(f"CREATE TEMP TABLE map_{table} AS {source}")
        cur.execute(f"CREATE INDEX ON map_{table} (old, k)")
        cur.execute(f"ANALYZE map_{table}")
    for table, _where, remap, expr in CLONED:
        cols = columns(cur, table)
        joins, values = [], []
        for col in cols:
            if col == "id":
                values.append("m.new")
            elif col in remap:
                alias = f"r_{col}"
                joins.append(
                    f"LEFT JOIN map_{remap[col]} {alias} ON {alias}.old = t.{col} "
                    f"AND {alias}.k = m.k"
                )
                values.append(f"COALESCE({alias}.new, t.{col})")
            elif col in expr:
                values.append(expr[col])
            else:
                values.append(f"t.{col}")
        started = time.monotonic()
        cur.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} "
            f"FROM {table} t JOIN map_{table} m ON m.old = t.id {' '.join(joins)}"
        )
        print(f"  {table}: {cur.rowcount} rows cloned ({time.monotonic() - started:.1f} s)")
    # viewflow's task links (task.previous), between the clones' own tasks
    cur.execute(
        "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) "
        "SELECT a.new, b.new FROM viewflow_task_previous l "
        "JOIN map_viewflow_task a ON a.old = l.from_task_id "
        "JOIN map_viewflow_task b ON b.old = l.to_task_id AND b.k = a.k"
    )
    print(f"  viewflow_task_previous: {cur.rowcount} rows cloned")


def clone_registry(cur, copies: int) -> None:
    """The registry's entries, `copies` times over, as other people's (new subject keys)."""
    table = "decisions_registryentry"
    cols = columns(cur, table)
    expr = {
        "id": f"nextval(pg_get_serial_sequence('{table}', 'id'))",
        "subject_key": "left(t.subject_key, 290) || '-' || k",
        "full_name": "left(t.full_name, 245) || ' ' || k",
        "search_name": "left(t.search_name, 245) || ' ' || k",
        "verification_token": "left(t.verification_token, 24) || '-' || k",
        "nominee_id": "NULL",
    }
    values = [expr.get(col, f"t.{col}") for col in cols]
    cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM {table} t "
        f"CROSS JOIN generate_series(1, {copies}) AS k"
    )
    print(f"  {table}: {cur.rowcount} rows cloned")


def counts(cur) -> dict[str, int]:
    found = {}
    for table in (
        "dossiers_dossier",
        "dossiers_nominee",
        "dossiers_dossierstage",
        "workflow_stagedeadline",
        "viewflow_process",
        "viewflow_task",
        "decisions_registryentry",
        "audit_auditevent",
        "notifications_notice",
    ):
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if cur.fetchone()[0]:
            cur.execute(f"SELECT count(*) FROM {table}")
            found[table] = cur.fetchone()[0]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--registry", type=int, default=50_000)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the volume is loaded into PostgreSQL).")
    ensure_database(url, reset=args.reset)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from dossiers.models import Dossier

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    have = Dossier.objects.count()
    if have >= args.dossiers:
        print(f"already loaded: {have} dossiers (use --reset to load again)")
    else:
        if have == 0:
            call_command("seed_demo", force=True, quiet=True)
        templates = make_templates()
        copies = max(0, math.ceil(args.dossiers / templates) - 1)
        print(f"{templates} dossiers through the services; cloning each {copies} times")
        dossier_ct = ContentType.objects.get_for_model(Dossier).pk
        with transaction.atomic(), connection.cursor() as cur:
            clone(cur, copies, dossier_ct)
            cur.execute("SELECT count(*) FROM decisions_registryentry")
            entries = cur.fetchone()[0]
            if entries:
                clone_registry(cur, max(0, math.ceil(args.registry / entries) - 1))
        # The clones bypass the services that keep the statistics' tallies: recount them.
        call_command("rebuild_tallies")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # the visibility map too: index-only scans
    with connection.cursor() as cur:
        for table, n in counts(cur).items():
            print(f"  {table:28} {n:>9}")
    print(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
