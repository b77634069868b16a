"""Signing in (with lock-out) and out, API tokens and their revocation, and creating users;
every step is audited."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from kieumau.accounts import lockout, selectors
from kieumau.accounts.models import ApiToken, Role, User
from kieumau.accounts.scope import NotVisible
from kieumau.core import audit
from kieumau.orgunits.models import OrgUnit


class SignInLocked(Exception):
    """Too many failures for this username from this address; `until` says when it may try
    again."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


class BadCredentials(Exception):
    pass


def sign_in(*, username: str, password: str, ip_address: str | None, request=None) -> User:
    """Check a password, counting failures per username and client address (`lockout`); the
    lock applies even to the right password."""
    shown = username[: lockout.USERNAME_KEY_LENGTH]  # what the audit keeps of a huge name
    until = lockout.locked_until(username=username, address=ip_address)
    if until is not None:
        audit.record(actor=None, action="sign_in.locked", detail={"username": shown},
                     ip_address=ip_address)
        raise SignInLocked(until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        with transaction.atomic():
            lockout.record_failure(username=username, address=ip_address)
            audit.record(actor=None, action="sign_in.failed", detail={"username": shown},
                         ip_address=ip_address)
        raise BadCredentials(username)
    with transaction.atomic():
        lockout.clear(username=username, address=ip_address)
        audit.record(actor=user, action="sign_in", target=user, unit=user.home_unit,
                     ip_address=ip_address)
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: User, ip_address: str | None = None) -> tuple[str, ApiToken]:
    """A new token for `user`: the secret (shown once) and its row."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
        ip_address=ip_address,
    )
    audit.record(actor=user, action="api_token.issued", target=token, ip_address=ip_address)
    return secret, token


def issue_token(*, user: User, ip_address: str | None = None) -> str:
    return issue_api_token(user=user, ip_address=ip_address)[0]


def user_for_token(secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=_digest(secret),
            expires_at__gt=timezone.now(),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken, ip_address: str | None = None) -> None:
    """`actor` revokes one of their own tokens (found through `selectors.own_token_or_404`)."""
    if token.user_id != actor.pk:
        raise NotVisible("not found")
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(actor=actor, action="api_token.revoked", target=token, unit=actor.home_unit,
                     detail={"reason": "revoked"}, ip_address=ip_address)


@transaction.atomic
def revoke_all_tokens(
    *, user: User, actor: User | None, reason: str, ip_address: str | None = None
) -> int:
    """Revoke every token of `user` still in force (sign-out, password change, "revoke all");
    one audit row names them. Returns how many."""
    ids = list(selectors.live_tokens(user).values_list("pk", flat=True))
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    audit.record(actor=actor, action="api_token.revoked_all", target=user, unit=user.home_unit,
                 detail={"reason": reason, "token_ids": ids}, ip_address=ip_address)
    return len(ids)


@transaction.atomic
def sign_out(*, user: User, ip_address: str | None = None) -> None:
    """Signing out of the pages revokes every API token of the user: a token must not outlive
    the person's decision to leave (tools sign in again for a new one)."""
    revoke_all_tokens(user=user, actor=user, reason="sign_out", ip_address=ip_address)
    audit.record(actor=user, action="sign_out", target=user, unit=user.home_unit,
                 ip_address=ip_address)


@transaction.atomic
def create_user(
    *, username: str, password: str, role: str, home_unit: OrgUnit, actor: User | None = None,
    full_name: str = "",
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User(username=username, role=role, home_unit=home_unit, first_name=full_name)
    user.set_password(password)
    user._audit_actor = actor
    user.save()
    return user


@transaction.atomic
def update_user(*, user: User, actor: User | None, **changes) -> User:
    password = changes.pop("password", None)
    for name, value in changes.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    user._audit_actor = actor
    user.save()
    return user
