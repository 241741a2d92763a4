"""Webhooks through the outbox: a receiver on 127.0.0.1 (the docs' example receiver) gets each
event once, signed, also after it was down for a while; a refused step sends nothing."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import DomainError, TransitionRefused
from tests import factories as f
from tests.webhooks.receiver import Served, free_port, load_example
from webhooks import services, tasks
from webhooks.delivery import MAX_ATTEMPTS, DeliveryFailed, backoff, deliver
from webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint, Event
from workflow import services as transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(settings):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = True


def register(port: int, *, org="lang-son", by="lang-son.quantri", events=None) -> Endpoint:
    from organisations.models import Organisation  # noqa: PLC0415 -- test helper

    return services.register_endpoint(
        by=f.user(by),
        organisation=Organisation.objects.get(code=org),
        url=f"http://127.0.0.1:{port}/khenthuong",
        events=events or [Event.TRANSITION, Event.DECISION_ISSUED],
    )


def accepted(served: Served) -> list[str]:
    return [h["X-Khenthuong-Event-Id"] for h, _b, code in served.requests if code == 204]


def test_each_event_arrives_once_signed_also_after_the_receiver_was_down(
    demo, local, django_capture_on_commit_callbacks
):
    port = free_port()
    endpoint = register(port)
    draft = f.make_draft(demo["th-hop-thanh"])
    actors = f.actors_of("th-hop-thanh")

    # The receiver is down: nothing listens on the port.
    with django_capture_on_commit_callbacks(execute=True):
        transitions.submit_dossier(draft.pk, by=actors.proposer)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.approve_dossier(draft.pk, by=actors.unit_head)
    rows = list(Delivery.objects.filter(endpoint=endpoint).order_by("pk"))
    assert [json.loads(r.body)["data"]["action"] for r in rows] == ["submit", "approve_at_unit"]
    assert {r.status for r in rows} == {DeliveryStatus.PENDING}
    assert [r.attempts for r in rows] == [1, 1]
    assert all("Connection refused" in r.last_error for r in rows), [r.last_error for r in rows]
    assert tasks.retry_due() == 0  # the next attempt waits for its backoff (30 s)

    # It comes back, answering 503 to its first request, then works.
    namespace = load_example(endpoint.secret)
    served = Served(namespace, port, fail_first=1)
    try:
        with time_machine.travel(timezone.now() + timedelta(seconds=31)):
            assert tasks.retry_due() == 2
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            assert tasks.retry_due() == 1  # the row that met the 503
            assert tasks.retry_due() == 0
            assert not any(deliver(r.pk) for r in rows)  # a rerun sends nothing
    finally:
        served.stop()

    events = [json.loads(r.body) for r in rows]
    assert sorted(accepted(served)) == sorted(e["id"] for e in events)  # each once
    assert [e["id"] for e in namespace["handled"]] == accepted(served)
    assert [e["data"]["dossier"]["reference"] for e in namespace["handled"]] == [
        draft.reference
    ] * 2
    for headers, _body, _code in served.requests:
        assert headers["X-Khenthuong-Event"] == Event.TRANSITION
    for row in Delivery.objects.filter(endpoint=endpoint):
        assert row.status == DeliveryStatus.DELIVERED
    log = list(Attempt.objects.filter(delivery__endpoint=endpoint).order_by("at", "pk"))
    codes = sorted((a.delivery_id, a.number, a.status_code) for a in log)
    first, second = rows[0].pk, rows[1].pk
    assert {c[0] for c in codes} == {first, second}
    assert [c[2] for c in codes if c[1] == 1] == [None, None]  # refused connections
    assert sorted(c[2] for c in codes if c[1] > 1) == [204, 204, 503]


def test_a_wrong_signature_is_rejected_by_the_docs_receiver(demo, local):
    port = free_port()
    endpoint = register(port)
    namespace = load_example(endpoint.secret)
    served = Served(namespace, port)
    # The event is signed with another secret than the receiver's (on_commit does not run
    # in this test, so the row waits for the explicit delivery below).
    Endpoint.objects.filter(pk=endpoint.pk).update(secret="not-the-receivers-secret")
    draft = f.make_draft(demo["th-hop-thanh"])
    transitions.submit_dossier(draft.pk, by=f.actors_of("th-hop-thanh").proposer)
    row = Delivery.objects.get(endpoint=endpoint)
    try:
        with pytest.raises(DeliveryFailed, match="HTTP 401"):
            deliver(row.pk)
    finally:
        served.stop()
    assert namespace["handled"] == []
    assert [code for _h, _b, code in served.requests] == [401]
    row.refresh_from_db()
    assert (row.status, row.last_status_code) == (DeliveryStatus.PENDING, 401)


def test_the_docs_verify_accepts_the_senders_signature_and_nothing_else():
    from webhooks import signing  # noqa: PLC0415 -- the sender's side, pure

    verify = load_example("s3cret")["verify"]
    body = b'{"id":"x","type":"dossier.transition"}'
    now = 1796101300
    good = signing.signature("s3cret", 1796101234, body)
    assert verify("s3cret", "1796101234", body, good, now=now)
    assert not verify(
        "s3cret", "1796101234", body, good[:-1] + ("1" if good[-1] == "0" else "0"), now=now
    )
    assert not verify("other", "1796101234", body, good, now=now)  # another secret
    assert not verify("s3cret", "1796101234", body + b" ", good, now=now)  # altered body
    assert not verify("s3cret", "1796101235", body, good, now=now)  # altered timestamp
    assert not verify("s3cret", "1796101234", body, good, now=now + 600)  # replayed late
    assert not verify("s3cret", "", body, good, now=now)


def test_a_refused_step_writes_no_delivery(demo, local):
    register(free_port())
    draft = f.make_draft(demo["th-hop-thanh"])
    with pytest.raises(TransitionRefused):
        transitions.approve_dossier(draft.pk, by=f.actors_of("th-hop-thanh").proposer)
    assert Delivery.objects.count() == 0


def test_only_subscribed_endpoints_above_the_unit_hear_its_dossier(demo, local):
    province = register(free_port(), events=[Event.DECISION_ISSUED])
    commune = register(free_port(), org="hop-thanh", by="hop-thanh.vanphong")
    other = register(free_port(), org="xuat-le", by="xuat-le.vanphong")
    draft = f.make_draft(demo["th-hop-thanh"])
    transitions.submit_dossier(draft.pk, by=f.actors_of("th-hop-thanh").proposer)
    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [commune.pk]
    assert not Delivery.objects.filter(endpoint__in=[province, other]).exists()


def test_after_max_attempts_the_delivery_gives_up(demo, local):
    endpoint = register(free_port())
    draft = f.make_draft(demo["th-hop-thanh"])
    transitions.submit_dossier(draft.pk, by=f.actors_of("th-hop-thanh").proposer)
    row = Delivery.objects.get(endpoint=endpoint)
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(DeliveryFailed, match="Connection"):
            deliver(row.pk, now=now)
        now += backoff(attempt)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        DeliveryStatus.FAILED,
        MAX_ATTEMPTS,
        None,
    )
    assert deliver(row.pk, now=now + timedelta(days=1)) is False


def test_a_disabled_endpoint_gets_nothing_more(demo, local):
    endpoint = register(free_port())
    draft = f.make_draft(demo["th-hop-thanh"])
    transitions.submit_dossier(draft.pk, by=f.actors_of("th-hop-thanh").proposer)
    services.disable_endpoint(endpoint.pk, by=f.user("lang-son.quantri"), reason="Thay hệ thống")
    row = Delivery.objects.get(endpoint=endpoint)
    assert deliver(row.pk, now=timezone.now() + timedelta(hours=1)) is False
    assert Delivery.objects.get(pk=row.pk).status == DeliveryStatus.CANCELLED
    transitions.approve_dossier(draft.pk, by=f.actors_of("th-hop-thanh").unit_head)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_registering_is_for_the_organisations_managers_and_internet_https_only(demo, settings):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = False
    with pytest.raises(DomainError) as refused:
        register(8080)
    assert (refused.value.code, refused.value.field) == ("bad_url", "url")
    with pytest.raises(DomainError) as refused:
        services.register_endpoint(
            by=f.user("lang-son.quantri"),
            organisation=demo["lang-son"],
            url="https://10.0.0.5/hook",
            events=[Event.TRANSITION],
        )
    assert "nội bộ" in str(refused.value)
    with pytest.raises(TransitionRefused):
        register(8080, org="th-hop-thanh", by="th-hop-thanh.thiduakhenthuong")
    assert Endpoint.objects.count() == 0


def test_the_signature_covers_timestamp_and_body():
    from webhooks import signing  # noqa: PLC0415 -- test of a pure module

    body = b'{"id":"x"}'
    mac = signing.signature("s3cret", 1796101234, body)
    assert signing.is_valid("s3cret", timestamp="1796101234", body=body, given=mac, now=1796101300)
    assert not signing.is_valid(
        "s3cret", timestamp="1796101234", body=body + b" ", given=mac, now=1796101300
    )
    assert not signing.is_valid(
        "s3cret", timestamp="1796101234", body=body, given=mac, now=time.time()
    )
