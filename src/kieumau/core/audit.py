"""Writing the audit trail. Services call `record` inside their own transaction."""

from typing import Any

from django.db import models

from kieumau.core.models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    unit: Any = None,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        unit=unit,
        detail=detail or {},
        ip_address=ip_address,
    )
