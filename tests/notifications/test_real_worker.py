import pytest
from django.db import transaction

from notifications import outbox
from notifications.models import OutboxMessage
from tests.conftest import wait_for


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_real_celery_worker_on_redis_delivers_a_notification(
    celery_worker_process, django_user_model
):
    user = django_user_model.objects.create_user(
        "nguyen.van.an", email="an@example.vn", first_name="An", last_name="Nguyễn Văn"
    )
    with transaction.atomic():
        outbox.enqueue(
            recipients=[user],
            template="dossier_action_needed",
            dedupe_key="worker-test",
            context={
                "reference": "HS-2026-000001",
                "title": "Đề nghị tặng Bằng khen",
                "status": "Chờ quyết định",
                "url": "/ho-so/1/",
            },
        )
    message = OutboxMessage.objects.get(dedupe_key="worker-test")
    wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, emailed_at__isnull=False).exists())
    mails = list(celery_worker_process.mail.iterdir())
    assert len(mails) == 1
    body = mails[0].read_text(encoding="utf-8")
    assert "an@example.vn" in body
    assert "HS-2026-000001" in body
