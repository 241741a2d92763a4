"""Every list, dashboard and inbox page, and the send-to-council POST, served by gunicorn on
the loaded volume, at 2 concurrent clients, beside a bare Django view in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_bench .venv/bin/python bench/bench_pages.py

Needs the volume (bench/volume.py; `make bench` loads it first). The server is
`gunicorn bench.wsgi` — 2 workers × 2 threads (gthread), bench.settings: the development
settings with DEBUG off, CONN_MAX_AGE=60 and the bench-only bare view `/__bench/bare/`
(one row, a small template). Each page is measured for BENCH_SECONDS (default 10) by 2
client processes on keep-alive connections, logged in as the page's user. Prints rps, p50,
p95, p99, queries per request (counted in this process through Django's test client, the
same code) and the ratio of the page's p50 to the bare view's; writes
bench/results/pages.json and bench/results/pages.md.

The POST: the province's secretariat sends a dossier it accepted complete to the council
(`/ho-so/<pk>/thao-tac/send_to_provincial_council/`), each request a new dossier from a pool
prepared here through the services: cloned dossiers of individuals (3 nominees each) and
dossiers of collectives made through the services (3 collectives without identity codes
each, named as the volume's collectives are, one dossier per year).
"""

import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kt_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import requests  # noqa: E402

from bench.pages import SECRETARIAT, resolved  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = 2
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
POOL = int(os.environ.get("BENCH_POST_POOL", "40"))
ACTION = "send_to_provincial_council"


def serve() -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "bench.wsgi", "-k", "gthread", "-w", "2", "--threads", "2",
         "-b", f"127.0.0.1:{PORT}", "--log-level", "warning", "--keep-alive", "30"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )  # fmt: skip
    for _ in range(100):
        try:
            if requests.get(f"{BASE}/healthz/", timeout=1).ok:
                return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def _client(args) -> list[float]:
    """One client: GET `url` (or POST each of `posts`) until the time is up; latencies (ms)."""
    url, cookie, seconds, posts = args
    session = requests.Session()
    session.cookies.set("sessionid", cookie)
    took = []
    if posts is not None:
        for path in posts:
            page = session.get(BASE + path)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if token is None:
                raise SystemExit(f"no form at {path} ({page.status_code})")
            data = {"csrfmiddlewaretoken": token.group(1), "confirm": "on", "reason": ""}
            started = time.perf_counter()
            response = session.post(BASE + path, data=data, allow_redirects=False,
                                    headers={"Referer": BASE + path})  # fmt: skip
            took.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"POST {path}: {response.status_code}")
        return took
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        response = session.get(BASE + url)
        took.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
    return took


def joined(lists) -> list[float]:
    return [value for values in lists for value in values]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def summary(name, took, seconds, queries) -> dict:
    return {
        "page": name,
        "requests": len(took),
        "rps": round(len(took) / seconds, 1),
        "p50": round(statistics.median(took), 1),
        "p95": round(percentile(took, 95), 1),
        "p99": round(percentile(took, 99), 1),
        "queries": queries,
    }


def session_for(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


def queries_of(username: str, url: str, *, post: dict | None = None) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, post) if post is not None else client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured.captured_queries)


