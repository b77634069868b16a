"""Scope-matrix entries of the account area: a person sees and revokes only their own API tokens;
someone else's token answers 404, like one that does not exist."""

from tests.test_scope_matrix import ALL_USERS, Ctx, Probe, entry, everyone


def tokens(ctx: Ctx) -> dict:
    """One live token per shared user, issued through the service, built once per Ctx."""
    if "tokens" not in ctx.__dict__:
        from kieumau.accounts.services import issue_api_token

        ctx.__dict__["tokens"] = {
            user: issue_api_token(user=getattr(ctx.users, user))[1] for user in ALL_USERS
        }
    return ctx.__dict__["tokens"]


def _revoking(ctx: Ctx, method: str, url: str, ok: int, *, api: bool) -> list[Probe]:
    own = tokens(ctx)
    probes = [Probe(None, method, url.format(own["viewer"].pk), 401 if api else 302, api=api)]
    # Everyone first tries a neighbour's token (404, and it stays live), then revokes their own.
    for user, neighbour in zip(ALL_USERS, ALL_USERS[1:] + ALL_USERS[:1], strict=True):
        probes.append(Probe(user, method, url.format(own[neighbour].pk), 404, api=api))
    probes += [Probe(user, method, url.format(own[user].pk), ok, api=api) for user in ALL_USERS]
    return probes


@entry("accounts:tokens")
def token_page(ctx: Ctx) -> list[Probe]:
    tokens(ctx)
    return everyone("GET", "/accounts/tokens/", 200, anonymous=302)


@entry("accounts:revoke_token")
def revoke_token_page(ctx: Ctx) -> list[Probe]:
    return _revoking(ctx, "POST", "/accounts/tokens/{}/revoke/", 302, api=False)


@entry("accounts:revoke_all_tokens")
def revoke_all_page(ctx: Ctx) -> list[Probe]:
    tokens(ctx)
    return everyone("POST", "/accounts/tokens/revoke-all/", 302, anonymous=302)


@entry("GET /api/auth/tokens")
def token_list_api(ctx: Ctx) -> list[Probe]:
    tokens(ctx)
    return everyone("GET", "/api/auth/tokens", 200, anonymous=401, api=True)


@entry("DELETE /api/auth/tokens/{token_id}")
def revoke_token_api(ctx: Ctx) -> list[Probe]:
    return _revoking(ctx, "DELETE", "/api/auth/tokens/{}", 204, api=True)
