"""Failure drills (issue 18): the broker down during a transition through the page.

The first runs on every database, with the hand-over to Celery replaced by one that raises
what kombu raises; the second is the real thing: a gunicorn whose broker is a closed port,
then a real worker on Redis that the relay feeds. The other drills (docs/deployment.md,
"Failure drills"): tests/notifications/test_worker_killed.py,
tests/deployment/test_killed_before_publish_drill.py,
tests/deployment/test_postgres_restart_drill.py; the restore,
tests/deployment/test_backup_restore.py."""

import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from kombu.exceptions import OperationalError

from dossiers.models import Dossier
from notifications import delivery, tasks
from notifications.models import OutboxMessage
from tests import factories as f
from tests.conftest import BROKER_URL, sent_keys, wait_for
from tests.deployment import drill
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


CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_with_a_real_broker_unreachable_the_app_serves_and_the_relay_delivers_on_its_return(
    demo, celery_worker_process, tmp_path, capsys
):
    unit = demo["th-hop-thanh"]
    actors = f.actors_of(unit.code)
    dossier = f.make_draft(unit)
    transitions.submit_dossier(dossier.pk, by=actors.proposer)
    wait_for(lambda: not delivery.stale(older_than=timedelta(0)).exists(), timeout=120)
    mail = celery_worker_process.mail
    before = sent_keys(mail)

    server = drill.AppServer(
        settings_module="config.settings.worker_test",  # tasks go to the broker, not eager
        extra_env={"CELERY_BROKER_URL": CLOSED_PORT},
    ).start(tmp_path / "gunicorn.log")
    try:
        session = drill.session_for(actors.unit_head)
        started = time.monotonic()
        answer = server.post(f"/ho-so/{dossier.pk}/thao-tac/approve_at_unit/", session)
        took = time.monotonic() - started
        assert answer.status == 302  # the step is done; no 500 for a broker that is down
        assert server.get(answer.location, session).status == 200
        assert server.get("/readyz/").status == 200  # the broker never makes it unready
    finally:
        server.stop()

    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL
    waiting = {
        f"{pk}:{key}"
        for pk, key in delivery.stale(older_than=timedelta(0)).values_list("pk", "dedupe_key")
    }
    assert waiting  # the notices wait in the outbox
    time.sleep(1)
    assert sent_keys(mail) == before

    # The broker is back (beat's relay runs against the real Redis): each notice goes once.
    assert tasks.requeue_stale(older_than_seconds=0) == len(waiting)
    wait_for(lambda: not delivery.stale(older_than=timedelta(0)).exists(), timeout=120)
    broker = redis.Redis.from_url(BROKER_URL)
    wait_for(lambda: broker.llen(celery_worker_process.queue_name) == 0, timeout=60)
    time.sleep(1)
    assert sent_keys(mail) - before == Counter(waiting)
    with capsys.disabled():
        print(f"\napprove_at_unit with the broker unreachable: {took:.1f} s for the request")
    capsys.readouterr()
    call_command("check_invariants")
    assert "OK 0 violations" in capsys.readouterr().out
