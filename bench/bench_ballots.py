"""Ballots per second when a whole council votes at once, and how long the count takes.

Run on demand (not a test; `make bench` runs every bench/bench_*.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khenthuong \
        .venv/bin/python bench/bench_ballots.py
It creates and drops its own test database (`test_<name>`), gives the commune council of
Xã Hợp Thành MEMBERS voters, puts one dossier with ROUNDS nominees before it, opens the
session and, per nominee, lets every member cast at the same instant (one thread and one
connection each: the receipt's unique insert and the meeting's FOR SHARE lock are what is
measured). Then it closes the session (tally, results, the dossier's transition) and prints
the figures. Threads share one Python core, so the rate is a floor, not a ceiling.
"""

import os
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "50"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    settings.DEBUG = False
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        run()
    finally:
        teardown_databases(old, verbosity=0)


def run() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from councils import services
    from councils.demo import seed_councils
    from councils.models import Council, CouncilMember, NomineeResult
    from dossiers.catalogue import seed_catalogue
    from organisations.demo import seed_organisations
    from organisations.models import Organisation
    from tests import factories as f

    seed_organisations()
    seed_catalogue()
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    have = sum(m.votes() for m in council.members.all())
    for n in range(MEMBERS - have):
        user = get_user_model().objects.create(username=f"bench.member{n:03d}")
        CouncilMember.objects.create(
            council=council, user=user, role="member", starts_on=date(2025, 1, 1)
        )
    voters = [m for m in council.members.select_related("user", "council") if m.votes()]
    unit = Organisation.objects.get(code="th-hop-thanh")
    dossier = f.make_dossier_at_council(unit, level="intermediate", nominees=ROUNDS)
    secretariat = f.user("hop-thanh.vanphong")
    meeting = services.create_meeting(
        council.pk, by=secretariat, title="Bench", scheduled_for=timezone.now()
    )
    services.add_to_agenda(meeting.pk, by=secretariat, dossier_id=dossier.pk)
    services.open_meeting(meeting.pk, by=f.user("hop-thanh.chutichhd"))

    rounds = []
    for nominee in dossier.active_nominees():
        barrier = threading.Barrier(len(voters) + 1)

        def cast(member, nominee_id=nominee.pk, barrier=barrier):
            barrier.wait()
            try:
                services.cast_ballot(
                    meeting.pk, by=member.user, nominee_id=nominee_id, choice="agree"
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=cast, args=(m,)) for m in voters]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        rounds.append(time.perf_counter() - started)

    started = time.perf_counter()
    services.close_meeting(meeting.pk, by=f.user("hop-thanh.chutichhd"))
    close_seconds = time.perf_counter() - started
    counted = sum(NomineeResult.objects.values_list("agree", flat=True))

    ballots = len(voters) * ROUNDS
    print(f"voters: {len(voters)}, nominees: {ROUNDS}, ballots cast: {ballots}, counted: {counted}")
    print(
        f"one council voting at once: median {statistics.median(rounds) * 1000:.0f} ms, "
        f"max {max(rounds) * 1000:.0f} ms per round"
    )
    print(f"throughput: {ballots / sum(rounds):.0f} ballots/s")
    print(f"close (count, results, dossier transition): {close_seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
