"""Scope-matrix entries of the citizens domain: residents' pages answer anyone (no sign-in),
officers' pages follow the usual scope, the reporter's photo only the handling unit."""

from kieumau.citizens.models import Status
from tests.test_scope_matrix import (
    ALL_USERS,
    Ctx,
    Probe,
    entry,
    everyone,
    reads,
    writes,
)

INSIDE, OUTSIDE = "16939", "01840"


def public(method: str, url: str, status: int, data: dict | None = None) -> list[Probe]:
    return everyone(method, url, status, anonymous=status, data=data)


def filed(ctx: Ctx, where: str):
    """A request filed with phường Thái Hòa ("inside") or phường Đức Xuân ("outside")."""
    key = f"citizens_request_{where}"
    if key not in ctx.__dict__:
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from kieumau.citizens.requests import services

        image = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(image, format="PNG")
        unit = ctx.inside_unit if where == "inside" else ctx.outside_unit
        ctx.__dict__[key] = services.file_request(
            unit=unit, data=services.RequestInput(category_code="khac", description="Ồn ào",
                                                  contact_name="Người dân"),
            photo=SimpleUploadedFile("a.png", image.getvalue()), address=f"192.0.2.{len(key)}")
    return ctx.__dict__[key]


@entry("citizens:survey")
def survey(ctx: Ctx) -> list[Probe]:
    # A POST without the form's token is refused (400) and stores nothing, for anyone.
    return (public("GET", f"/s/{INSIDE}/", 200) + public("GET", f"/s/{OUTSIDE}/", 200)
            + public("POST", f"/s/{INSIDE}/", 400, {"procedure": "tam_tru"})
            + public("GET", "/s/99999/", 404))


@entry("citizens:survey_thanks")
def survey_thanks(ctx: Ctx) -> list[Probe]:
    return public("GET", f"/s/{INSIDE}/cam-on/", 200)


@entry("citizens:public_unit")
def public_unit(ctx: Ctx) -> list[Probe]:
    return public("GET", f"/p/{INSIDE}/", 200) + public("GET", "/p/40/", 404)


@entry("citizens:file_request")
def file_request(ctx: Ctx) -> list[Probe]:
    return (public("GET", f"/p/{INSIDE}/phan-anh/", 200)
            + public("POST", f"/p/{INSIDE}/phan-anh/", 400, {"category": "khac"}))


@entry("citizens:track_lookup")
def track_lookup(ctx: Ctx) -> list[Probe]:
    return public("GET", "/t/", 200) + public("GET", "/t/?code=abc", 302)


@entry("citizens:track")
def track(ctx: Ctx) -> list[Probe]:
    code = filed(ctx, "inside").tracking_code
    return public("GET", f"/t/{code}/", 200) + public("GET", "/t/KHONGCO/", 404)


