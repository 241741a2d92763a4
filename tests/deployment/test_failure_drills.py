"""Failure drills (issue 18) that run on every database: the broker down during a transition
through the page. The worker SIGKILLed mid-delivery is tests/notifications/test_worker_killed.py
(real worker, PostgreSQL); the restore, tests/deployment/test_backup_restore.py."""

import pytest
from django.core import mail
from django.core.management import call_command
from kombu.exceptions import OperationalError

from dossiers.models import Dossier
from notifications import tasks
from notifications.models import OutboxMessage
from tests import factories as f
from workflow import services as transitions
from workflow.states import DossierStatus

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: on_commit runs for real


def test_with_the_broker_down_a_transition_succeeds_and_its_notices_go_out_when_it_returns(
    demo, client, monkeypatch, capsys
):
    dossier = f.make_draft(demo["th-hop-thanh"])
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    transitions.submit_dossier(dossier.pk, by=proposer)
    mail.outbox.clear()
    sent_before = OutboxMessage.objects.filter(emailed_at__isnull=False).count()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    client.force_login(f.user("th-hop-thanh.thutruong"))
    response = client.post(f"/ho-so/{dossier.pk}/thao-tac/approve_at_unit/", follow=True)

    assert response.status_code == 200  # no 500: the step is done, the notices wait
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL
    waiting = OutboxMessage.objects.filter(emailed_at__isnull=True).count()
    assert waiting > 0
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back: beat's relay hands the rows over again
    assert tasks.requeue_stale(older_than_seconds=0) == waiting
    assert OutboxMessage.objects.filter(emailed_at__isnull=True).count() == 0
    assert len(mail.outbox) == waiting
    assert OutboxMessage.objects.filter(emailed_at__isnull=False).count() > sent_before
    call_command("check_invariants")
    assert "OK 0 violations" in capsys.readouterr().out
