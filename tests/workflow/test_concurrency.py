"""Simultaneous actors on one dossier: exactly one wins, the rest get a clear conflict."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from core.errors import TransitionRefused
from dossiers.models import Dossier
from tests import factories as f
from workflow import services as transitions
from workflow.states import DossierStatus as S


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_forwards_one_succeeds(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["so-y-te"], "bang-khen-tinh"))
    secretariat = f.user("lang-son.vanphong")
    transitions.accept_dossier(dossier.pk, by=secretariat)
    transitions.send_to_council(dossier.pk, by=secretariat)
    dossier = Dossier.objects.get(pk=dossier.pk)
    chair = f.user("lang-son.chutichhd")
    outcomes = {n.pk: "passed" for n in dossier.active_nominees()}
    before = AuditEvent.objects.for_object(dossier).filter(action="conclude_council").count()

    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            transitions.record_council_result(dossier.pk, by=chair, outcomes=outcomes)
            outcome = "ok"
        except TransitionRefused as error:
            outcome = error.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results.count("ok") == 1
    assert results.count("conflict") == 19
    assert Dossier.objects.get(pk=dossier.pk).status == S.AWAITING_DECISION
    after = AuditEvent.objects.for_object(dossier).filter(action="conclude_council").count()
    assert after - before == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_unit_approvals_one_succeeds(demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    transitions.submit_dossier(dossier.pk, by=f.user("th-hop-thanh.thiduakhenthuong"))
    head = f.user("th-hop-thanh.thutruong")
    barrier = threading.Barrier(20)
    results: list[str] = []

    def attempt():
        try:
            barrier.wait()
            transitions.approve_dossier(dossier.pk, by=head)
            results.append("ok")
        except TransitionRefused as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(results)) == ["conflict", "ok"]
    assert results.count("ok") == 1
    assert AuditEvent.objects.for_object(dossier).filter(action="approve_at_unit").count() == 1
