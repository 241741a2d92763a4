"""The statistics page over 100 000 decided dossiers: how long it answers, and its queries.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_reports \
        .venv/bin/python bench/bench_statistics.py
It creates and drops its own test database (`test_<name>`), loads the demo province and
BENCH_DOSSIERS decided dossiers of one year with reports.demo.build_year (bulk_create: about
1.75 nominees and registry entries per dossier, two or three route stages, one or two
clocks), runs ANALYZE, then asks the page as the provincial secretariat would: the whole
province for the year, one commune, one award form, and the .xlsx export. Each request is
timed cold once and then BENCH_ROUNDS times warm; the figures printed are the median and the
slowest warm request, the number of SQL statements, and the time of the slowest statement.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

COUNT = int(os.environ.get("BENCH_DOSSIERS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
YEAR = 2026


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        run()
    finally:
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
    from django.db import connection
    from django.test import Client

    from dossiers.catalogue import seed_catalogue
    from organisations.demo import seed_organisations
    from organisations.models import Organisation
    from registry.models import RegistryEntry
    from reports.demo import build_year
    from workflow.models import StageDeadline

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
    load = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {built.dossiers} dossiers, {built.nominees} nominees, "
        f"{RegistryEntry.objects.count()} registry entries, "
        f"{StageDeadline.objects.count()} stage clocks in {load:.1f} s",
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
    for name, url, params in cases:
        cold, queries, _slow, _statements = timed(client, url, params)
        warm = [timed(client, url, params) for _ in range(ROUNDS)]
        seconds = [w[0] for w in warm]
        print(
            f"{name:<22} cold {cold * 1000:7.0f} ms · warm median "
            f"{statistics.median(seconds) * 1000:6.0f} ms, max {max(seconds) * 1000:6.0f} ms · "
            f"{queries} queries, slowest statement {max(w[2] for w in warm) * 1000:.0f} ms",
            flush=True,
        )
        if name == "province, year":
            for seconds_taken, sql in warm[-1][3][:4]:
                print(f"    {seconds_taken * 1000:5.0f} ms  {sql[:110]}", flush=True)


if __name__ == "__main__":
    main()
