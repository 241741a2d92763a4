"""Where a page's time goes at volume: database, template, the rest — and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_bench .venv/bin/python \
        bench/profile_pages.py ["page name" ...] [--repeat N] [--profile]

Needs the volume (bench/volume.py). For each page of bench/pages.py (or those named), signs
in as its user through Django's test client with the bench's settings, warms it twice, then
requests it N times (default 20) and prints the median wall time, the median time spent in
SQL (Django's connection wrapper, the round trip included) and in template rendering, and
with --profile the functions that took the most time over the N requests (cProfile).
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kt_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template import base as template_base
    from django.test import Client

    from bench.pages import resolved

    args = sys.argv[1:]
    profile = "--profile" in args
    repeat = 20
    if "--repeat" in args:
        repeat = int(args[args.index("--repeat") + 1])
    names = [a for a in args if not a.startswith("--") and not a.isdigit()]
    pages = [p for p in resolved() if not names or p[0] in names]

    sql = [0.0]

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql[0] += time.perf_counter() - started

    rendering = [0.0]
    depth = [0]
    original_render = template_base.Template.render

    def render(self, context):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                rendering[0] += time.perf_counter() - started

    template_base.Template.render = render
    users = get_user_model().objects
    for name, username, url in pages:
        client = Client()
        client.force_login(users.get(username=username))
        for _ in range(2):
            assert client.get(url).status_code == 200, (name, url)
        walls, sqls, renders = [], [], []
        profiler = cProfile.Profile() if profile else None
        with connection.execute_wrapper(timed):
            for _ in range(repeat):
                sql[0] = rendering[0] = 0.0
                if profiler:
                    profiler.enable()
                started = time.perf_counter()
                client.get(url)
                walls.append(time.perf_counter() - started)
                if profiler:
                    profiler.disable()
                sqls.append(sql[0])
                renders.append(rendering[0])
        wall, db, tpl = (statistics.median(v) * 1000 for v in (walls, sqls, renders))
        print(
            f"{name:32} wall {wall:7.1f} ms  sql {db:6.1f}  template {tpl:6.1f}  "
            f"other {wall - db - tpl:6.1f}  (median of {repeat})"
        )
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(35)
            stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
