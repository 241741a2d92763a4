"""A worker SIGKILLed in the middle of sending still ends with one e-mail per notice."""

import signal
from pathlib import Path

import pytest
from django.db import transaction

from notifications import delivery, outbox, tasks
from notifications.models import OutboxMessage
from tests.conftest import wait_for


@pytest.fixture
def pause_file(tmp_path, monkeypatch):
    """While this file exists, a worker that starts delivering a notice waits (delivery seam).

    Requested before `celery_worker_process`, so the worker inherits the variable.
    """
    path = tmp_path / "pause-delivery"
    path.touch()
    monkeypatch.setenv(delivery.PAUSE_FILE_ENV, str(path))
    return path


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_worker_killed_mid_delivery_is_replaced_and_each_notice_is_sent_exactly_once(
    pause_file, celery_worker_process, django_user_model
):
    users = [
        django_user_model.objects.create_user(f"can-bo-{i}", email=f"can-bo-{i}@example.vn")
        for i in range(3)
    ]
    with transaction.atomic():
        for user in users:
            outbox.enqueue(
                recipients=[user],
                template="dossier_action_needed",
                dedupe_key=f"kill-test-{user.pk}",
                context={
                    "reference": f"HS-2027-00000{user.pk}",
                    "title": "Đề nghị tặng Bằng khen",
                    "status": "Đã tiếp nhận",
                    "url": "/ho-so/1/",
                },
            )

    entered = Path(f"{pause_file}.entered")
    wait_for(entered.exists)  # the worker holds a notice locked, mid-delivery
    worker = celery_worker_process.proc
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    assert list(celery_worker_process.mail.iterdir()) == []  # it died before sending
    assert OutboxMessage.objects.filter(emailed_at__isnull=False).count() == 0

    pause_file.unlink()
    celery_worker_process.start()
    # The killed task's message sits unacknowledged in Redis until its visibility timeout;
    # the relay hands every unsent notice to the new worker now.
    tasks.requeue_stale(older_than_seconds=0)
    wait_for(lambda: not OutboxMessage.objects.filter(emailed_at__isnull=True).exists())
    # A second relay and the duplicate tasks it makes must not send anything again.
    tasks.requeue_stale(older_than_seconds=0)
    wait_for(lambda: len(list(celery_worker_process.mail.iterdir())) >= 3)

    recipients = []
    for path in celery_worker_process.mail.iterdir():
        text = path.read_text(encoding="utf-8")
        recipients += [u.email for u in users if f"To: {u.email}" in text]
    assert sorted(recipients) == sorted(u.email for u in users)
    assert all(row.attempts == 1 for row in OutboxMessage.objects.all())
