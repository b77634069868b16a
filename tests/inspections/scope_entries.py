"""Scope-matrix entries of the inspection pages and API.

An inspection is scoped by the unit that ran it: "inside" is Nghệ An's (ministry, nghean,
inspector), "outside" Thái Nguyên's (ministry, thainguyen, viewer). Visits and recommendations
are scoped by their unit (phường Thái Hòa's officer sees theirs). Recording is for ministry,
province officers and inspectors; progress on a recommendation also for the responsible ward.
"""

import datetime as dt

from tests.conftest import unit
from tests.programs.scope_entries import PLAN_INSIDE, PLAN_OUTSIDE, _cached, plan_reads
from tests.test_scope_matrix import ALL_USERS, Ctx, Probe, entry, everyone, reads

DAY = dt.date(2026, 2, 10)
RECORDERS = ("ministry", "nghean", "thainguyen", "inspector")


def _inspection(ctx: Ctx, key: str, actor, province: str, ward: str):
    from kieumau.inspections.services import add_recommendation, add_visit, create_inspection

    def build():
        made = create_inspection(actor=actor, owner_unit=unit(province, DAY), date=DAY,
                                 title="Kiểm tra mô hình")
        visit = add_visit(actor=actor, inspection=made, unit=unit(ward, DAY))
        recommendation = add_recommendation(actor=actor, inspection=made, unit=unit(ward, DAY),
                                            text="Bổ sung hồ sơ", due_on=dt.date(2026, 3, 1))
        return made, visit, recommendation

    return _cached(ctx, key, build)


def inside(ctx: Ctx):
    return _inspection(ctx, "inspection_inside", ctx.users.inspector, "40", "16939")


def outside(ctx: Ctx):
    return _inspection(ctx, "inspection_outside", ctx.users.thainguyen, "19", "01840")


def recorder_writes(*, inside_url: str, outside_url: str, data) -> list[Probe]:
    """Recorders who see the inspection succeed; the ward officer and the viewer may not
    record (404 where they cannot see it, 403 where they can)."""
    def body(user):
        return data(user) if callable(data) else data

    return [
        Probe(None, "POST", inside_url, 302, body("nghean")),
        Probe("thainguyen", "POST", inside_url, 404, body("thainguyen")),
        Probe("thaihoa", "POST", inside_url, 404, body("thaihoa")),
        Probe("nghean", "POST", outside_url, 404, body("nghean")),
        Probe("inspector", "POST", outside_url, 404, body("inspector")),
        Probe("viewer", "POST", outside_url, 403, body("viewer")),
        Probe("inspector", "POST", inside_url, 302, body("inspector")),
        Probe("nghean", "POST", inside_url, 302, body("nghean")),
        Probe("ministry", "POST", inside_url, 302, body("ministry")),
        Probe("thainguyen", "POST", outside_url, 302, body("thainguyen")),
    ]


@entry("inspections:list")
def inspections_list(ctx: Ctx) -> list[Probe]:
    inside(ctx)
    return everyone("GET", "/inspections/", 200, anonymous=302)


@entry("inspections:create")
def inspections_create(ctx: Ctx) -> list[Probe]:
    url = "/inspections/new/"
    probes = [Probe(None, "GET", url, 302), Probe(None, "POST", url, 302, {})]
    for user in ALL_USERS:
        allowed = user in RECORDERS
        probes.append(Probe(user, "GET", url, 200 if allowed else 403))
        probes.append(Probe(user, "POST", url, 422 if allowed else 403, {}))
    from tests.programs.scope_entries import plan_inside

    plan = plan_inside(ctx)  # ?plan= is looked up through scope
    probes.append(Probe("thainguyen", "GET", f"{url}?plan={plan.pk}", 404))
    probes.append(Probe("inspector", "GET", f"{url}?plan={plan.pk}", 200))
    return probes


@entry("inspections:detail")
def inspection_detail(ctx: Ctx) -> list[Probe]:
    assert PLAN_INSIDE == ("ministry", "nghean", "inspector")  # same readers as a plan
    assert PLAN_OUTSIDE == ("ministry", "thainguyen", "viewer")
    return plan_reads(inside=f"/inspections/{inside(ctx)[0].pk}/",
                      outside=f"/inspections/{outside(ctx)[0].pk}/")


@entry("inspections:add_member")
def add_member(ctx: Ctx) -> list[Probe]:
    return recorder_writes(inside_url=f"/inspections/{inside(ctx)[0].pk}/members/",
                           outside_url=f"/inspections/{outside(ctx)[0].pk}/members/",
                           data={"name": "Lê Văn C", "position": "", "role": "Thành viên"})


