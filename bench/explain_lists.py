"""EXPLAIN ANALYZE of every query the list pages make, on the loaded volume (bench/volume.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_bench .venv/bin/python bench/explain_lists.py

Each page is requested through Django's test client as its user; every SELECT it ran is
explained (ANALYZE, BUFFERS) and the page's slowest queries are printed with their plans,
with a flag where a plan holds a sequential scan of a big table. Writes
bench/results/explain.md (the plans docs/performance.md quotes).
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # as the bench serves: jit off
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kt_bench")

from bench.pages import resolved  # noqa: E402

BIG = (
    "dossiers_dossier",
    "dossiers_nominee",
    "dossiers_dossierstage",
    "viewflow_task",
    "viewflow_process",
    "decisions_registryentry",
)
SHOWN = 3  # slowest queries shown per page


def main_queries() -> str:
    """The list's own queries (the ids up to the cap, then the page's rows), as ListPaginator
    makes them, for the secretariat, the proposer, a search and a deep page."""
    from django.contrib.auth import get_user_model

    from bench.pages import PROPOSER, SECRETARIAT
    from dossiers import listing
    from dossiers.models import Dossier
    from dossiers.queries import dossiers_visible_to

    users = get_user_model().objects
    cases = (
        ("secretariat, page 1", SECRETARIAT, {}, 0),
        ("proposer, page 1", PROPOSER, {}, 0),
        ("proposer, page 500", PROPOSER, {}, 499 * 25),
        ("search + filter", SECRETARIAT, {"q": "nhung 2", "status": "provincial_appraisal"}, 0),
        ("search by reference", SECRETARIAT, {"q": "hs-2026-000004-123"}, 0),
    )
    out = ["# The dossier list's own queries at volume (EXPLAIN ANALYZE)", ""]
    for title, username, cleaned, offset in cases:
        user = users.get(username=username)
        listed = listing.listed_dossiers(user, dossiers_visible_to(user), cleaned)
        capped = listed.values_list("pk", flat=True)[: offset + 25 + listing.COUNT_CAP + 1]
        page_ids = list(capped)[offset : offset + 25]
        for part, query in (
            ("ids up to the cap (the count and the page's ids)", capped),
            ("rows", listing.shaped(Dossier.objects.filter(pk__in=page_ids), cleaned)),
        ):
            plan = query.explain(analyze=True)
            took = re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)
            seq = [t for t in BIG if f"Seq Scan on {t} " in plan]
            line = f"{title}, {part}: {took} ms{'; SEQ SCAN on ' + ', '.join(seq) if seq else ''}"
            print(line)
            out += [f"## {line}", "", "```", plan, "```", ""]
    return "\n".join(out)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    out = ["# EXPLAIN ANALYZE of the list pages' queries", ""]
    users = get_user_model().objects
    for name, username, url in resolved():
        client = Client()
        client.force_login(users.get(username=username))
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        timed = []
        with connection.cursor() as cur:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
                took = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
                timed.append((took, sql, plan))
        timed.sort(key=lambda t: t[0], reverse=True)
        total = sum(t[0] for t in timed)
        seq = [t for t in BIG if any(f"Seq Scan on {t} " in p for _, _, p in timed)]
        line = (
            f"{name}: {len(captured.captured_queries)} queries, {total:.1f} ms in the database"
            f"{'; SEQ SCAN on ' + ', '.join(seq) if seq else ''}"
        )
        print(line)
        out += [f"## {name} (`{url}` as {username})", "", line, ""]
        for took, sql, plan in timed[:SHOWN]:
            print(f"  {took:8.2f} ms  {sql[:150]}")
            out += [f"{took:.2f} ms:", "", "```sql", sql, "```", "", "```", plan, "```", ""]
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "explain.md").write_text("\n".join(out), encoding="utf-8")
    (results / "list-plans.md").write_text(main_queries(), encoding="utf-8")
    print(f"wrote {results / 'explain.md'}")


if __name__ == "__main__":
    main()
