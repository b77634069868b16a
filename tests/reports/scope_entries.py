"""Scope-matrix entries for the report pages: a job is seen by whoever sees its unit."""

import datetime as dt

from tests.test_scope_matrix import ALL_USERS, Probe, entry, reads


def _job(ctx, side: str):
    cached = ctx.__dict__.get(f"report_job_{side}")
    if cached is None:
        from kieumau.reports import services

        actor, unit = ((ctx.users.nghean, ctx.inside_unit) if side == "inside"
                       else (ctx.users.thainguyen, ctx.outside_unit))
        cached = services.start_job(actor=actor, unit=unit, subject="indicator_values",
                                    format="csv", first=dt.date(2026, 1, 1),
                                    last=dt.date(2026, 6, 30))
        ctx.__dict__[f"report_job_{side}"] = cached
    return cached


@entry("reports:index")
def reports_index(ctx) -> list[Probe]:
    probes = [Probe(user, "GET", "/reports/", 200) for user in ALL_USERS]
    probes.append(Probe(None, "GET", "/reports/", 302))
    # Asking for another province's report answers the form again with "not found in your scope".
    probes += [Probe("thaihoa", "POST", "/reports/", 200,
                     data={"unit": "19", "subject": "indicator_values", "format": "csv"})]
    return probes


@entry("reports:job")
def report_job(ctx) -> list[Probe]:
    return reads(inside=f"/reports/{_job(ctx, 'inside').pk}/",
                 outside=f"/reports/{_job(ctx, 'outside').pk}/")


@entry("reports:download")
def report_download(ctx) -> list[Probe]:
    # Queued, not run (no on-commit here): in scope redirects to the job page, else 404.
    inside, outside = _job(ctx, "inside"), _job(ctx, "outside")
    probes = reads(inside=f"/reports/{inside.pk}/download/",
                   outside=f"/reports/{outside.pk}/download/")
    return [Probe(p.user, p.method, p.url, 302 if p.expected == 200 else p.expected)
            for p in probes]


def _template(ctx, side: str):
    cached = ctx.__dict__.get(f"report_template_{side}")
    if cached is None:
        from kieumau.reports import templates_docx
        from tests.reports.test_templates import own_template

        actor, code = (ctx.users.nghean, "40") if side == "inside" else (ctx.users.thainguyen, "19")
        cached = templates_docx.upload_template(actor=actor, unit=actor.home_unit,
                                                name=f"{code}.docx", data=own_template())
        ctx.__dict__[f"report_template_{side}"] = cached
    return cached


@entry("reports:templates")
def report_templates(ctx) -> list[Probe]:
    probes = [Probe(user, "GET", "/reports/templates/", 200) for user in ALL_USERS]
    probes += [Probe(None, "GET", "/reports/templates/", 302),
               Probe("viewer", "POST", "/reports/templates/", 403),
               Probe("inspector", "POST", "/reports/templates/", 403)]
    return probes


@entry("reports:default_template")
def report_default_template(ctx) -> list[Probe]:
    probes = [Probe(user, "GET", "/reports/templates/default.docx", 200) for user in ALL_USERS]
    return [*probes, Probe(None, "GET", "/reports/templates/default.docx", 302)]


@entry("reports:retire_template")
def report_retire_template(ctx) -> list[Probe]:
    inside = f"/reports/templates/{_template(ctx, 'inside').pk}/retire/"
    outside = f"/reports/templates/{_template(ctx, 'outside').pk}/retire/"
    return [Probe(None, "POST", inside, 302), Probe("thainguyen", "POST", inside, 404),
            Probe("thaihoa", "POST", outside, 404), Probe("viewer", "POST", outside, 403),
            Probe("inspector", "POST", inside, 403), Probe("nghean", "POST", inside, 302)]
