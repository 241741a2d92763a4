"""Numbering under concurrency, on PostgreSQL: real threads, one connection each."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from decisions import services
from decisions.models import Decision, NumberUse, RegisteredNumber
from dossiers.models import Dossier
from registry.models import RegistryEntry
from tests.factories import make_dossier_awaiting_decision, user
from workflow.states import DossierStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ISSUES = 50


def test_fifty_concurrent_issues_number_1_to_50_without_gap_or_duplicate(demo):
    dossier = make_dossier_awaiting_decision(demo["th-hop-thanh"], nominees=ISSUES)
    secretariat = user("lang-son.vanphong")
    drafts = [
        services.create_draft(demo["lang-son"].pk, by=secretariat, nominee_ids=[pk]).pk
        for pk in dossier.active_nominees().values_list("pk", flat=True)
    ]
    for pk in drafts:  # the signing step: the secretariat submits each draft first
        services.submit_for_signature(pk, by=secretariat)
    today = timezone.localdate()  # a decision bears its real signing date
    barrier = threading.Barrier(ISSUES)
    errors: list[BaseException] = []

    def sign(decision_id: int) -> None:
        try:
            signer = user("lang-son.lanhdao")
            barrier.wait(timeout=60)
            services.issue_decision(decision_id, by=signer, issued_on=today)
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(pk,)) for pk in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    labels = sorted(Decision.objects.filter(pk__in=drafts).values_list("label", flat=True))
    assert labels == sorted(f"Số: {n:02d}/QĐ-UBND" for n in range(1, ISSUES + 1))
    numbers = list(RegisteredNumber.objects.order_by("number").values_list("number", "use"))
    assert numbers == [(n, NumberUse.ISSUED) for n in range(1, ISSUES + 1)]
    assert RegistryEntry.objects.count() == ISSUES
    # the last of the fifty to commit saw every nominee awarded and decided the dossier
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED
