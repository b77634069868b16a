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
