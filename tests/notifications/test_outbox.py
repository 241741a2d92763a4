"""The outbox: written with the change, delivered once, in the recipient's language."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from notifications import delivery, inbox, outbox, tasks
from notifications.models import Delivery, MessageTemplate, OutboxMessage, Preference

CONTEXT = {
    "reference": "HS-2027-000042",
    "title": "Đề nghị tặng Bằng khen – Tổ Toán & Tin",
    "status": "Chờ quyết định",
    "url": "/ho-so/42/",
}


@pytest.fixture
def an(django_user_model):
    return django_user_model.objects.create_user("nguyen.van.an", email="an@example.vn")


def notify(user, key="k1", template="dossier_action_needed", **extra):
    return outbox.enqueue(
        recipients=[user], template=template, context={**CONTEXT, **extra}, dedupe_key=key
    )


def test_a_notice_is_emailed_after_commit_as_text_and_html_once(
    an, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(an)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["an@example.vn"]
    assert "HS-2027-000042" in sent.subject
    assert "Tổ Toán & Tin" in sent.body  # plain text is not HTML-escaped
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "Tổ Toán &amp; Tin" in html
    row = OutboxMessage.objects.get()
    assert row.emailed_at is not None
    assert delivery.deliver(row.pk) is False  # a second delivery sends nothing
    assert len(mail.outbox) == 1


def test_same_idempotency_key_makes_one_notice(an, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(an)
        assert notify(an) == []
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_notifies_nobody(an, django_capture_on_commit_callbacks):
    def failing_change():
        with transaction.atomic():
            notify(an)
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_change()
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_administrator_template_wins_over_files_and_english_users_get_english(
    an, django_user_model, django_capture_on_commit_callbacks
):
    MessageTemplate.objects.create(
        slug="dossier_action_needed",
        language="vi",
        subject="Việc mới: {{ reference }}",
        body_text="Mời xử lý {{ title }}",
        body_html="<p>Mời xử lý {{ title }}</p>",
    )
    bob = django_user_model.objects.create_user("bob", email="bob@example.org")
    Preference.objects.create(user=bob, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(an)
        notify(bob, template="deadline_reminder", stage="UBND tỉnh", due_on="13/05/2027")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["an@example.vn"].subject == "Việc mới: HS-2027-000042"
    assert by_to["an@example.vn"].body == "Mời xử lý Đề nghị tặng Bằng khen – Tổ Toán & Tin"
    assert "Tổ Toán &amp; Tin" in by_to["an@example.vn"].alternatives[0][0]
    english = by_to["bob@example.org"]
    assert english.subject.startswith("[khenthuong] Reminder")
    assert "13/05/2027" in english.body


def test_a_broker_outage_keeps_the_notice_and_the_relay_delivers_it_later(
    an, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(an)
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(emailed_at=None).count() == 1
    assert tasks.requeue_stale(older_than_seconds=0) == 0  # still down: rows wait

    monkeypatch.undo()
    assert tasks.requeue_stale(older_than_seconds=0) == 1
    assert len(mail.outbox) == 1
    assert tasks.requeue_stale(older_than_seconds=0) == 0


def test_a_failing_mail_server_records_the_attempt_and_leaves_the_notice_unsent(an, settings):
    row = OutboxMessage.objects.create(recipient=an, template="x", context=CONTEXT, dedupe_key="k")
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.EmailBackend"
    with pytest.raises(ConnectionRefusedError):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.emailed_at, row.attempts) == (None, 1)
    assert "refused" in row.last_error


def test_daily_digest_sends_one_mail_instead_of_one_per_notice(
    an, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=an, email=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        notify(an, key="a")
        notify(an, key="b", reference="HS-2027-000043")
    assert mail.outbox == []
    assert delivery.send_daily_digests() == 1
    assert len(mail.outbox) == 1
    assert "HS-2027-000042" in mail.outbox[0].body
    assert "HS-2027-000043" in mail.outbox[0].body
    assert delivery.send_daily_digests() == 0
    assert not OutboxMessage.objects.filter(emailed_at=None).exists()


def test_in_app_digest_shows_notices_from_the_next_day(an):
    Preference.objects.create(user=an, in_app=Delivery.DIGEST)
    row = OutboxMessage.objects.create(recipient=an, template="x", context=CONTEXT, dedupe_key="k")
    assert inbox.unread_count(an) == 0
    OutboxMessage.objects.filter(pk=row.pk).update(created_at=row.created_at - timedelta(days=1))
    assert inbox.unread_count(an) == 1


def test_the_relay_gives_up_on_a_notice_that_failed_every_retry(an):
    OutboxMessage.objects.create(
        recipient=an, template="x", context=CONTEXT, dedupe_key="k", attempts=delivery.MAX_ATTEMPTS
    )
    assert tasks.requeue_stale(older_than_seconds=0) == 0
    assert mail.outbox == []


def test_recipients_given_as_a_query_get_one_notice_each_and_only_once(
    an, django_user_model, django_capture_on_commit_callbacks
):
    binh = django_user_model.objects.create_user("tran.thi.binh", email="binh@example.vn")
    django_user_model.objects.create_user("le.van.cuong", email="cuong@example.vn")
    chosen = django_user_model.objects.filter(username__in=["nguyen.van.an", "tran.thi.binh"])
    with django_capture_on_commit_callbacks(execute=True):
        created = outbox.enqueue(
            recipients=chosen.order_by("-email").distinct(),
            template="dossier_action_needed",
            context=CONTEXT,
            dedupe_key="k-query",
        )
        again = outbox.enqueue(
            recipients=chosen,
            template="dossier_action_needed",
            context=CONTEXT,
            dedupe_key="k-query",
        )
    assert len(created) == 2
    assert again == []
    rows = OutboxMessage.objects.order_by("recipient__username")
    assert [r.recipient for r in rows] == [an, binh]
    assert rows[0].context["title"] == CONTEXT["title"]
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]


def test_the_requeue_command_relays_unsent_notices(an, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    OutboxMessage.objects.create(
        recipient=an, template="dossier_action_needed", context=CONTEXT, dedupe_key="k"
    )
    out = StringIO()
    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    call_command("requeue_stale", "--older-than", "0", stdout=out)
    assert (out.getvalue().strip(), mail.outbox) == ("0", [])
    monkeypatch.undo()
    call_command("requeue_stale", "--older-than", "0", stdout=out)
    assert out.getvalue().split() == ["0", "1"]
    assert len(mail.outbox) == 1