@entry("inspections:add_visit")
def add_visit(ctx: Ctx) -> list[Probe]:
    wards = {"inspector": "16681", "nghean": "16690", "ministry": "17011", "thainguyen": "01843"}
    for code in wards.values():
        unit(code, DAY)
    return recorder_writes(inside_url=f"/inspections/{inside(ctx)[0].pk}/visits/",
                           outside_url=f"/inspections/{outside(ctx)[0].pk}/visits/",
                           data=lambda user: {"unit": wards.get(user, "16681"),
                                              "difficulties": ""})


@entry("inspections:add_recommendation")
def add_recommendation(ctx: Ctx) -> list[Probe]:
    def data(user):
        return {"unit": "01840" if user in ("thainguyen", "viewer") else "16939",
                "text": "Kiện toàn tổ công tác", "due_on": "2026-06-30"}

    return recorder_writes(inside_url=f"/inspections/{inside(ctx)[0].pk}/recommendations/",
                           outside_url=f"/inspections/{outside(ctx)[0].pk}/recommendations/",
                           data=data)


@entry("inspections:add_finding")
def add_finding(ctx: Ctx) -> list[Probe]:
    data = {"kind": "strength", "text": "Bộ phận một cửa gọn gàng", "criterion_code": "TC 4"}
    return recorder_writes(inside_url=f"/inspections/visits/{inside(ctx)[1].pk}/findings/",
                           outside_url=f"/inspections/visits/{outside(ctx)[1].pk}/findings/",
                           data=data)


def recorder_removals(ctx: Ctx, *, path: str, make) -> list[Probe]:
    """As `recorder_writes`, each recorder removing a row of their own (`make(inspection,
    visit, actor)`); the others probe rows that stay."""
    ours, theirs = inside(ctx)[:2], outside(ctx)[:2]
    kept = make(*ours, ctx.users.inspector)
    away = make(*theirs, ctx.users.thainguyen)
    probes = [probe for probe in recorder_writes(inside_url=f"{path}/{kept.pk}/remove/",
                                                 outside_url=f"{path}/{away.pk}/remove/", data={})
              if probe.expected != 302 or probe.user is None]
    for user, (made, recorder) in {"inspector": (ours, ctx.users.inspector),
                                   "nghean": (ours, ctx.users.inspector),
                                   "ministry": (ours, ctx.users.inspector),
                                   "thainguyen": (theirs, ctx.users.thainguyen)}.items():
        probes.append(Probe(user, "POST", f"{path}/{make(*made, recorder).pk}/remove/", 302, {}))
    return probes


@entry("inspections:remove_member")
def remove_member(ctx: Ctx) -> list[Probe]:
    from kieumau.inspections.services import add_member

    return recorder_removals(ctx, path="/inspections/members", make=lambda inspection, _visit,
                             actor: add_member(actor=actor, inspection=inspection,
                                               name="Lê Văn C", role="Thành viên"))


@entry("inspections:remove_finding")
def remove_finding(ctx: Ctx) -> list[Probe]:
    from kieumau.inspections.services import add_finding

    return recorder_removals(ctx, path="/inspections/findings", make=lambda _inspection, visit,
                             actor: add_finding(actor=actor, visit=visit, kind="shortcoming",
                                                text="Thiếu sổ theo dõi"))


@entry("inspections:recommendation")
def recommendation(ctx: Ctx) -> list[Probe]:
    inside_url = f"/inspections/recommendations/{inside(ctx)[2].pk}/"
    outside_url = f"/inspections/recommendations/{outside(ctx)[2].pk}/"
    data = {"status": "in_progress", "resolution_note": "Đang thực hiện", "resolved_on": ""}
    probes = reads(inside=inside_url, outside=outside_url)
    probes += [
        Probe(None, "POST", inside_url, 302, data),
        Probe("thainguyen", "POST", inside_url, 404, data),
        Probe("thaihoa", "POST", outside_url, 404, data),
        Probe("nghean", "POST", outside_url, 404, data),
        Probe("viewer", "POST", outside_url, 403, data),
    ]
    probes += [Probe(user, "POST", inside_url, 302, data)
               for user in ("thaihoa", "inspector", "nghean", "ministry")]
    return probes


@entry("inspections:unit_followup")
def unit_followup(ctx: Ctx) -> list[Probe]:
    inside(ctx)
    return reads(inside=f"/inspections/units/{ctx.inside_unit.code}/",
                 outside=f"/inspections/units/{ctx.outside_unit.code}/")


@entry("GET /api/recommendations")
def api_recommendations(ctx: Ctx) -> list[Probe]:
    inside(ctx)
    outside(ctx)
    return (everyone("GET", "/api/recommendations", 200, anonymous=401, api=True)
            + reads(inside=f"/api/recommendations?unit={ctx.inside_unit.code}",
                    outside=f"/api/recommendations?unit={ctx.outside_unit.code}", api=True))
