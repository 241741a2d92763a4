"""Failure drill (issue 18): the web process killed between commit and publish.

A real gunicorn (tests/deployment/drill.py) serves a unit head approving a dossier. The
process stops right after the transaction commits, before any after-commit callback hands
the notices to Celery (drill_wsgi.py, KT_DRILL_PAUSE_AFTER_COMMIT), and is SIGKILLed there.
The step is done and its notices are rows in the outbox that nobody published; the relay
(beat's `notifications.requeue_stale`) then hands them to a real worker, which sends each
exactly once.
"""

import os
import signal
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from audit.models import AuditEvent
from dossiers.models import Dossier
from notifications import delivery, tasks
from notifications.models import OutboxMessage
from tests import factories as f
from tests.conftest import BROKER_URL, sent_keys, wait_for
from tests.deployment import drill
from workflow import services as transitions
from workflow.states import DossierStatus

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker]


def nothing_stale() -> bool:
    return not delivery.stale(older_than=timedelta(0)).exists()


def test_a_process_killed_after_commit_before_publishing_loses_no_notice(
    demo, celery_worker_process, tmp_path, capsys
):
    unit = demo["th-hop-thanh"]
    actors = f.actors_of(unit.code)
    dossier = f.make_draft(unit)
    transitions.submit_dossier(dossier.pk, by=actors.proposer)
    wait_for(nothing_stale, timeout=120)  # the submission's notices are out
    mail = celery_worker_process.mail
    before = sent_keys(mail)

    marker = tmp_path / "committed"
    server = drill.AppServer(
        settings_module="config.settings.worker_test",  # tasks go to the broker, not eager
        extra_env={
            "CELERY_BROKER_URL": BROKER_URL,
            "KT_DRILL_QUEUE": celery_worker_process.queue_name,
            "KT_DRILL_PAUSE_AFTER_COMMIT": str(marker),
        },
    ).start(tmp_path / "gunicorn.log")
    try:
        session = drill.session_for(actors.unit_head)
        answer = {}
        request = threading.Thread(
            target=lambda: answer.update(
                r=server.post(f"/ho-so/{dossier.pk}/thao-tac/approve_at_unit/", session)
            )
        )
        request.start()
        wait_for(marker.exists, timeout=60)
        os.kill(int(marker.read_text()), signal.SIGKILL)  # the worker process serving it
        request.join(timeout=30)
        assert answer["r"].status == 0  # the browser saw the connection drop, no answer
    finally:
        server.stop()

    # Committed: the step is done, its audit row and its notices are in the database.
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=str(dossier.pk),
        action="approve_at_unit",
    ).exists()
    step = OutboxMessage.objects.filter(dedupe_key__startswith=f"dossier:{dossier.pk}:entered:")
    waiting = {
        f"{pk}:{key}"
        for pk, key in delivery.stale(older_than=timedelta(0)).values_list("pk", "dedupe_key")
    }
    assert waiting
    assert waiting <= {f"{pk}:{key}" for pk, key in step.values_list("pk", "dedupe_key")}
    time.sleep(1)
    assert sent_keys(mail) == before  # never published: nothing reached the worker

    assert tasks.requeue_stale(older_than_seconds=0) == len(waiting)
    wait_for(nothing_stale, timeout=120)
    assert tasks.requeue_stale(older_than_seconds=0) == 0
    broker = redis.Redis.from_url(BROKER_URL)
    wait_for(lambda: broker.llen(celery_worker_process.queue_name) == 0, timeout=60)
    time.sleep(1)
    assert sent_keys(mail) - before == Counter(waiting)  # each notice once

    capsys.readouterr()
    call_command("check_invariants")
    assert "OK 0 violations" in capsys.readouterr().out
