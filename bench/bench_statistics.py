"""The statistics page over 100 000 decided dossiers: how long it answers, and its queries.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_reports \
        .venv/bin/python bench/bench_statistics.py
It creates and drops its own test database (`test_<name>`), loads the demo province and
BENCH_DOSSIERS decided dossiers of one year with reports.demo.build_year (bulk_create: about
1.75 nominees and registry entries per dossier, two or three route stages, one or two
clocks), runs VACUUM ANALYZE, then asks the page as the provincial secretariat would: the whole
province for the year, one commune, one award form, a date range and the .xlsx export. Each
request is timed cold BENCH_COLD_ROUNDS times (the figures cache emptied before each: reports.cache)
and then BENCH_ROUNDS times warm (the figures kept; the data version read, as on every
request); printed: median and p95 of each, and the SQL statements. Then BENCH_CLIENTS
threads (own client, own connection) ask the five cases in turn for BENCH_SECONDS, warm and
then cold; and the same over HTTP from gunicorn (GUNICORN_WORKERS × 2 threads), warm.
BENCH_KEEPDB=1 keeps the database (`test_<name>`) and its rows for the next run
(load once: ~110-150 s), which then only applies new migrations and measures.
"""

import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

COUNT = int(os.environ.get("BENCH_DOSSIERS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "2"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
YEAR = 2026


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    keep = os.environ.get("BENCH_KEEPDB") == "1"
    if os.environ.get("BENCH_TEST_NAME"):  # the database to create, instead of test_<name>
        connections["default"].settings_dict["TEST"]["NAME"] = os.environ["BENCH_TEST_NAME"]
    # serialized_aliases=[]: no copy of the rows for TransactionTestCase (minutes at 100 000).
    old = setup_databases(verbosity=0, interactive=False, keepdb=keep, serialized_aliases=[])
    try:
        run()
    finally:
        if not keep:
            teardown_databases(old, verbosity=0)


def timed(client, url: str, params: dict) -> tuple[float, int, float, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url, params)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    statements = sorted(
        ((float(q.get("time") or 0), q["sql"]) for q in captured.captured_queries), reverse=True
    )
    slowest = statements[0][0] if statements else 0
    return seconds, len(captured), slowest, statements


def run() -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from dossiers.catalogue import seed_catalogue
    from organisations.demo import seed_organisations
    from organisations.models import Organisation
    from registry.models import AwardTally, RegistryEntry
    from reports.cache import CACHE_ALIAS, data_version
    from reports.demo import build_year
    from workflow.models import ClockTally, StageDeadline

    province = Organisation.objects.filter(code="lang-son").first()
    if province is None or not RegistryEntry.objects.exists():
        seed_organisations()
        seed_catalogue()
        province = Organisation.objects.get(code="lang-son")
        secretariat = get_user_model().objects.get(username="lang-son.vanphong")
        started = time.perf_counter()
        built = build_year(
            province=province,
            year=YEAR,
            dossiers=COUNT,
            audit=False,
            created_by=secretariat,
            until=date(YEAR, 12, 31),
        )
        print(
            f"loaded {built.dossiers} dossiers, {built.nominees} nominees "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    secretariat = get_user_model().objects.get(username="lang-son.vanphong")
    if not AwardTally.objects.exists():  # a database kept from before the tallies
        started = time.perf_counter()
        call_command("rebuild_tallies")
        print(f"tallies rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    print(
        f"{RegistryEntry.objects.count()} registry entries, "
        f"{StageDeadline.objects.count()} stage clocks; tallies: "
        f"{AwardTally.objects.count()} award rows, {ClockTally.objects.count()} clock rows",
        flush=True,
    )

    client = Client()
    client.force_login(secretariat)
    commune = Organisation.objects.get(code="xuat-le")
    cases = [
        ("province, year", "/thong-ke/", {"organisation": province.pk, "year": YEAR}),
        ("one commune, year", "/thong-ke/", {"organisation": commune.pk, "year": YEAR}),
        (
            "province, LĐTT only",
            "/thong-ke/",
            {"organisation": province.pk, "year": YEAR, "award": "ldtt"},
        ),
        (
            "province, date range",
            "/thong-ke/",
            {"organisation": province.pk, "date_from": f"01/04/{YEAR}", "date_to": f"30/09/{YEAR}"},
        ),
        (
            ".xlsx export",
            "/thong-ke/",
            {"organisation": province.pk, "year": YEAR, "format": "xlsx"},
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    version_ms = sorted(_ms(data_version) for _ in range(50))
    print(
        f"data version (one statement, every request): median {version_ms[25]:.1f} ms, "
        f"p95 {nearest(version_ms, 0.95):.1f} ms",
        flush=True,
    )
    print(f"{'':<22} {'cold':>17}   {'warm (kept figures)':>22}   queries cold/warm", flush=True)
    for name, url, params in cases:
        colds = []
        for _ in range(COLD_ROUNDS):
            caches[CACHE_ALIAS].clear()  # nothing kept: the figures are computed
            colds.append(timed(client, url, params))
        warm = [timed(client, url, params) for _ in range(ROUNDS)]
        cold_s = sorted(c[0] * 1000 for c in colds)
        warm_s = sorted(w[0] * 1000 for w in warm)
        print(
            f"{name:<22} p50 {statistics.median(cold_s):5.0f} p95 {nearest(cold_s, 0.95):5.0f} ms"
            f"   p50 {statistics.median(warm_s):5.1f} p95 {nearest(warm_s, 0.95):5.1f} ms"
            f"   {colds[-1][1]}/{warm[-1][1]}",
            flush=True,
        )
        if name == "province, year":
            for seconds_taken, sql in colds[-1][3][:3]:
                print(f"    cold: {seconds_taken * 1000:5.0f} ms  {sql[:100]}", flush=True)
    explain(province)
    concurrent(secretariat, cases)
    served(client, cases, cold=False)
    served(client, cases, cold=True)


def explain(province) -> None:
    """EXPLAIN ANALYZE of the statements that compute the figures of the province's year
    (the tallies' and the open clocks'), with the time each took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.figures import Filters, tallied_award_figures, tallied_stage_figures

    filters = Filters(organisation=province, date_from=date(YEAR, 1, 1), date_to=date(YEAR, 12, 31))
    with CaptureQueriesContext(connection) as captured:
        tallied_award_figures(filters)
        tallied_stage_figures(filters, today=timezone.localdate())
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if "tally" not in sql and "stagedeadline" not in sql:
                continue  # the calendar's entries
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [line for (line,) in cursor.fetchall()]
            print(f"EXPLAIN ANALYZE {sql[:110]}…", flush=True)
            for line in plan[:14] + [p for p in plan[14:] if "Execution Time" in p]:
                print(f"    {line}", flush=True)


def nearest(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    return values[max(0, math.ceil(share * len(values)) - 1)]


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def concurrent(user, cases) -> None:
    """CLIENTS threads (each its own client and database connection, as gunicorn threads)
    ask the cases in turn for SECONDS; the figures are kept (warm), then not (cold)."""
    from django.core.cache import caches
    from django.db import connections
    from django.test import Client

    from reports.cache import CACHE_ALIAS

    def worker(results: list, stop: float, cold: bool) -> None:
        client = Client()
        client.force_login(user)
        i = 0
        try:
            while time.perf_counter() < stop:
                _name, url, params = cases[i % len(cases)]
                i += 1
                if cold:
                    caches[CACHE_ALIAS].clear()
                started = time.perf_counter()
                response = client.get(url, params)
                results.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
        finally:
            connections.close_all()

    warmer = Client()
    warmer.force_login(user)
    for _name, url, params in cases:  # the sequential cold rounds emptied the cache
        assert warmer.get(url, params).status_code == 200
    for label, cold in (("warm", False), ("cold", True)):
        results: list[float] = []
        stop = time.perf_counter() + SECONDS
        threads = [
            threading.Thread(target=worker, args=(results, stop, cold)) for _ in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done = sorted(results)
        print(
            f"{CLIENTS} clients, {label}, the five cases in turn for {SECONDS} s: "
            f"{len(done) / SECONDS:.1f} rps, p50 {statistics.median(done):.1f} ms, "
            f"p95 {nearest(done, 0.95):.1f} ms, p99 {nearest(done, 0.99):.1f} ms",
            flush=True,
        )


def served(client, cases, *, cold: bool) -> None:
    """The same five cases over HTTP from gunicorn (GUNICORN_WORKERS × 2 threads, persistent
    connections, as in issue 18's measures), at CLIENTS concurrent clients. Warm: each worker
    process keeps its own figures (LocMem), so each computes them once before the timing.
    Cold: the server keeps nothing (bench/settings_nocache.py), every request computes."""
    from django.conf import settings
    from django.db import connection

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": _url_of(connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "bench.settings_nocache" if cold else "config.settings.test",
        "CONN_MAX_AGE": "60",
    }
    workers = os.environ.get("GUNICORN_WORKERS", "2")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "-w", workers, "--threads", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    try:
        urls = [
            f"http://127.0.0.1:{port}{url}?{urllib.parse.urlencode(params)}"
            for _n, url, params in cases
        ]
        for _ in range(60):  # the server starting
            try:
                _get(urls[0], cookie)
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(4):  # each worker computes and keeps each case once
            for url in urls:
                _get(url, cookie)
        results: list[float] = []
        stop = time.perf_counter() + SECONDS

        def worker() -> None:
            i = 0
            while time.perf_counter() < stop:
                started = time.perf_counter()
                _get(urls[i % len(urls)], cookie)
                results.append((time.perf_counter() - started) * 1000)
                i += 1

        threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done = sorted(results)
        print(
            f"gunicorn {workers}×2, {CLIENTS} clients over HTTP, {'cold' if cold else 'warm'}, "
            "the five cases in turn "
            f"for {SECONDS} s: {len(done) / SECONDS:.1f} rps, p50 {statistics.median(done):.1f} "
            f"ms, p95 {nearest(done, 0.95):.1f} ms, p99 {nearest(done, 0.99):.1f} ms",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _url_of(name: str) -> str:
    base = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(base._replace(path=f"/{name}"))


def _get(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()
        assert response.status == 200, response.status


if __name__ == "__main__":
    main()
