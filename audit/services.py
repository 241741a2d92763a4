"""Writing the audit trail. Called by every service that changes something a user cares about."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .middleware import current_ip
from .models import AuditEvent


def record_event(
    obj: models.Model,
    *,
    action: str,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one audit row about `obj`, inside the caller's transaction."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        ip=current_ip.get(),
        data=data or {},
    )
