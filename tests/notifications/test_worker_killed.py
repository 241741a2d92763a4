"""Failure drill (issue 18): a worker SIGKILLed in the middle of 1 000 deliveries still ends
with exactly one e-mail per notice: none lost, none sent twice."""

import signal
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import transaction

from notifications import delivery, outbox, tasks
from notifications.models import OutboxMessage
from tests.conftest import BROKER_URL, sent_keys, sent_mail, wait_for

NOTICES = 1000
KILL_AFTER = 300  # e-mails sent before the worker is killed


@pytest.fixture
def pause_file(tmp_path, monkeypatch):
    """When this file exists, a worker that starts delivering a notice waits (delivery seam).

    Requested before `celery_worker_process`, so the worker inherits the variable; the file
    is created only when the drill wants the worker caught mid-delivery.
    """
    path = tmp_path / "pause-delivery"
    monkeypatch.setenv(delivery.PAUSE_FILE_ENV, str(path))
    return path


def row_keys(**filters) -> set[str]:
    rows = OutboxMessage.objects.filter(**filters).values_list("pk", "dedupe_key")
    return {f"{pk}:{key}" for pk, key in rows}


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_worker_killed_during_1000_deliveries_loses_none_and_sends_none_twice(
    pause_file, celery_worker_process, django_user_model, capsys
):
    users = django_user_model.objects.bulk_create(
        django_user_model(username=f"can-bo-{i:04d}", email=f"can-bo-{i:04d}@example.vn")
        for i in range(NOTICES)
    )
    with transaction.atomic():  # one INSERT … SELECT; 1 000 delivery tasks after commit
        outbox.enqueue(
            recipients=django_user_model.objects.filter(username__startswith="can-bo-"),
            template="dossier_action_needed",
            dedupe_key="kill-test",
            context={
                "reference": "HS-2027-000001",
                "title": "Đề nghị tặng Bằng khen",
                "status": "Đã tiếp nhận",
                "url": "/ho-so/1/",
            },
        )
    assert OutboxMessage.objects.count() == NOTICES
    mail = celery_worker_process.mail

    wait_for(
        lambda: OutboxMessage.objects.filter(emailed_at__isnull=False).count() >= KILL_AFTER,
        timeout=300,
    )
    pause_file.touch()  # the next delivery to start stops with its row locked
    entered = Path(f"{pause_file}.entered")
    wait_for(entered.exists)
    worker = celery_worker_process.proc
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL

    # At the kill: every e-mail sent is marked sent, once; nothing marked is missing; the
    # notice in flight was neither (its transaction died with the worker's connection).
    sent = row_keys(emailed_at__isnull=False)
    assert KILL_AFTER <= len(sent) < NOTICES
    assert sent_keys(mail) == Counter(sent)

    pause_file.unlink()
    entered.unlink()
    celery_worker_process.start()
    # The killed task's message sits unacknowledged in Redis until its visibility timeout
    # (an hour); the relay hands every unsent notice to the new worker now, beside the
    # delivery tasks still queued: every unsent row has two tasks from here on.
    assert tasks.requeue_stale(older_than_seconds=0) == NOTICES - len(sent)
    wait_for(
        lambda: not OutboxMessage.objects.filter(emailed_at__isnull=True).exists(), timeout=300
    )
    # A second relay finds nothing; then let the queue drain, duplicates included.
    assert tasks.requeue_stale(older_than_seconds=0) == 0
    broker = redis.Redis.from_url(BROKER_URL)
    wait_for(lambda: broker.llen(celery_worker_process.queue_name) == 0, timeout=300)
    time.sleep(2)  # the last task taken from the queue finishes

    keys = sent_keys(mail)
    assert sum(keys.values()) == NOTICES  # 0 lost, 0 duplicated
    assert keys == Counter(row_keys())
    recipients = Counter(str(m["To"]).strip() for m in sent_mail(mail))
    assert recipients == Counter(u.email for u in users)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    call_command("check_invariants")
    assert "OK 0 violations" in capsys.readouterr().out
