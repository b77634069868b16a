"""Scope-matrix entries of the programme pages and API (registered by tests/test_scope_matrix.py).

Plans are scoped by their issuing unit: the "inside" plan is Nghệ An's (read by ministry, nghean,
inspector; phường Thái Hòa's officer sees only its own enrolment), the "outside" plan Thái
Nguyên's (ministry, thainguyen, viewer). Programmes are read by their owner's subtree and the
units below it (thaihoa reads Nghệ An's), changed by province and ministry officers only.
"""

import datetime as dt

from tests.conftest import unit
from tests.test_scope_matrix import ALL_USERS, Ctx, Probe, entry, everyone, reads, writes

DAY = dt.date(2026, 1, 15)
PLAN_INSIDE = ("ministry", "nghean", "inspector")
PLAN_OUTSIDE = ("ministry", "thainguyen", "viewer")
ADMINS = ("ministry", "nghean", "thainguyen")


def _cached(ctx: Ctx, key: str, build):
    if key not in ctx.__dict__:
        ctx.__dict__[key] = build()
    return ctx.__dict__[key]


def program_inside(ctx: Ctx):
    from kieumau.programs.services import create_program

    return _cached(ctx, "program_inside", lambda: create_program(
        actor=ctx.users.nghean, owner_unit=unit("40"), name="Mô hình Nghệ An", set_codes=[]))


def program_outside(ctx: Ctx):
    from kieumau.programs.services import create_program

    return _cached(ctx, "program_outside", lambda: create_program(
        actor=ctx.users.thainguyen, owner_unit=unit("19"), name="Mô hình Thái Nguyên",
        set_codes=[]))


def _plan(ctx, program, actor, province, ward, number):
    from kieumau.programs.services import create_plan, enrol_unit

    plan = create_plan(actor=actor, program=program, number=number, date=DAY,
                       issuing_unit=unit(province, DAY), period_start=DAY,
                       period_end=dt.date(2027, 12, 31))
    enrol_unit(actor=actor, plan=plan, unit=unit(ward, DAY), target_year=2027)
    return plan


def plan_inside(ctx: Ctx):
    return _cached(ctx, "plan_inside", lambda: _plan(
        ctx, program_inside(ctx), ctx.users.nghean, "40", "16939", "1/KH-CAT-PV05"))


def plan_outside(ctx: Ctx):
    return _cached(ctx, "plan_outside", lambda: _plan(
        ctx, program_outside(ctx), ctx.users.thainguyen, "19", "01840", "2/KH-CAT-PV05"))


def plan_reads(*, inside: str, outside: str, api: bool = False) -> list[Probe]:
    probes = [Probe(None, "GET", inside, 401 if api else 302, api=api)]
    for user in ALL_USERS:
        probes.append(Probe(user, "GET", inside, 200 if user in PLAN_INSIDE else 404, api=api))
        probes.append(Probe(user, "GET", outside, 200 if user in PLAN_OUTSIDE else 404, api=api))
    return probes


def plan_writes(*, inside: str, outside: str, data, ok: int = 302) -> list[Probe]:
    """Province and ministry officers in scope succeed; those who cannot see the plan get 404
    (the ward officer too); read-only roles that see it get 403. `data` may be a function of
    the user, for writes that cannot repeat."""
    def body(user):
        return data(user) if callable(data) else data

    return [
        Probe(None, "POST", inside, 302, body("ministry")),
        Probe("thainguyen", "POST", inside, 404, body("thainguyen")),
        Probe("thaihoa", "POST", inside, 404, body("thaihoa")),
        Probe("nghean", "POST", outside, 404, body("nghean")),
        Probe("inspector", "POST", inside, 403, body("inspector")),
        Probe("viewer", "POST", outside, 403, body("viewer")),
        Probe("nghean", "POST", inside, ok, body("nghean")),
        Probe("ministry", "POST", inside, ok, body("ministry")),
    ]


def admin_pages(url: str, *, post_status: int = 422) -> list[Probe]:
    probes = [Probe(None, "GET", url, 302), Probe(None, "POST", url, 302, {})]
    for user in ALL_USERS:
        admin = user in ADMINS
        probes.append(Probe(user, "GET", url, 200 if admin else 403))
        probes.append(Probe(user, "POST", url, post_status if admin else 403, {}))
    return probes


