"""Registering and managing an organisation's webhook endpoints: one verb each, audited.

Who: the organisation's administrator or its secretariat (codenames `administer`,
`receive_dossier` on it, through organisations.permissions). Refusals raise DomainError
before anything is written.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError
from organisations.models import Organisation
from organisations.permissions import holds, organisations_where, require
from organisations.roles import Perm

from . import addresses
from .delivery import allow_local
from .models import Endpoint, Event, new_secret

MANAGERS = (Perm.ADMINISTER, Perm.RECEIVE_DOSSIER)


def organisations_managed_by(user):
    return organisations_where(user, *MANAGERS)


def may_manage(user, endpoint: Endpoint) -> bool:
    return holds(user, endpoint.organisation_id, *MANAGERS)


def _check_events(events) -> list[str]:
    chosen = [e for e in Event.values if e in set(events or ())]
    if not chosen or len(chosen) != len(set(events)):
        raise DomainError(
            "bad_events",
            _("Sự kiện: chọn ít nhất một sự kiện trong danh sách (chuyển bước, ban hành)."),
            field="events",
        )
    return chosen


def _check_url(url: str) -> str:
    url = (url or "").strip()
    problem = addresses.problem(url, allow_local=allow_local())
    if problem:
        raise DomainError("bad_url", problem, field="url")
    return url


def _locked(endpoint_id: int, by) -> Endpoint:
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint_id)
    require(by, endpoint.organisation_id, *MANAGERS)
    return endpoint


@transaction.atomic
def register_endpoint(
    *,
    by,
    organisation: Organisation,
    url: str,
    events: list[str],
    include_units: bool = True,
    description: str = "",
) -> Endpoint:
    """Register `url` for `organisation`'s dossier events; a fresh secret is generated.

    Side effects: the endpoint, an audit row `webhook_registered` (URL and events; never the
    secret). Refused: no administrator/secretariat right on the organisation, a URL that is
    not https or points inside the network (webhooks.addresses), no known event.
    """
    require(by, organisation, *MANAGERS)
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        url=_check_url(url),
        events=_check_events(events),
        include_units=include_units,
        description=(description or "").strip()[:255],
        created_by=by,
    )
    record_event(
        endpoint,
        action="webhook_registered",
        actor=by,
        data={"organisation": organisation.code, "url": endpoint.url, "events": endpoint.events},
    )
    return endpoint


@transaction.atomic
def rotate_secret(endpoint_id: int, *, by) -> Endpoint:
    """A new secret; the old one stops signing at once. Audit row `webhook_secret_rotated`."""
    endpoint = _locked(endpoint_id, by)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    record_event(endpoint, action="webhook_secret_rotated", actor=by)
    return endpoint


@transaction.atomic
def disable_endpoint(endpoint_id: int, *, by, reason: str = "") -> Endpoint:
    """Stop sending to the endpoint; its pending deliveries are cancelled when next tried.
    Audit row `webhook_disabled`. Idempotent."""
    endpoint = _locked(endpoint_id, by)
    if endpoint.is_active:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        endpoint.save(update_fields=["is_active", "disabled_at"])
        record_event(endpoint, action="webhook_disabled", actor=by, reason=reason)
    return endpoint