def post_pool() -> tuple[list[int], list[int]]:
    """Dossiers the secretariat may send to the council: (individuals, collectives)."""
    from django.contrib.auth import get_user_model

    from core.errors import DomainError
    from dossiers.models import Dossier
    from organisations.models import Organisation
    from tests import factories as f
    from workflow import services as transitions
    from workflow.states import DossierStatus

    secretariat = get_user_model().objects.get(username=SECRETARIAT)
    province = Organisation.objects.get(code=SECRETARIAT.split(".")[0])
    individuals = []
    candidates = Dossier.objects.filter(
        status=DossierStatus.PROVINCIAL_APPRAISAL,
        current_stage__organisation=province,
        current_stage__received_complete_on__isnull=True,  # not accepted by an earlier run
    ).order_by("-pk")
    for pk in candidates.values_list("pk", flat=True)[: POOL * 3]:
        try:
            transitions.accept_dossier(pk, by=secretariat, received_on=None)
        except DomainError:
            continue
        individuals.append(pk)
        if len(individuals) == POOL:
            break
    # Dossiers of collectives without identity codes (matched on their name key), named as
    # the volume's ~10 000 collectives are, from a department whose Bằng khen goes straight
    # to the province; one per year, so that no two propose the same achievement (years an
    # earlier run used are skipped: those dossiers are still open).
    collectives = []
    unit = Organisation.objects.get(code="so-y-te")
    fields = [
        {
            "kind": "collective",
            "full_name": f"Tổ chuyên môn số {i + 1}",
            "organisation_name": unit.name,
            "identity_code": "",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        }
        for i in range(3)
    ]
    taken = set(
        Dossier.objects.filter(
            proposer=unit, nominees__full_name=fields[0]["full_name"]
        ).values_list("year", flat=True)
    )
    for year in [y for y in range(2025, 1950, -1) if y not in taken][: POOL // 4]:
        try:
            draft = f.make_draft(unit, nominee_fields=fields, year=year)
            dossier = f.submit_and_approve(draft)
            if dossier.status != DossierStatus.PROVINCIAL_APPRAISAL:
                print(f"  a dossier of collectives landed in {dossier.status}")
                break
            transitions.accept_dossier(dossier.pk, by=secretariat, received_on=None)
        except DomainError as error:
            print(f"  a dossier of collectives could not be prepared: {error}")
            break
        collectives.append(dossier.pk)
    return individuals, collectives


def main() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the bench measures PostgreSQL).")
    import django

    django.setup()
    from dossiers.models import Dossier

    volume = Dossier.objects.count()
    print(f"{volume} dossiers; {SECONDS:.0f} s a page at {CLIENTS} clients")
    individuals, collectives = post_pool()
    print(f"POST pool: {len(individuals)} individuals, {len(collectives)} collectives")
    pages = resolved()
    cookies = {u: session_for(u) for u in {u for _, u, _ in pages}}
    counted = {(u, p): queries_of(u, p) for _, u, p in pages}
    post_queries = {}
    for pool in (individuals, collectives):
        if pool:
            spare = pool.pop()
            post_queries[id(pool)] = queries_of(
                SECRETARIAT, f"/ho-so/{spare}/thao-tac/{ACTION}/", post={"confirm": "on"}
            )
    server = serve()
    results = []
    try:
        with multiprocessing.Pool(CLIENTS) as clients:
            cookie = next(iter(cookies.values()))
            clients.map(_client, [("/__bench/bare/", cookie, 1, None)] * CLIENTS)  # warm
            took = joined(clients.map(_client, [("/__bench/bare/", cookie, SECONDS, None)] * 2))
            results.append(summary("bare view", took, SECONDS, 1))
            for name, username, path in pages:
                args = (path, cookies[username], SECONDS, None)
                clients.map(_client, [(path, cookies[username], 1, None)] * CLIENTS)  # warm
                took = joined(clients.map(_client, [args] * CLIENTS))
                results.append(summary(name, took, SECONDS, counted[(username, path)]))
            for name, pool in (
                ("POST send to council (individuals)", individuals),
                ("POST send to council (collectives)", collectives),
            ):
                if not pool:
                    continue
                paths = [f"/ho-so/{pk}/thao-tac/{ACTION}/" for pk in pool]
                halves = [paths[0::2], paths[1::2]]
                started = time.monotonic()
                took = joined(
                    clients.map(_client, [(None, cookies[SECRETARIAT], 0, h) for h in halves])
                )
                seconds = time.monotonic() - started
                results.append(summary(name, took, seconds, post_queries[id(pool)]))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    bare = results[0]["p50"]
    for row in results:
        row["x_bare_p50"] = round(row["p50"] / bare, 1)
        row["x_bare_p95"] = round(row["p95"] / results[0]["p95"], 1)
    head = "| page | rps | p50 ms | p95 ms | p99 ms | queries | × bare (p50 / p95) |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['page']} | {r['rps']} | {r['p50']} | {r['p95']} | {r['p99']} | "
            f"{r['queries']} | {r['x_bare_p50']} / {r['x_bare_p95']} |"
        )
    table = "\n".join(lines)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    meta = {
        "dossiers": volume,
        "seconds": SECONDS,
        "clients": CLIENTS,
        "server": "gunicorn bench.wsgi -k gthread -w 2 --threads 2 "
        "(bench.settings: DEBUG off, CONN_MAX_AGE=60, jit=off)",
    }
    (out / "pages.json").write_text(json.dumps({**meta, "results": results}, indent=1))
    (out / "pages.md").write_text(table + "\n")
    print(f"wrote {out / 'pages.json'} and {out / 'pages.md'}")


if __name__ == "__main__":
    main()