@entry("programs:list")
def programs_list(ctx: Ctx) -> list[Probe]:
    plan_inside(ctx)
    return everyone("GET", "/programs/", 200, anonymous=302)


@entry("programs:program_create")
def program_create(ctx: Ctx) -> list[Probe]:
    return admin_pages("/programs/new/")


@entry("programs:plan_create")
def plan_create(ctx: Ctx) -> list[Probe]:
    return admin_pages("/programs/plans/new/")


@entry("programs:program_detail")
def program_detail(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/programs/{program_inside(ctx).pk}/",
                 outside=f"/programs/{program_outside(ctx).pk}/")


def _program_admin(ctx: Ctx, suffix: str, method: str, data, ok: int) -> list[Probe]:
    inside = f"/programs/{program_inside(ctx).pk}/{suffix}"
    outside = f"/programs/{program_outside(ctx).pk}/{suffix}"
    return [
        Probe(None, method, inside, 302, data),
        Probe("thainguyen", method, inside, 404, data),
        Probe("viewer", method, inside, 404, data),
        Probe("nghean", method, outside, 404, data),
        Probe("thaihoa", method, outside, 404, data),
        Probe("thaihoa", method, inside, 403, data),
        Probe("inspector", method, inside, 403, data),
        Probe("viewer", method, outside, 403, data),
        Probe("nghean", method, inside, ok, data),
        Probe("ministry", method, inside, ok, data),
        Probe("thainguyen", method, outside, ok, data),
    ]


@entry("programs:program_edit")
def program_edit(ctx: Ctx) -> list[Probe]:
    data = {"name": "Mô hình (sửa)", "owner_unit": "40", "description": ""}
    return (_program_admin(ctx, "edit/", "GET", None, 200)
            + _program_admin(ctx, "edit/", "POST", data, 302))


@entry("programs:program_merge")
def program_merge(ctx: Ctx) -> list[Probe]:
    # Merging consumes the programme: the probes post no target (422 for those allowed).
    return (_program_admin(ctx, "merge/", "GET", None, 200)
            + _program_admin(ctx, "merge/", "POST", {}, 422))


@entry("programs:plan_detail")
def plan_detail(ctx: Ctx) -> list[Probe]:
    return plan_reads(inside=f"/programs/plans/{plan_inside(ctx).pk}/",
                      outside=f"/programs/plans/{plan_outside(ctx).pk}/")


@entry("programs:plan_edit")
def plan_edit(ctx: Ctx) -> list[Probe]:
    inside = f"/programs/plans/{plan_inside(ctx).pk}/edit/"
    outside = f"/programs/plans/{plan_outside(ctx).pk}/edit/"
    data = {"number": "1/KH-CAT-PV05", "date": DAY.isoformat(), "title": "",
            "period_start": DAY.isoformat(), "period_end": "2027-12-31", "aims": ""}
    gets = [Probe(None, "GET", inside, 302), Probe("thaihoa", "GET", inside, 404),
            Probe("inspector", "GET", inside, 403), Probe("viewer", "GET", outside, 403),
            Probe("nghean", "GET", inside, 200), Probe("thainguyen", "GET", outside, 200)]
    return gets + plan_writes(inside=inside, outside=outside, data=data)


def _plan_post(ctx: Ctx, suffix: str, data) -> list[Probe]:
    return plan_writes(inside=f"/programs/plans/{plan_inside(ctx).pk}/{suffix}",
                       outside=f"/programs/plans/{plan_outside(ctx).pk}/{suffix}", data=data)


@entry("programs:plan_enrol")
def plan_enrol(ctx: Ctx) -> list[Probe]:
    wards = {"nghean": "16681", "ministry": "17011"}  # Thành Vinh, Tây Hiếu (2026)

    def data(user):
        return {"unit": wards.get(user, "16681"), "target_year": "2027", "stage": "replication"}

    for code in wards.values():
        unit(code, DAY)  # fails loudly if the tree no longer has these wards
    return _plan_post(ctx, "units/", data)


@entry("programs:plan_target")
def plan_target(ctx: Ctx) -> list[Probe]:
    return _plan_post(ctx, "targets/", {"year": "2027", "kind": "percent", "value": "100"})


