"""API keys of Open311 clients: shown once, stored as SHA-256."""

import hashlib
import secrets

from django.db import transaction

from kieumau.citizens.models import Open311Client
from kieumau.core import audit


@transaction.atomic
def issue_key(*, name: str, actor=None) -> str:
    key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(name=name[:100],
                                          key_digest=hashlib.sha256(key.encode()).hexdigest())
    audit.record(actor=actor, action="citizens.open311_client_created", target=client,
                 detail={"name": client.name})
    return key
