"""Every URL pattern and every API operation, for every role, in and out of scope.

The lists of endpoints come from the URL resolver and from the API's own OpenAPI schema, so a new
endpoint without an entry in MATRIX fails `test_every_endpoint_has_an_entry`.

To add an endpoint (here, or in tests/<domain>/scope_entries.py for a domain's own): write a function taking `Ctx` and returning a list of `Probe`s, decorate it
with `@entry("<namespace:name>")` for a page or `@entry("<METHOD> /api/<path as in the schema>")`
for an API operation. `reads()` and `writes()` build the usual probes; objects that several entries
need go on `Ctx` as cached properties, built through the services.

Conventions: "inside" objects belong to phường Thái Hòa (Nghệ An): seen by ministry, nghean,
inspector, thaihoa. "outside" objects belong to phường Đức Xuân (Thái Nguyên): seen by ministry,
thainguyen, viewer. Out of scope answers 404, exactly like a missing object.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import api_client_for, client_for, unit


@dataclass(frozen=True)
class Probe:
    user: str | None  # attribute of the `users` fixture, or None for anonymous
    method: str
    url: str
    expected: int | frozenset[int]
    data: dict | None = None
    api: bool = False

    def matches(self, status: int) -> bool:
        wanted = self.expected if isinstance(self.expected, frozenset) else {self.expected}
        return status in wanted


class Ctx:
    """Objects the probes point at; build more here (cached) as domains add endpoints."""

    def __init__(self, users) -> None:
        self.users = users

    @cached_property
    def inside_unit(self):
        return unit("16939")  # phường Thái Hòa, Nghệ An

    @cached_property
    def outside_unit(self):
        return unit("01840")  # phường Đức Xuân, Thái Nguyên

    @cached_property
    def inside_assessment(self):
        """Phường Thái Hòa, 2025, in draft (opened by its own officer)."""
        return _open_assessment(self, self.users.thaihoa, self.inside_unit)

    @cached_property
    def outside_assessment(self):
        """Today's phường Đức Xuân 01840, 2025, in draft (opened by Thái Nguyên's officer)."""
        return _open_assessment(self, self.users.thainguyen, self.outside_unit)


MATRIX: dict[str, Callable[[Ctx], list[Probe]]] = {}
INSIDE_READERS = ("ministry", "nghean", "inspector", "thaihoa")
OUTSIDE_READERS = ("ministry", "thainguyen", "viewer")
ALL_USERS = ("ministry", "nghean", "thainguyen", "thaihoa", "inspector", "viewer")


def entry(*keys: str):
    def register(build):
        for key in keys:
            assert key not in MATRIX, f"two entries for {key}"
            MATRIX[key] = build
        return build

    return register


def reads(*, inside: str, outside: str, api: bool = False) -> list[Probe]:
    anonymous = 401 if api else 302
    probes = [Probe(None, "GET", inside, anonymous, api=api)]
    for user in ALL_USERS:
        probes.append(Probe(user, "GET", inside, 200 if user in INSIDE_READERS else 404, api=api))
        probes.append(Probe(user, "GET", outside, 200 if user in OUTSIDE_READERS else 404, api=api))
    return probes


def writes(
    *, method: str, inside: str, outside: str, data: dict | None, ok: frozenset[int], api: bool = False,
    writers: tuple[str, ...] = ("thaihoa", "nghean", "ministry"),
) -> list[Probe]:
    """Writers in scope succeed; outsiders get 404; read-only roles get 403 even in scope."""
    anonymous = 401 if api else 302
    probes = [Probe(None, method, inside, anonymous, data, api)]
    probes += [Probe("thainguyen", method, inside, 404, data, api),
               Probe("thaihoa", method, outside, 404, data, api),
               Probe("nghean", method, outside, 404, data, api),
               Probe("viewer", method, outside, 403, data, api),
               Probe("inspector", method, inside, 403, data, api)]
    probes += [Probe(user, method, inside, ok, data, api) for user in writers]
    return probes


def everyone(method: str, url: str, status: int | frozenset[int], *, anonymous: int | None = None,
             data: dict | None = None, api: bool = False) -> list[Probe]:
    probes = [Probe(user, method, url, status, data, api) for user in ALL_USERS]
    if anonymous is not None:
        probes.append(Probe(None, method, url, anonymous, data, api))
    return probes


# --- foundation -------------------------------------------------------------------------------

@entry("home")
def home(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/", 200, anonymous=302)


@entry("accounts:sign_in")
def sign_in_page(ctx: Ctx) -> list[Probe]:
    return [Probe(None, "GET", "/accounts/sign-in/", 200),
            Probe(None, "POST", "/accounts/sign-in/", 401,
                  {"username": "nghean", "password": "wrong"})]


@entry("accounts:sign_out")
def sign_out(ctx: Ctx) -> list[Probe]:
    return everyone("POST", "/accounts/sign-out/", 302, anonymous=302)


@entry("set_language")
def set_language(ctx: Ctx) -> list[Probe]:
    return everyone("POST", "/i18n/setlang/", 302, anonymous=302, data={"language": "en"})


@entry("GET /api/openapi.json", "GET /api/docs")
def api_description(ctx: Ctx) -> list[Probe]:
    return [Probe(None, "GET", "/api/openapi.json", 200, api=True),
            Probe(None, "GET", "/api/docs", 200, api=True)]


@entry("POST /api/auth/token")
def obtain_token(ctx: Ctx) -> list[Probe]:
    return [Probe(None, "POST", "/api/auth/token", 401, {"username": "nghean", "password": "x"},
                  api=True),
            Probe(None, "POST", "/api/auth/token", 200,
                  {"username": "nghean", "password": "secret-pass-123"}, api=True)]


@entry("orgunits:browse")
def browse(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/units/?q=thai+hoa", 200, anonymous=302)


@entry("orgunits:detail")
def unit_detail(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/units/{ctx.inside_unit.code}/", outside=f"/units/{ctx.outside_unit.code}/")


@entry("orgunits:register_child")
def register_child(ctx: Ctx) -> list[Probe]:
    data = {"name": "Tổ dân phố 1", "kind": "khu_dan_cu", "valid_from": "2026-01-01"}
    return writes(method="POST", inside=f"/units/{ctx.inside_unit.code}/register/",
                  outside=f"/units/{ctx.outside_unit.code}/register/", data=data,
                  ok=frozenset({302}))


@entry("GET /api/orgunits")
def list_units(ctx: Ctx) -> list[Probe]:
    # A list is never 404: out-of-scope units are simply absent (checked in test_orgunits_api).
    return everyone("GET", "/api/orgunits?level=commune", 200, anonymous=401, api=True)


@entry("GET /api/orgunits/{code}")
def get_unit(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/api/orgunits/{ctx.inside_unit.code}",
                 outside=f"/api/orgunits/{ctx.outside_unit.code}", api=True)


@entry("GET /api/orgunits/{code}/history")
def get_history(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/api/orgunits/{ctx.inside_unit.code}/history",
                 outside=f"/api/orgunits/{ctx.outside_unit.code}/history", api=True)


# --- indicators -------------------------------------------------------------------------------

class _ReusableFile:
    """A file the test client can send more than once (it reads without rewinding)."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.content = name, content

    def read(self) -> bytes:
        return self.content


