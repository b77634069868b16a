"""Scope-matrix entries of the dashboards (registered by tests/test_scope_matrix.py)."""

from tests.test_scope_matrix import Ctx, Probe, _shipped_sets, entry, everyone, reads


@entry("dashboards:index")
def dashboard_index(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/dashboards/", 302, anonymous=302)


@entry("dashboards:unit")
def dashboard_page(ctx: Ctx) -> list[Probe]:
    _shipped_sets(ctx)
    return reads(inside=f"/dashboards/{ctx.inside_unit.code}/",
                 outside=f"/dashboards/{ctx.outside_unit.code}/")


@entry("GET /api/orgunits/{code}/dashboard")
def dashboard_api(ctx: Ctx) -> list[Probe]:
    _shipped_sets(ctx)
    path = "/api/orgunits/{}/dashboard?set=phuong-kieu-mau"
    return reads(inside=path.format(ctx.inside_unit.code), outside=path.format(ctx.outside_unit.code),
                 api=True)


@entry("dashboards:gaps")
def plan_gap_page(ctx: Ctx) -> list[Probe]:
    from tests.programs.scope_entries import plan_inside, plan_outside, plan_reads

    return plan_reads(inside=f"/dashboards/plans/{plan_inside(ctx).pk}/gaps/",
                      outside=f"/dashboards/plans/{plan_outside(ctx).pk}/gaps/")


@entry("dashboards:trends")
def dashboard_trends(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/dashboards/{ctx.inside_unit.code}/trends/",
                 outside=f"/dashboards/{ctx.outside_unit.code}/trends/")
