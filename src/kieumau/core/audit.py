"""Writing the audit trail. Services call `record` inside their own transaction."""

from typing import Any

from django.db import models

from kieumau.core import bounds
from kieumau.core.models import AuditEvent


def _clipped(value: Any) -> Any:
    """What others typed is kept in the trail only up to a bound (a 50,000-character username
    is evidence enough at 500)."""
    if isinstance(value, str):
        return bounds.clipped(value)
    if isinstance(value, dict):
        return {key: _clipped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clipped(item) for item in value]
    return value


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
        detail=_clipped(detail or {}),
        ip_address=ip_address,
    )