def _indicator_catalogue() -> None:
    from kieumau.indicators.services import load_indicators

    load_indicators()


def _indicator_workbook() -> bytes:
    import io

    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@entry("indicators:index")
def indicators_index(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    return everyone("GET", "/indicators/", 200, anonymous=302)


@entry("indicators:values")
def indicator_month_form(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    inside = f"/indicators/values/?unit={ctx.inside_unit.code}&month=2026-10"
    outside = f"/indicators/values/?unit={ctx.outside_unit.code}&month=2026-10"
    return reads(inside=inside, outside=outside) + writes(
        method="POST", inside=inside, outside=outside, data={"v_toi_pham_ttxh": "1"},
        ok=frozenset({302}))


@entry("indicators:template")
def indicator_template(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    return reads(inside=f"/indicators/template/?unit={ctx.inside_unit.code}&from=2026-09&to=2026-10",
                 outside=f"/indicators/template/?unit={ctx.outside_unit.code}&from=2026-09&to=2026-10")


@entry("indicators:upload")
def indicator_upload(ctx: Ctx) -> list[Probe]:
    # The upload names no unit: rows out of the uploader's scope are refused by the import itself
    # (tests/indicators/test_xlsx.py::test_unit_outside_scope_rejects_the_file).
    data = {"file": _ReusableFile("chi-so.xlsx", _indicator_workbook())}
    return everyone("GET", "/indicators/import/", 200, anonymous=302) + [
        Probe(None, "POST", "/indicators/import/", 302, data),
        Probe("viewer", "POST", "/indicators/import/", 403, data),
        Probe("inspector", "POST", "/indicators/import/", 403, data),
    ] + [Probe(user, "POST", "/indicators/import/", 302, data)
         for user in ("thaihoa", "nghean", "thainguyen", "ministry")]


@entry("indicators:import_status")
def indicator_import_status(ctx: Ctx) -> list[Probe]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kieumau.indicators.imports import start_import

    def started(user):
        return start_import(actor=user, upload=SimpleUploadedFile("chi-so.xlsx",
                                                                  _indicator_workbook()))

    inside, outside = started(ctx.users.thaihoa), started(ctx.users.thainguyen)
    return reads(inside=f"/indicators/import/{inside.pk}/",
                 outside=f"/indicators/import/{outside.pk}/")


@entry("indicators:compare")
def indicator_compare(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    return reads(inside=f"/indicators/compare/?unit={ctx.inside_unit.code}&from=2026-01&to=2026-10",
                 outside=f"/indicators/compare/?unit={ctx.outside_unit.code}&from=2026-01&to=2026-10")


@entry("GET /api/indicators")
def api_indicator_catalogue(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    return everyone("GET", "/api/indicators", 200, anonymous=401, api=True)


@entry("GET /api/indicators/values")
def api_indicator_values(ctx: Ctx) -> list[Probe]:
    _indicator_catalogue()
    return reads(inside=f"/api/indicators/values?unit={ctx.inside_unit.code}&from=2026-01&to=2026-10",
                 outside=f"/api/indicators/values?unit={ctx.outside_unit.code}&from=2026-01&to=2026-10",
                 api=True)


@entry("PUT /api/indicators/values", "POST /api/indicators/values")
def api_indicator_bulk(ctx: Ctx) -> list[Probe]:
    # A bulk write names its units inside the body: one out of scope rejects the whole request
    # with 422 and the same words as an unknown code (it must not reveal that the unit exists).
    _indicator_catalogue()

    def body(code):
        return {"values": [{"unit": code, "indicator": "toi_pham_ttxh", "month": "2026-10",
                            "value": 1}]}

    inside, outside = body(ctx.inside_unit.code), body(ctx.outside_unit.code)
    probes = []
    for method in ("PUT", "POST"):
        url = "/api/indicators/values"
        probes += [Probe(None, method, url, 401, inside, True),
                   Probe("thainguyen", method, url, 422, inside, True),
                   Probe("thaihoa", method, url, 422, outside, True),
                   Probe("nghean", method, url, 422, outside, True),
                   Probe("viewer", method, url, 403, outside, True),
                   Probe("inspector", method, url, 403, inside, True)]
        probes += [Probe(user, method, url, 200, inside, True)
                   for user in ("thaihoa", "nghean", "ministry")]
    return probes


# --- criteria sets: global reference data; every signed-in user reads them. Writes follow
# accounts.scope.may_edit_criteria_set: the national set "thu-nghiem" is the ministry's alone; the
# set "rieng-nghe-an" (owned by Nghệ An) is Nghệ An's and the ministry's. Since everyone reads every
# set, a refused write is 403, never 404.

CRITERIA_ADMINS = ("ministry", "nghean", "thainguyen")
SET_EDITORS = {"thu-nghiem": ("ministry",), "rieng-nghe-an": ("ministry", "nghean")}


def _owner_spec(code: str):
    import datetime as dt

    from kieumau.criteria.spec import OwnerSpec

    return None if code == "thu-nghiem" else OwnerSpec(code="40", as_of=dt.date(2026, 1, 1))


def criteria_set(ctx: Ctx, code: str = "thu-nghiem"):
    """A small draft set of three criteria, 2025, built once per Ctx by the services."""
    key = f"criteria_set:{code}"
    if key not in ctx.__dict__:
        from kieumau.criteria.loading import ensure_indicator_catalogue
        from kieumau.criteria.services import create_set
        from tests.criteria.factories import small_spec

        ensure_indicator_catalogue()
        ctx.__dict__[key] = create_set(actor=ctx.users.ministry,
                                       spec=small_spec(code=code, owner=_owner_spec(code)))
    return ctx.__dict__[key]


def criteria_page(ctx: Ctx, suffix: str = "", code: str = "thu-nghiem") -> str:
    return f"/criteria/{code}/{criteria_set(ctx, code).version}/{suffix}"


def editors_only(method: str, urls: dict[str | None, str], ok: int | frozenset[int], *,
                 editors: tuple[str, ...], data: dict | None = None,
                 api: bool = False) -> list[Probe]:
    """Non-admin roles and admins who do not hold the set get 403, `editors` get `ok`; `urls`
    may give an editor their own URL."""
    default = urls[None]
    refused = ("thaihoa", "inspector", "viewer") + tuple(
        user for user in CRITERIA_ADMINS if user not in editors)
    probes = [Probe(None, method, default, 401 if api else 302, data, api)]
    probes += [Probe(user, method, default, 403, data, api) for user in refused]
    probes += [Probe(user, method, urls.get(user, default), ok, data, api) for user in editors]
    return probes


@entry("criteria:list")
def criteria_list(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/criteria/", 200, anonymous=302)


@entry("criteria:check_expression")
def criteria_check_expression(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/criteria/check-expression/?expression=x", 200, anonymous=302)


@entry("criteria:current")
def criteria_current(ctx: Ctx) -> list[Probe]:
    criteria_set(ctx)
    return everyone("GET", "/criteria/thu-nghiem/", 302, anonymous=302)


@entry("criteria:detail", "criteria:export_yaml", "criteria:export_xlsx")
def criteria_reads(ctx: Ctx) -> list[Probe]:
    probes = []
    for suffix in ("", "export.yaml", "export.xlsx"):
        probes += everyone("GET", criteria_page(ctx, suffix), 200, anonymous=302)
    return probes


@entry("criteria:edit", "criteria:criterion_add", "criteria:criterion_edit")
def criteria_edit_pages(ctx: Ctx) -> list[Probe]:
    probes = []
    for code, editors in SET_EDITORS.items():
        pk = criteria_set(ctx, code).criteria.get(code="TC 1").pk
        for suffix in ("edit/", "criteria/new/", f"criteria/{pk}/"):
            url = criteria_page(ctx, suffix, code)
            probes += editors_only("GET", {None: url}, 200, editors=editors)
            probes += editors_only("POST", {None: url}, 422, editors=editors, data={})
    return probes


@entry("criteria:criterion_remove")
def criteria_remove(ctx: Ctx) -> list[Probe]:
    probes = []
    for code, editors in SET_EDITORS.items():
        pks = dict(criteria_set(ctx, code).criteria.values_list("code", "pk"))
        urls = {None: criteria_page(ctx, f"criteria/{pks['TC 1']}/remove/", code)}
        urls |= {user: criteria_page(ctx, f"criteria/{pks[tc]}/remove/", code)
                 for user, tc in zip(editors, ("TC 1", "TC 2"), strict=False)}
        probes += (editors_only("GET", {None: urls[None]}, 200, editors=editors)
                   + editors_only("POST", urls, 302, editors=editors))
    return probes


@entry("criteria:publish", "criteria:new_round")
def criteria_actions(ctx: Ctx) -> list[Probe]:
    probes = []
    for code, editors in SET_EDITORS.items():
        probes += (editors_only("POST", {None: criteria_page(ctx, "publish/", code)}, 302,
                                editors=editors)
                   + editors_only("POST", {None: criteria_page(ctx, "new-round/", code)}, 302,
                                  editors=editors, data={"year": "2026"}))
    return probes


@entry("GET /api/criteria-sets")
def criteria_api_list(ctx: Ctx) -> list[Probe]:
    return everyone("GET", "/api/criteria-sets", 200, anonymous=401, api=True)


@entry("GET /api/criteria-sets/{code}", "GET /api/criteria-sets/{code}/export.yaml",
       "GET /api/criteria-sets/{code}/export.xlsx")
def criteria_api_reads(ctx: Ctx) -> list[Probe]:
    criteria_set(ctx)
    probes = []
    for suffix in ("", "/export.yaml", "/export.xlsx"):
        probes += everyone("GET", f"/api/criteria-sets/thu-nghiem{suffix}?version=2025", 200,
                           anonymous=401, api=True)
    return probes


@entry("POST /api/criteria-sets", "PUT /api/criteria-sets/{code}",
       "POST /api/criteria-sets/{code}/publish")
def criteria_api_writes(ctx: Ctx) -> list[Probe]:
    from kieumau.criteria.spec import spec_to_jsonable
    from tests.criteria.factories import small_spec

    def new_set(code: str, owned: bool) -> dict:
        return spec_to_jsonable(small_spec(code=code, owner=_owner_spec("own" if owned else
                                                                         "thu-nghiem")))

    create = "/api/criteria-sets"
    probes = editors_only("POST", {None: create}, 422, data={}, api=True,
                          editors=CRITERIA_ADMINS)
    # A new national set: the ministry's alone. A set of Nghệ An's own: Nghệ An's and the
    # ministry's; Thái Nguyên naming Nghệ An as the owner reads like an unknown owner (422).
    probes += [Probe(user, "POST", create, 403, new_set("moi-toan-quoc", False), True)
               for user in ("nghean", "thainguyen")]
    probes += [Probe("ministry", "POST", create, 201, new_set("moi-toan-quoc", False), True),
               Probe("thainguyen", "POST", create, 422, new_set("moi-nghe-an", True), True),
               Probe("nghean", "POST", create, 201, new_set("moi-nghe-an", True), True),
               Probe("ministry", "POST", create, 201, new_set("moi-nghe-an-2", True), True)]
    for code, editors in SET_EDITORS.items():
        criteria_set(ctx, code)
        one = f"/api/criteria-sets/{code}"
        probes += (editors_only("PUT", {None: f"{one}?version=2025"}, 422, data={}, api=True,
                                editors=editors)
                   + editors_only("POST", {None: f"{one}/publish?version=2025"}, 200, data={},
                                  api=True, editors=editors))
    return probes


# --- assessments: workflow, judgements, evidence ---------------------------------------------

PDF_FOR_PROBES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ASSESSMENT_WRITERS = ("thaihoa", "nghean", "ministry")


def assessment_set(ctx: Ctx):
    """A published ward set (TC 1 manual with evidence, TC 2 computed), built once per Ctx."""
    if "assessment_set" not in ctx.__dict__:
        from kieumau.criteria.services import create_set
        from kieumau.criteria.spec import CriterionSpec, SetSpec

        _indicator_catalogue()
        spec = SetSpec(code="phuong-ma-tran", year=2024, title="Phường (ma trận phạm vi)",
                       applies_to_kinds=("phuong",), criteria=(
                           CriterionSpec(code="TC 1", title="Có nghị quyết", evidence_required=True),
                           CriterionSpec(code="TC 2", title="Tin báo", kind="indicator_rule",
                                         expression="tin_bao_da_xu_ly >= 1")))
        ctx.__dict__["assessment_set"] = create_set(actor=ctx.users.ministry, spec=spec,
                                                    status="published")
    return ctx.__dict__["assessment_set"]


def _open_assessment(ctx: Ctx, actor, unit_):
    from kieumau.assessments.services import create_assessment

    return create_assessment(actor=actor, unit=unit_, criteria_set=assessment_set(ctx), year=2025)


def _evidence(ctx: Ctx, assessment, actor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kieumau.assessments.evidence import upload_evidence

    tc1 = assessment.criteria_set.criteria.get(code="TC 1")
    return upload_evidence(actor=actor, assessment=assessment, criterion_id=tc1.pk,
                           upload=SimpleUploadedFile("nghi-quyet.pdf", PDF_FOR_PROBES))


def _writes_by_url(method: str, *, inside: str, outside: str, own: dict[str, str],
                   ok: int | frozenset[int], data: dict | None = None,
                   api: bool = False) -> list[Probe]:
    """Like `writes`, but each writer acts on their own object (a delete succeeds once)."""
    probes = [Probe(None, method, inside, 401 if api else 302, data, api),
              Probe("thainguyen", method, inside, 404, data, api),
              Probe("thaihoa", method, outside, 404, data, api),
              Probe("nghean", method, outside, 404, data, api),
              Probe("viewer", method, outside, 403, data, api),
              Probe("inspector", method, inside, 403, data, api)]
    return probes + [Probe(user, method, own[user], ok, data, api) for user in own]


def _opening(ctx: Ctx, url: str, ok: frozenset[int], *, api: bool = False) -> list[Probe]:
    """Opening an assessment names the unit in the body, not the URL."""
    set_ref = "phuong-ma-tran" if api else assessment_set(ctx).pk
    key = "criteria_set"
    inside = {"unit": ctx.inside_unit.code, key: set_ref, "year": 2025}
    outside = {"unit": ctx.outside_unit.code, key: set_ref, "year": 2025}
    return [Probe(None, "POST", url, 401 if api else 302, inside, api),
            Probe("thainguyen", "POST", url, 404, inside, api),
            Probe("thaihoa", "POST", url, 404, outside, api),
            Probe("nghean", "POST", url, 404, outside, api),
            Probe("viewer", "POST", url, 403, outside, api),
            Probe("inspector", "POST", url, 403, inside, api)] + [
        Probe(user, "POST", url, ok, inside, api) for user in ASSESSMENT_WRITERS]


@entry("assessments:list")
def assessments_list(ctx: Ctx) -> list[Probe]:
    ctx.inside_assessment, ctx.outside_assessment  # noqa: B018 - something to list
    return everyone("GET", "/assessments/", 200, anonymous=302)


@entry("assessments:create")
def assessments_create(ctx: Ctx) -> list[Probe]:
    return (everyone("GET", "/assessments/new/", 200, anonymous=302)
            + _opening(ctx, "/assessments/new/", frozenset({302})))


@entry("assessments:detail")
def assessment_detail(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/assessments/{ctx.inside_assessment.pk}/",
                 outside=f"/assessments/{ctx.outside_assessment.pk}/")


@entry("assessments:judgements")
def assessment_judgements(ctx: Ctx) -> list[Probe]:
    # Nothing typed: a writer's save changes nothing and comes back to the page.
    return writes(method="POST", inside=f"/assessments/{ctx.inside_assessment.pk}/judgements/",
                  outside=f"/assessments/{ctx.outside_assessment.pk}/judgements/",
                  data={"revision": ctx.inside_assessment.revision}, ok=frozenset({302}))


@entry("assessments:step")
def assessment_step(ctx: Ctx) -> list[Probe]:
    # Submitting a draft without its evidence is refused (422): scope and role are checked first.
    return writes(method="POST", inside=f"/assessments/{ctx.inside_assessment.pk}/step/",
                  outside=f"/assessments/{ctx.outside_assessment.pk}/step/",
                  data={"action": "submit", "revision": ctx.inside_assessment.revision},
                  ok=frozenset({422}))


@entry("assessments:upload_evidence")
def assessment_upload(ctx: Ctx) -> list[Probe]:
    tc1 = ctx.inside_assessment.criteria_set.criteria.get(code="TC 1")
    data = {"criterion": tc1.pk, "file": _ReusableFile("nghi-quyet.pdf", PDF_FOR_PROBES)}
    return writes(method="POST", inside=f"/assessments/{ctx.inside_assessment.pk}/evidence/",
                  outside=f"/assessments/{ctx.outside_assessment.pk}/evidence/",
                  data=data, ok=frozenset({302}))


@entry("assessments:evidence")
def assessment_evidence_download(ctx: Ctx) -> list[Probe]:
    inside = _evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa)
    outside = _evidence(ctx, ctx.outside_assessment, ctx.users.thainguyen)
    return reads(inside=f"/assessments/evidence/{inside.pk}/",
                 outside=f"/assessments/evidence/{outside.pk}/")


@entry("assessments:delete_evidence")
def assessment_evidence_delete(ctx: Ctx) -> list[Probe]:
    inside = _evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa)
    outside = _evidence(ctx, ctx.outside_assessment, ctx.users.thainguyen)
    own = {user: f"/assessments/evidence/"
                 f"{_evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa).pk}/delete/"
           for user in ASSESSMENT_WRITERS}
    return _writes_by_url("POST", inside=f"/assessments/evidence/{inside.pk}/delete/",
                          outside=f"/assessments/evidence/{outside.pk}/delete/", own=own, ok=302,
                          data={"confirmed": "1"})


@entry("GET /api/assessments")
def api_assessments_list(ctx: Ctx) -> list[Probe]:
    ctx.inside_assessment, ctx.outside_assessment  # noqa: B018
    return everyone("GET", "/api/assessments", 200, anonymous=401, api=True)


@entry("POST /api/assessments")
def api_assessments_create(ctx: Ctx) -> list[Probe]:
    assessment_set(ctx)
    return _opening(ctx, "/api/assessments", frozenset({200, 201}), api=True)


@entry("GET /api/assessments/{assessment_id}")
def api_assessment_detail(ctx: Ctx) -> list[Probe]:
    return reads(inside=f"/api/assessments/{ctx.inside_assessment.pk}",
                 outside=f"/api/assessments/{ctx.outside_assessment.pk}", api=True)


@entry("POST /api/assessments/{assessment_id}/judgements")
def api_assessment_judgements(ctx: Ctx) -> list[Probe]:
    return writes(method="POST", inside=f"/api/assessments/{ctx.inside_assessment.pk}/judgements",
                  outside=f"/api/assessments/{ctx.outside_assessment.pk}/judgements",
                  data={"revision": ctx.inside_assessment.revision, "judgements": []},
                  ok=frozenset({200}), api=True)


@entry("POST /api/assessments/{assessment_id}/transitions")
def api_assessment_transitions(ctx: Ctx) -> list[Probe]:
    return writes(method="POST", inside=f"/api/assessments/{ctx.inside_assessment.pk}/transitions",
                  outside=f"/api/assessments/{ctx.outside_assessment.pk}/transitions",
                  data={"action": "submit", "revision": ctx.inside_assessment.revision},
                  ok=frozenset({422}), api=True)


@entry("POST /api/assessments/{assessment_id}/evidence")
def api_assessment_upload(ctx: Ctx) -> list[Probe]:
    # The matrix sends no multipart body: writers in scope get 422 (no file), after the checks.
    return writes(method="POST", inside=f"/api/assessments/{ctx.inside_assessment.pk}/evidence",
                  outside=f"/api/assessments/{ctx.outside_assessment.pk}/evidence",
                  data=None, ok=frozenset({422}), api=True)


@entry("GET /api/evidence/{evidence_id}")
def api_evidence_download(ctx: Ctx) -> list[Probe]:
    inside = _evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa)
    outside = _evidence(ctx, ctx.outside_assessment, ctx.users.thainguyen)
    return reads(inside=f"/api/evidence/{inside.pk}", outside=f"/api/evidence/{outside.pk}",
                 api=True)


@entry("DELETE /api/evidence/{evidence_id}")
def api_evidence_delete(ctx: Ctx) -> list[Probe]:
    inside = _evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa)
    outside = _evidence(ctx, ctx.outside_assessment, ctx.users.thainguyen)
    own = {user: f"/api/evidence/{_evidence(ctx, ctx.inside_assessment, ctx.users.thaihoa).pk}"
           for user in ASSESSMENT_WRITERS}
    return _writes_by_url("DELETE", inside=f"/api/evidence/{inside.pk}",
                          outside=f"/api/evidence/{outside.pk}", own=own, ok=204, api=True)


# --- standing (evaluation of a unit under each set, history) ------------------------------------

def _shipped_sets(ctx: Ctx) -> None:
    """The indicator catalogue and the shipped criteria sets, loaded once per Ctx."""
    if "shipped_sets" not in ctx.__dict__:
        from kieumau.criteria.loading import ensure_indicator_catalogue, load_catalog

        ensure_indicator_catalogue()
        ctx.__dict__["shipped_sets"] = load_catalog()


@entry("assessments:unit_standing")
def unit_standing(ctx: Ctx) -> list[Probe]:
    _shipped_sets(ctx)
    return reads(inside=f"/assessments/units/{ctx.inside_unit.code}/standing/",
                 outside=f"/assessments/units/{ctx.outside_unit.code}/standing/")


@entry("assessments:unit_set_standing")
def unit_set_standing(ctx: Ctx) -> list[Probe]:
    _shipped_sets(ctx)
    path = "/assessments/units/{}/standing/phuong-kieu-mau/?year=2026"
    return reads(inside=path.format(ctx.inside_unit.code), outside=path.format(ctx.outside_unit.code))


@entry("GET /api/orgunits/{code}/standing")
def standing_api(ctx: Ctx) -> list[Probe]:
    _shipped_sets(ctx)
    path = "/api/orgunits/{}/standing?set=phuong-kieu-mau&year=2026"
    return reads(inside=path.format(ctx.inside_unit.code), outside=path.format(ctx.outside_unit.code),
                 api=True)


# --- entries kept beside each domain's tests -----------------------------------------------------
# A domain may keep its entries in tests/<domain>/scope_entries.py, importing `entry`, `Probe`,
# `reads`, `writes`, … from this module; they are registered here, before the tests are built.

for _path in sorted(Path(__file__).resolve().parent.glob("*/scope_entries.py")):
    importlib.import_module(f"tests.{_path.parent.name}.scope_entries")


# --- the machinery ----------------------------------------------------------------------------

def _page_patterns(patterns, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue  # the API is enumerated from its own schema, below
            inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
            names += _page_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))
    return names


def _api_operations() -> list[str]:
    from kieumau.api import api

    schema = api.get_openapi_schema()
    operations = [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]
    return [*operations, f"GET /api/{api.openapi_url.strip('/')}", f"GET /api/{api.docs_url.strip('/')}"]


def all_endpoints() -> list[str]:
    return sorted(set(_page_patterns(get_resolver().url_patterns)) | set(_api_operations()))


def test_every_endpoint_has_an_entry():
    missing = [key for key in all_endpoints() if key not in MATRIX]
    assert not missing, f"add these to tests/test_scope_matrix.py: {missing}"


def test_no_entry_for_an_endpoint_that_is_gone():
    stale = sorted(set(MATRIX) - set(all_endpoints()))
    assert not stale, f"entries for endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_endpoint_answers_each_role(key, users):
    ctx = Ctx(users)
    probes = MATRIX[key](ctx)
    assert probes, f"{key} has no probes"
    failures = []
    for probe in probes:
        user = getattr(users, probe.user) if probe.user else None
        client = api_client_for(user) if probe.api else client_for(user)
        send = getattr(client, probe.method.lower())
        if probe.api and probe.data is not None:
            response = send(probe.url, probe.data, content_type="application/json")
        else:
            response = send(probe.url, probe.data or {})
        if not probe.matches(response.status_code):
            failures.append(f"{probe.user or 'anonymous'} {probe.method} {probe.url}: "
                            f"got {response.status_code}, expected {probe.expected}")
    assert not failures, "\n".join(failures)
