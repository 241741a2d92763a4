"""Webhook events into the outbox: one `Delivery` row per (event, endpoint), in the caller's
transaction; after commit each row's id goes to Celery (`tasks`).

Called where the services already audit a change: `workflow.services._fire` (every
transition of a dossier) and `decisions.services.issue_decision`. A rollback writes and
sends nothing; a broker outage only delays (`tasks.retry_due` relays rows still pending).
Which endpoints: those of the dossier's proposing unit, and of every organisation above it
that asked for its units' events (`Endpoint.include_units`), subscribed to the event.
"""

import json
import uuid
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.commit import after_commit
from organisations.models import Organisation

from . import tasks
from .models import Delivery, Endpoint, Event


def endpoints_for(organisations: Iterable[Organisation], event: str) -> list[Endpoint]:
    """Active endpoints subscribed to `event` for dossiers of `organisations`: one query.

    An organisation's ancestors are the prefixes of its materialised path (treebeard), so
    "this unit or any organisation above it" needs no read of the tree.
    """
    own: set[str] = set()
    above: set[str] = set()
    for org in organisations:
        if org is None:
            continue
        own.add(org.path)
        step = Organisation.steplen
        above |= {org.path[:n] for n in range(step, len(org.path), step)}
    if not own:
        return []
    match = Q(organisation__path__in=own) | Q(
        organisation__path__in=above - own, include_units=True
    )
    return [e for e in Endpoint.objects.filter(match, is_active=True) if event in e.events]


def body_of(event_id: uuid.UUID, event: str, data: dict, *, at) -> str:
    """The JSON sent: the same bytes on every attempt (the signature covers them)."""
    envelope = {"id": str(event_id), "type": event, "created_at": at.isoformat(), "data": data}
    return json.dumps(
        envelope, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def enqueue(*, event: str, organisations: Iterable[Organisation], data: dict) -> list[int]:
    """Write one outbox row per subscribed endpoint for one new event; return their ids.

    One event id for all endpoints (a receiver de-duplicates on it). Rows join the caller's
    transaction; their ids reach Celery only after commit.
    """
    endpoints = endpoints_for(organisations, event)
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    body = body_of(event_id, Event(event).value, data, at=now)
    rows = Delivery.objects.bulk_create(
        Delivery(endpoint=e, event_id=event_id, event=event, body=body, next_attempt_at=now)
        for e in endpoints
    )
    for row in rows:
        after_commit(_send_later, row.pk)
    return [row.pk for row in rows]


# The task is looked up on the module at call time, so a test can replace its `delay`.
def _send_later(pk: int) -> None:
    tasks.deliver_webhook.delay(pk)


def _dossier_facts(dossier) -> dict:
    return {
        "id": dossier.pk,
        "reference": dossier.reference,
        "title": dossier.title,
        "award_code": dossier.award_type.code,
        "year": dossier.year,
        "proposer": dossier.proposer.code,
        "status": dossier.status,
        "url": reverse("dossiers:detail", args=[dossier.pk]),
    }


def dossier_transition(dossier, *, action: str, from_state: str) -> list[int]:
    """The event of one transition of `dossier` (called by workflow.services._fire)."""
    stage = dossier.current_stage
    return enqueue(
        event=Event.TRANSITION,
        organisations=[dossier.proposer],
        data={
            "dossier": _dossier_facts(dossier),
            "action": action,
            "from": from_state,
            "to": dossier.status,
            "stage": stage.organisation.code if stage else "",
        },
    )


def decision_issued(decision, dossiers: Iterable) -> list[int]:
    """The event of an issued decision (called by decisions.services.issue_decision):
    endpoints of the issuer and of every proposing unit whose dossier it decides."""
    dossiers = list(dossiers)
    orgs = {decision.issuer.pk: decision.issuer}
    for dossier in dossiers:
        orgs.setdefault(dossier.proposer_id, dossier.proposer)
    return enqueue(
        event=Event.DECISION_ISSUED,
        organisations=orgs.values(),
        data={
            "decision": {
                "id": decision.pk,
                "label": decision.label,
                "number": decision.number.number if decision.number else None,
                "issued_on": decision.issued_on,
                "issuer": decision.issuer.code,
                "award_code": decision.award_type.code,
                "title": decision.title,
                "lines": decision.lines.count(),
                "url": reverse("decisions:detail", args=[decision.pk]),
            },
            "dossiers": [{"id": d.pk, "reference": d.reference} for d in dossiers],
        },
    )


__all__ = ["decision_issued", "dossier_transition", "endpoints_for", "enqueue"]
