"""The reminder sweep over 100 000 open deadlines, all due today; then a second sweep.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khenthuong \
        .venv/bin/python bench/bench_sweep.py
It creates and drops its own test database (`test_<name>`), bulk-loads BENCH_DEADLINES
(default 100 000) dossiers, stages and open deadlines spread over every organisation that
has receiving officers, each with its reminder schedule where the due-day reminder fires
today (earlier ones already sent, the escalation tomorrow), then times
`workflow.deadlines.sweep_deadlines(today=…)` twice and prints:
- the first sweep: seconds, reminders claimed, outbox rows written, rows per second;
- the second sweep: seconds and reminders claimed (must be 0) and outbox rows written (0).
E-mail delivery is queued on an in-memory broker, as the worker's job, not timed here.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

COUNT = int(os.environ.get("BENCH_DEADLINES", "100000"))
BATCH = int(os.environ.get("BENCH_BATCH", "0"))  # 0: the beat task's (deadlines.SWEEP_BATCH)


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    from config.celery import app

    settings.DEBUG = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        run()
    finally:
        teardown_databases(old, verbosity=0)


def load(today) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from dossiers.catalogue import seed_catalogue
    from dossiers.models import AwardType, Dossier, DossierStage
    from organisations.demo import seed_organisations
    from organisations.models import Organisation
    from organisations.roles import Perm
    from workflow.models import Reminder, StageDeadline

    seed_organisations()
    seed_catalogue()
    orgs = [
        o
        for o in Organisation.objects.all()
        if get_user_model()
        .objects.filter(
            organisationuserobjectpermission__content_object=o,
            organisationuserobjectpermission__permission__codename=Perm.RECEIVE_DOSSIER,
        )
        .exists()
    ]
    award = AwardType.objects.filter(code="bang-khen-tinh").first()
    creator = get_user_model().objects.filter(is_superuser=False).first()
    started, due = today - timedelta(days=28), today
    chunk = 5000
    for start in range(0, COUNT, chunk):
        n = min(chunk, COUNT - start)
        dossiers = Dossier.objects.bulk_create(
            [
                Dossier(
                    reference=f"BENCH-{start + i:07d}",
                    proposer=orgs[(start + i) % len(orgs)],
                    award_type=award,
                    year=2027,
                    title="Đề nghị tặng Bằng khen (bench)",
                    created_by=creator,
                )
                for i in range(n)
            ]
        )
        stages = DossierStage.objects.bulk_create(
            [
                DossierStage(
                    dossier=d, position=1, tier="provincial", organisation=d.proposer, rules={}
                )
                for d in dossiers
            ]
        )
        deadlines = StageDeadline.objects.bulk_create(
            [
                StageDeadline(
                    stage=s,
                    dossier_id=s.dossier_id,
                    organisation_id=s.organisation_id,
                    round=1,
                    limit_days=20,
                    started_on=started,
                    due_on=due,
                )
                for s in stages
            ]
        )
        sent = today - timedelta(days=5)
        reminders = []
        for dl in deadlines:
            reminders += [
                Reminder(deadline=dl, kind="pct50", fire_on=sent, sent_at=_aware(sent)),
                Reminder(deadline=dl, kind="pct80", fire_on=sent, sent_at=_aware(sent)),
                Reminder(deadline=dl, kind="before1", fire_on=sent, sent_at=_aware(sent)),
                Reminder(deadline=dl, kind="due", fire_on=today),
                Reminder(deadline=dl, kind="overdue", fire_on=today + timedelta(days=1)),
            ]
        Reminder.objects.bulk_create(reminders, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded {COUNT} open deadlines over {len(orgs)} organisations", flush=True)


def _aware(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(7)))


def run() -> None:
    from django.utils import timezone

    from notifications.models import OutboxMessage
    from workflow.deadlines import SWEEP_BATCH, sweep_deadlines

    today = timezone.localdate()
    load(today)
    for label in ("first sweep", "second sweep"):
        before = OutboxMessage.objects.count()
        started = time.perf_counter()
        claimed = sweep_deadlines(today=today, **({"batch_size": BATCH} if BATCH else {}))
        seconds = time.perf_counter() - started
        written = OutboxMessage.objects.count() - before
        rate = f", {claimed / seconds:,.0f} reminders/s" if claimed else ""
        print(
            f"{label}: {seconds:.2f} s, reminders claimed {claimed}, "
            f"outbox rows written {written}{rate} (batch {BATCH or SWEEP_BATCH})",
            flush=True,
        )


if __name__ == "__main__":
    main()