@entry("programs:plan_committee")
def plan_committee(ctx: Ctx) -> list[Probe]:
    return _plan_post(ctx, "committees/", {"kind": "steering", "name": "Ban chỉ đạo",
                                           "decision_number": ""})


@entry("programs:plan_budget")
def plan_budget(ctx: Ctx) -> list[Probe]:
    return _plan_post(ctx, "budget/", {"year": "2026", "amount": "750.000.000",
                                       "purpose": "Hỗ trợ", "unit": ""})


@entry("programs:plan_award")
def plan_award(ctx: Ctx) -> list[Probe]:
    return _plan_post(ctx, "awards/", {"kind": "collective", "title": "giay_khen",
                                       "recipient": "Công an phường Thái Hòa",
                                       "decision_number": "15/QĐ-CAT",
                                       "decision_date": "2026-12-01",
                                       "issuing_body": "Giám đốc Công an tỉnh"})


def _committee(ctx: Ctx, key: str, plan, actor):
    from kieumau.programs.services import add_committee

    return _cached(ctx, key, lambda: add_committee(actor=actor, plan=plan, kind="working_group",
                                                   name="Tổ công tác"))


@entry("programs:committee_member")
def committee_member(ctx: Ctx) -> list[Probe]:
    inside = _committee(ctx, "committee_inside", plan_inside(ctx), ctx.users.nghean)
    outside = _committee(ctx, "committee_outside", plan_outside(ctx), ctx.users.thainguyen)
    return plan_writes(inside=f"/programs/committees/{inside.pk}/members/",
                       outside=f"/programs/committees/{outside.pk}/members/",
                       data={"name": "Nguyễn Văn A", "position": "", "role": "Tổ trưởng"})


