"""Scope-matrix entries of the core pages: /healthz answers everyone, signed in or not, and
says nothing about any unit."""

from tests.test_scope_matrix import Ctx, Probe, entry, everyone


@entry("healthz")
def healthz(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/healthz", 200, anonymous=200)
