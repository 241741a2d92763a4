"""Transitions per second through the service functions, beside a raw SQL baseline.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khenthuong \
        .venv/bin/python bench/bench_transitions.py
It creates and drops its own test database (`test_<name>`), then measures for BENCH_SECONDS:
- service: 4 forked processes (Python threads would share one core), each repeatedly
  returning a dossier for supplement and resubmitting it: two transitions through
  workflow.services (row lock, permission and condition checks, FSM, audit row, stage clock,
  outbox notices, viewflow task); delivery is queued, as in production, not run inline;
- raw: 4 processes, each one connection doing the same shape of work in plain SQL per
  transaction (SELECT … FOR UPDATE, UPDATE status, INSERT audit row);
- orm floor: the raw work again, through Django's ORM on the dossier and audit tables
  (select_for_update().get(), queryset update, AuditEvent create): what any Django code
  doing at least that much can reach on this machine;
and prints the rates and the ratios. Goals: service >= 15 % of raw; >= 25 % of the ORM floor
(issue 18).
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
THREADS = 4  # workers on each side


def main() -> None:
    import django

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    settings.DEBUG = False
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        run(connection)
    finally:
        teardown_databases(old, verbosity=0)


def run(connection) -> None:
    from django.db import connection as conn

    from dossiers.catalogue import seed_catalogue
    from organisations.demo import seed_organisations
    from organisations.models import Organisation
    from tests import factories as f
    from workflow import services as transitions

    seed_organisations()
    seed_catalogue()
    unit = Organisation.objects.get(code="so-y-te")
    dossiers = []
    for i in range(THREADS):
        nominee = {
            "kind": "individual",
            "full_name": f"Hoàng Thị Lan {i}",
            "identity_code": f"00118500000{i}",  # one person per dossier (eligibility)
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
        }
        d = f.submit_and_approve(f.make_draft(unit, "bang-khen-tinh", nominee_fields=[nominee]))
        dossiers.append(d.pk)
    proposer = f.user("so-y-te.thiduakhenthuong")
    clerk = f.user("lang-son.vanphong")

    def service_worker(pk, counter, stop):
        # Delivery is the worker's job, not the transaction's: queue it in memory.
        from config.celery import app

        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
        n = 0
        while not stop.is_set():
            transitions.return_for_supplement(pk, by=clerk, reason="Bổ sung biên bản")
            transitions.resubmit_dossier(pk, by=proposer)
            n += 2
        counter.put(n)
        conn.close()

    conn.close()
    rate_service = timed(service_worker, dossiers)

    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id int primary key, status text)")
        cursor.execute(
            "CREATE TABLE bench_audit (id bigserial primary key, row_id int, "
            "from_state text, to_state text, at timestamptz default now())"
        )
        cursor.executemany("INSERT INTO bench_row VALUES (%s, 'a')", [(i,) for i in range(THREADS)])

    def raw_worker(pk, counter, stop):
        import psycopg

        s = conn.settings_dict
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            dbname=s["NAME"],
            autocommit=False,
        ) as db:
            n = 0
            states = ("a", "b")
            while not stop.is_set():
                with db.cursor() as cur:
                    cur.execute("SELECT status FROM bench_row WHERE id = %s FOR UPDATE", (pk,))
                    (current,) = cur.fetchone()
                    new = states[current == "a"]
                    cur.execute("UPDATE bench_row SET status = %s WHERE id = %s", (new, pk))
                    cur.execute(
                        "INSERT INTO bench_audit (row_id, from_state, to_state) "
                        "VALUES (%s, %s, %s)",
                        (pk, current, new),
                    )
                db.commit()
                n += 1
        counter.put(n)

    rate_raw = timed(raw_worker, list(range(THREADS)))

    def orm_worker(pk, counter, stop):
        from django.db import transaction

        from audit.services import record_event
        from dossiers.models import Dossier

        n = 0
        while not stop.is_set():
            with transaction.atomic():
                row = Dossier.objects.select_for_update(of=("self",)).only("status").get(pk=pk)
                new = "b" if row.status == "a" else "a"
                Dossier.objects.filter(pk=pk).update(status=new)
                # Through record_event: an audit row is hash-chained (issue 15), and
                # any audited step, ORM-only or not, pays for the chain's lock and link.
                record_event(row, action="bench", from_state=row.status, to_state=new)
            n += 1
        counter.put(n)
        conn.close()

    conn.close()
    rate_orm = timed(orm_worker, dossiers)
    print(f"service transitions/s: {rate_service:10.1f}  ({THREADS} processes, {SECONDS:.0f} s)")
    print(f"raw SQL transitions/s: {rate_raw:10.1f}  ({THREADS} processes/connections)")
    print(f"ORM floor (raw's work through the ORM)/s: {rate_orm:10.1f}")
    print(f"ratio service/raw:     {rate_service / rate_raw:10.1%}  (goal: >= 15%)")
    print(f"ratio ORM floor/raw:   {rate_orm / rate_raw:10.1%}")
    print(f"ratio service/ORM floor: {rate_service / rate_orm:8.1%}  (goal: >= 25%, issue 18)")


def timed(worker, keys) -> float:
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    counter = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(k, counter, stop)) for k in keys]
    start = time.perf_counter()
    for p in procs:
        p.start()
    time.sleep(SECONDS)
    stop.set()
    total = sum(counter.get(timeout=60) for _ in procs)
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    return total / elapsed


if __name__ == "__main__":
    main()