@entry("programs:target_remove")
def target_remove(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.services import set_target

    def target(plan, actor, year):
        return set_target(actor=actor, plan=plan, year=year, kind="count", value=1)

    inside, outside = plan_inside(ctx), plan_outside(ctx)
    per_user = {"nghean": target(inside, ctx.users.nghean, 2030),
                "ministry": target(inside, ctx.users.nghean, 2031)}
    kept = target(inside, ctx.users.nghean, 2032)
    away = target(outside, ctx.users.thainguyen, 2030)
    probes = plan_writes(inside=f"/programs/targets/{kept.pk}/remove/",
                         outside=f"/programs/targets/{away.pk}/remove/", data={})
    probes = [p for p in probes if p.expected != 302 or p.user is None]
    probes += [Probe(user, "POST", f"/programs/targets/{t.pk}/remove/", 302, {})
               for user, t in per_user.items()]
    return probes


@entry("programs:enrolment_remove")
def enrolment_remove(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.selectors import enrolments_of
    from kieumau.programs.services import enrol_unit

    inside, outside = plan_inside(ctx), plan_outside(ctx)
    per_user = {user: enrol_unit(actor=ctx.users.nghean, plan=inside, unit=unit(code, DAY),
                                 target_year=2027)
                for user, code in (("nghean", "16681"), ("ministry", "17011"))}
    kept = enrolments_of(ctx.users.nghean, plan=inside).get(unit__code="16939")
    away = enrolments_of(ctx.users.thainguyen, plan=outside).get()
    probes = plan_writes(inside=f"/programs/enrolments/{kept.pk}/remove/",
                         outside=f"/programs/enrolments/{away.pk}/remove/", data={})
    # The ward officer sees the enrolment of their ward but is no plan manager: 403.
    probes = [p for p in probes if p.expected != 302 or p.user is None]
    probes = [p if p.user != "thaihoa" else Probe("thaihoa", "POST", p.url, 403, {})
              for p in probes]
    probes += [Probe(user, "POST", f"/programs/enrolments/{e.pk}/remove/", 302, {})
               for user, e in per_user.items()]
    return probes


@entry("programs:enrolment_step")
def enrolment_step(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.selectors import enrolments_of

    inside = enrolments_of(ctx.users.nghean, plan=plan_inside(ctx)).get(unit__code="16939")
    outside = enrolments_of(ctx.users.thainguyen, plan=plan_outside(ctx)).get()
    data = {"step": "registration", "done_on": "2026-03-01", "document_number": "01/ĐK"}
    return writes(method="POST", inside=f"/programs/enrolments/{inside.pk}/steps/",
                  outside=f"/programs/enrolments/{outside.pk}/steps/", data=data,
                  ok=frozenset({302}))


@entry("programs:unit_plans")
def unit_plans(ctx: Ctx) -> list[Probe]:
    plan_inside(ctx)
    return reads(inside=f"/programs/units/{ctx.inside_unit.code}/",
                 outside=f"/programs/units/{ctx.outside_unit.code}/")


# --- API -----------------------------------------------------------------------------------------


@entry("GET /api/plans")
def api_plans(ctx: Ctx) -> list[Probe]:
    plan_inside(ctx)
    plan_outside(ctx)
    return everyone("GET", "/api/plans", 200, anonymous=401, api=True)


@entry("GET /api/plans/{plan_id}")
def api_plan(ctx: Ctx) -> list[Probe]:
    return plan_reads(inside=f"/api/plans/{plan_inside(ctx).pk}",
                      outside=f"/api/plans/{plan_outside(ctx).pk}", api=True)


@entry("POST /api/plans")
def api_create_plan(ctx: Ctx) -> list[Probe]:
    inside, outside = program_inside(ctx).pk, program_outside(ctx).pk

    def body(program, number, province="40", ward="16939"):
        return {"program": program, "number": number, "date": DAY.isoformat(),
                "issuing_unit": province, "period_start": DAY.isoformat(),
                "period_end": "2027-12-31", "units": [{"code": ward, "target_year": 2027}],
                "targets": [{"year": 2027, "kind": "percent", "value": 100}]}

    url = "/api/plans"
    return [
        Probe(None, "POST", url, 401, body(inside, "9/KH-CAT"), True),
        Probe("thainguyen", "POST", url, 404, body(inside, "9/KH-CAT"), True),
        Probe("nghean", "POST", url, 404, body(outside, "9/KH-CAT", "19", "01840"), True),
        Probe("thaihoa", "POST", url, 403, body(inside, "9/KH-CAT"), True),
        Probe("inspector", "POST", url, 403, body(inside, "9/KH-CAT"), True),
        Probe("viewer", "POST", url, 403, body(outside, "9/KH-CAT", "19", "01840"), True),
        Probe("nghean", "POST", url, 201, body(inside, "10/KH-CAT"), True),
        Probe("ministry", "POST", url, 201, body(inside, "11/KH-CAT"), True),
        Probe("thainguyen", "POST", url, 201, body(outside, "12/KH-CAT", "19", "01840"), True),
    ]


def _removal_probes(ctx: Ctx, prefix: str, make) -> list[Probe]:
    """Each allowed remover removes their own row; the others probe a row that stays."""
    inside, outside = plan_inside(ctx), plan_outside(ctx)
    mine = {"nghean": make(inside, ctx.users.nghean), "ministry": make(inside, ctx.users.nghean)}
    kept, away = make(inside, ctx.users.nghean), make(outside, ctx.users.thainguyen)
    probes = plan_writes(inside=f"/programs/{prefix}/{kept.pk}/remove/",
                         outside=f"/programs/{prefix}/{away.pk}/remove/", data={})
    probes = [p for p in probes if p.expected != 302 or p.user is None]
    return probes + [Probe(user, "POST", f"/programs/{prefix}/{row.pk}/remove/", 302, {})
                     for user, row in mine.items()]


@entry("programs:committee_member_remove")
def committee_member_remove(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.services import add_committee, add_member

    def make(plan, actor):
        committee = add_committee(actor=actor, plan=plan, kind="steering", name="Ban chỉ đạo")
        return add_member(actor=actor, committee=committee, name="Lê Văn C", position="",
                          role="Thành viên")

    return _removal_probes(ctx, "committee-members", make)


@entry("programs:budget_remove")
def budget_remove(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.services import add_budget_line

    return _removal_probes(ctx, "budget", lambda plan, actor: add_budget_line(
        actor=actor, plan=plan, year=2026, amount=1_000, purpose="Hỗ trợ"))


@entry("programs:award_remove")
def award_remove(ctx: Ctx) -> list[Probe]:
    from kieumau.programs.services import add_award

    return _removal_probes(ctx, "awards", lambda plan, actor: add_award(
        actor=actor, plan=plan, kind="individual", title="bang_khen", recipient="Nguyễn Văn A",
        decision_number="3/QĐ-CAT", decision_date=DAY, issuing_body="Giám đốc"))