@entry("citizens:index")
def index(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/citizens/", 302, anonymous=302)


@entry("citizens:unit", "citizens:queue")
def unit_pages(ctx: Ctx) -> list[Probe]:
    return (reads(inside=f"/citizens/{INSIDE}/", outside=f"/citizens/{OUTSIDE}/")
            + reads(inside=f"/citizens/{INSIDE}/requests/", outside=f"/citizens/{OUTSIDE}/requests/"))


@entry("citizens:poster")
def poster(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/citizens/{INSIDE}/poster.svg", outside=f"/citizens/{OUTSIDE}/poster.svg")


@entry("citizens:export")
def export(ctx: Ctx) -> list[Probe]:
    return (reads(inside=f"/citizens/{INSIDE}/export.csv", outside=f"/citizens/{OUTSIDE}/export.csv")
            + reads(inside=f"/citizens/{INSIDE}/export.xlsx",
                    outside=f"/citizens/{OUTSIDE}/export.xlsx"))


@entry("citizens:codes")
def codes(ctx: Ctx) -> list[Probe]:
    return writes(method="POST", inside=f"/citizens/{INSIDE}/codes/",
                  outside=f"/citizens/{OUTSIDE}/codes/", data={"count": "2"}, ok=frozenset({200}))


@entry("citizens:publish")
def publish(ctx: Ctx) -> list[Probe]:
    return writes(method="POST", inside=f"/citizens/{INSIDE}/publish/",
                  outside=f"/citizens/{OUTSIDE}/publish/", data={"month": "2026-10"},
                  ok=frozenset({302}))


@entry("citizens:request")
def request_detail(ctx: Ctx) -> list[Probe]:
    inside = f"/citizens/requests/{filed(ctx, 'inside').pk}/"
    outside = f"/citizens/requests/{filed(ctx, 'outside').pk}/"
    return reads(inside=inside, outside=outside) + writes(
        method="POST", inside=inside, outside=outside,
        data={"action": Status.IN_PROGRESS, "note": ""}, ok=frozenset({302}))


@entry("citizens:request_photo")
def request_photo(ctx: Ctx) -> list[Probe]:
    """Only officers whose home is the handling unit see the reporter's photo."""
    inside = f"/citizens/requests/{filed(ctx, 'inside').pk}/photo/"
    probes = [Probe(None, "GET", inside, 302)]
    probes += [Probe(user, "GET", inside, 200 if user == "thaihoa" else 404) for user in ALL_USERS]
    return probes


@entry("citizens:categories")
def categories(ctx: Ctx) -> list[Probe]:
    inside, outside = "/citizens/40/categories/", "/citizens/19/categories/"
    data = {"code": "moi", "name": "Loại mới", "deadline_days": "5"}
    probes = [Probe(None, "GET", inside, 302), Probe(None, "POST", inside, 302, data)]
    probes += [Probe(user, "GET", inside, 200 if user in ("ministry", "nghean", "inspector")
                     else 404) for user in ALL_USERS]
    probes += [Probe(user, "GET", outside, 200 if user in ("ministry", "thainguyen", "viewer")
                     else 404) for user in ALL_USERS]
    probes += [Probe("thaihoa", "POST", inside, 404, data), Probe("thainguyen", "POST", inside,
                                                                   404, data),
               Probe("inspector", "POST", inside, 403, data),
               Probe("viewer", "POST", outside, 403, data),
               Probe("nghean", "POST", inside, 302, data),
               Probe("ministry", "POST", inside, 302, data)]
    return probes


# --- Open311: public reads, POST with a client's key -----------------------------------------

@entry("open311:discovery", "open311:services", "open311:service", "open311:request",
       "open311:token")
def open311_reads(ctx: Ctx) -> list[Probe]:
    request = filed(ctx, "inside")
    probes = []
    for fmt in ("json", "xml"):
        for path in ("discovery", "services", "services/khac", f"requests/{request.pk}",
                     f"tokens/{request.tracking_code}"):
            probes += public("GET", f"/open311/v2/{path}.{fmt}", 200)
    return probes


@entry("open311:requests")
def open311_requests(ctx: Ctx) -> list[Probe]:
    from kieumau.citizens.open311.keys import issue_key

    key = issue_key(name="scope matrix")
    data = {"api_key": key, "service_code": "khac", "description": "Ồn", "address_id": INSIDE}
    return (public("GET", "/open311/v2/requests.json", 200)
            + public("GET", "/open311/v2/requests.xml", 200)
            + [Probe(None, "POST", "/open311/v2/requests.json", 201, data),
               Probe(None, "POST", "/open311/v2/requests.xml", 403, {**data, "api_key": "x"})])


# --- /api/citizens: figures only, scope as everywhere -------------------------------------------

@entry("GET /api/citizens/satisfaction", "GET /api/citizens/requests/counts")
def api_figures(ctx: Ctx) -> list[Probe]:
    probes = []
    for path in ("satisfaction", "requests/counts"):
        probes += reads(inside=f"/api/citizens/{path}?unit={INSIDE}&from=2026-01&to=2026-11",
                        outside=f"/api/citizens/{path}?unit={OUTSIDE}&from=2026-01&to=2026-11",
                        api=True)
    return probes
