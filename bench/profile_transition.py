"""One send-to-council at volume, taken apart: every statement with its time, and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_bench .venv/bin/python \
        bench/profile_transition.py [individuals|collectives] [--profile]

Needs the volume (bench/volume.py). Picks a dossier the province's secretariat has accepted
complete (bench_pages' pool, or accepts one), runs `workflow.services.send_to_council` on it
inside a transaction that is rolled back (so the same dossier serves every run), and prints
the statements in order with their milliseconds, the total, and with --profile the
functions that took the most time (cProfile, cumulative). "collectives": a dossier of three
collectives without identity codes, named as the volume's collectives are (the name key is
what eligibility matches them on), made through the services on first use.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kt_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.pages import SECRETARIAT  # noqa: E402

MARK = "profile-transition"  # the title suffix of the dossiers of collectives made here


class Rollback(Exception):
    pass


def collectives_dossier(secretariat) -> int:
    from dossiers.models import Dossier
    from organisations.models import Organisation
    from tests import factories as f
    from workflow import services as transitions
    from workflow.states import DossierStatus

    found = Dossier.objects.filter(
        title__endswith=MARK,
        status__in=[DossierStatus.INTERMEDIATE_APPRAISAL, DossierStatus.PROVINCIAL_APPRAISAL],
    ).first()
    if found is not None:
        dossier = to_province(found)
        if not dossier.current_stage.received_complete_on:
            transitions.accept_dossier(dossier.pk, by=secretariat, received_on=None)
        return dossier.pk
    unit = Organisation.objects.get(code="bvdk-tinh")
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
    dossier = f.make_draft(unit, nominee_fields=fields, year=2024)
    Dossier.objects.filter(pk=dossier.pk).update(title=f"{dossier.title} {MARK}")
    dossier = to_province(f.submit_and_approve(dossier))
    transitions.accept_dossier(dossier.pk, by=secretariat, received_on=None)
    return dossier.pk


def to_province(dossier):
    """Through the intermediate stage (the department: accept, then forward or its council)."""
    from tests import factories as f
    from workflow import services as transitions
    from workflow.states import DossierStatus

    while dossier.status == DossierStatus.INTERMEDIATE_APPRAISAL:
        officer = f.stage_secretariat(dossier)
        transitions.accept_dossier(dossier.pk, by=officer, received_on=None)
        if dossier.current_stage.stage_rules.has_council:
            transitions.send_to_council(dossier.pk, by=officer)
            dossier = f.pass_council(dossier)
        else:
            transitions.forward_dossier(dossier.pk, by=officer)
            dossier = type(dossier).objects.get(pk=dossier.pk)
    return dossier


def individuals_dossier(secretariat) -> int:
    from core.errors import DomainError
    from dossiers.models import Dossier
    from organisations.models import Organisation
    from workflow import services as transitions
    from workflow.states import DossierStatus

    province = Organisation.objects.get(code=SECRETARIAT.split(".")[0])
    base = Dossier.objects.filter(
        status=DossierStatus.PROVINCIAL_APPRAISAL, current_stage__organisation=province
    ).exclude(title__endswith=MARK)
    accepted = base.filter(current_stage__received_complete_on__isnull=False).first()
    if accepted is not None:
        return accepted.pk
    for pk in base.values_list("pk", flat=True)[:50]:
        try:
            transitions.accept_dossier(pk, by=secretariat, received_on=None)
        except DomainError:
            continue
        return pk
    sys.exit("no dossier at the province's appraisal could be accepted")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from workflow import services as transitions

    kind = next((a for a in sys.argv[1:] if not a.startswith("-")), "collectives")
    secretariat = get_user_model().objects.get(username=SECRETARIAT)
    pk = (collectives_dossier if kind == "collectives" else individuals_dossier)(secretariat)
    print(f"dossier {pk} ({kind})")
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    for run in range(3):  # the first run warms caches (content types, rule reads)
        user = get_user_model().objects.get(pk=secretariat.pk)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            try:
                with transaction.atomic():
                    if profiler is not None and run == 2:
                        profiler.enable()
                    transitions.send_to_council(pk, by=user)
                    if profiler is not None:
                        profiler.disable()
                    raise Rollback
            except Rollback:
                pass
        took = (time.perf_counter() - started) * 1000
        print(f"run {run + 1}: {took:.1f} ms, {len(captured)} statements")
    width = int(os.environ.get("SQL_CHARS", "220"))
    for q in captured.captured_queries:
        print(f"  {float(q['time']) * 1000:8.2f} ms  {q['sql'][:width]}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
