"""Reads about accounts, each taking the user: a person sees only their own tokens."""

from django.db.models import QuerySet
from django.utils import timezone

from kieumau.accounts.models import ApiToken, User
from kieumau.accounts.scope import NotVisible

_MAX_ID = 2**63 - 1


def live_tokens(user: User) -> QuerySet[ApiToken]:
    """The user's tokens still in force (neither expired nor revoked), newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def own_token_or_404(user: User, token_id: int) -> ApiToken:
    """One of the user's live tokens; someone else's, a revoked one and a missing one alike raise
    `NotVisible` (404)."""
    if not 0 < token_id <= _MAX_ID:
        raise NotVisible("not found")
    try:
        return live_tokens(user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise NotVisible("not found") from None
