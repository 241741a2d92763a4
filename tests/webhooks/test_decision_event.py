"""`decision.issued` reaches the issuer's and the proposing unit's endpoints once, with the
decision's number, in the issuing transaction; a refused issue sends nothing."""

import json
from datetime import date

import pytest

from core.errors import DomainError
from decisions import services as decision_services
from tests import factories as f
from tests.decisions.helpers import decision_for, signing_day, submit
from tests.webhooks.receiver import Served, free_port, load_example
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, Event

pytestmark = pytest.mark.django_db


def test_the_issued_decision_is_one_signed_event_per_endpoint(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = True
    dossier, draft, _clerk = decision_for(demo["th-hop-thanh"], nominees=2)
    port = free_port()
    province = services.register_endpoint(
        by=f.user("lang-son.quantri"),
        organisation=demo["lang-son"],
        url=f"http://127.0.0.1:{port}/hook",
        events=[Event.DECISION_ISSUED],
        include_units=False,  # only the province's own events: its decisions
    )
    namespace = load_example(province.secret)
    served = Served(namespace, port)
    try:
        submit(draft)
        # The signing day is frozen (tests.decisions.helpers); the hand-over after commit
        # runs on that day too, as it would in production right after the issue.
        with signing_day(date(2027, 1, 4)), django_capture_on_commit_callbacks(execute=True):
            decision = decision_services.issue_decision(
                draft.pk, by=f.user("lang-son.lanhdao"), issued_on=date(2027, 1, 4)
            )
    finally:
        served.stop()
    (row,) = Delivery.objects.filter(endpoint=province)
    assert row.status == DeliveryStatus.DELIVERED, (row.attempts, row.last_error)
    (event,) = namespace["handled"]
    assert event["type"] == "decision.issued"
    assert event["data"]["decision"]["label"] == decision.label == "Số: 01/QĐ-UBND"
    assert event["data"]["decision"]["lines"] == 2
    assert event["data"]["dossiers"] == [{"id": dossier.pk, "reference": dossier.reference}]
    assert json.loads(row.body)["id"] == event["id"]


def test_a_refused_issue_writes_no_delivery(demo, settings):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = True
    _dossier, draft, _clerk = decision_for(demo["th-hop-thanh"], nominees=1)
    services.register_endpoint(
        by=f.user("lang-son.quantri"),
        organisation=demo["lang-son"],
        url=f"http://127.0.0.1:{free_port()}/hook",
        events=[Event.DECISION_ISSUED, Event.TRANSITION],
    )
    submit(draft)
    before = Delivery.objects.count()
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError):
        decision_services.issue_decision(
            draft.pk, by=f.user("lang-son.lanhdao"), issued_on=date(2027, 1, 4), external_number=0
        )
    assert Delivery.objects.count() == before
