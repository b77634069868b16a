"""Open311 GeoReport v2 under /open311/v2/, in JSON and XML (http://wiki.open311.org/GeoReport_v2).

Services are the request categories (the national defaults, or a province's own list with
`jurisdiction_id=<province code>`). Statuses: received and in progress are "open"; resolved,
closed and rejected are "closed", with the Vietnamese state and the public note in
`status_notes`. Public reads carry no personal data: no description, contact, photo or exact
place; `address` is the handling commune. POST needs an `api_key` issued to the client
(`kieumau manage open311_client NAME`); the demo key works only while debug is on.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kieumau.citizens import catalog, places, selectors
from kieumau.citizens.models import OPEN_STATUSES, CitizenRequest, Open311Client, Status
from kieumau.citizens.open311.render import respond, respond_errors
from kieumau.citizens.requests import services as request_services
from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"
DEMO_KEY = "kieumau-demo-open311"
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
CLOSED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _parse_datetime(raw: str) -> dt.datetime:
    raw = (raw or "").strip()
    if not raw or len(raw) > 40 or not raw.isprintable():
        raise ValueError
    value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _public(api):
    return login_not_required(csrf_exempt(api))


@_public
@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", args=["json"])) \
        .rsplit("/services.json", 1)[0] + "/"
    document = {
        "changeset": CHANGESET,
        "contact": _("Bộ Công an — phần mềm Công an xã, phường kiểu mẫu"),
        "key_service": _("Khóa API do quản trị hệ thống cấp (kieumau manage open311_client)."),
        "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    return respond(document, fmt=fmt, root="discovery",
                   lists={"endpoints": "endpoint", "formats": "format"})


def _services(jurisdiction: str) -> list[dict] | None:
    """Category dicts, or None when `jurisdiction` names no province today."""
    if not jurisdiction:
        return [{"code": c.code, "name": c.name, "days": c.deadline_days}
                for c in catalog.default_categories()]
    province = _province(jurisdiction)
    if province is None:
        return None
    request_services.ensure_categories(province=province)
    return [{"code": c.code, "name": c.name, "days": c.deadline_days}
            for c in selectors.active_categories_of(province=province)]


def _province(code: str) -> OrgUnit | None:
    if len(code) > 8 or not code.isdigit():
        return None
    try:
        return tree.unit_by_code(units=OrgUnit.objects.filter(level=Level.PROVINCE), code=code,
                                 as_of=timezone.localdate())
    except tree.UnitNotFound:
        return None


def _service_dict(entry: dict) -> dict:
    return {"service_code": entry["code"], "service_name": entry["name"],
            "description": _("Thời hạn xử lý: %(days)s ngày.") % {"days": entry["days"]},
            "metadata": False, "type": "realtime", "keywords": "ANTT", "group": "ANTT"}


@_public
@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    found = _services(str(request.GET.get("jurisdiction_id", "")).strip())
    if found is None:
        return respond_errors([(404, _("jurisdiction_id không phải mã một tỉnh hiện nay."))],
                              fmt=fmt)
    return respond([_service_dict(entry) for entry in found], fmt=fmt, root="services",
                   item="service")


@_public
@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    found = _services(str(request.GET.get("jurisdiction_id", "")).strip()) or []
    if not any(entry["code"] == code for entry in found):
        return respond_errors([(404, _("Không có loại phản ánh (service_code) này."))], fmt=fmt)
    return respond({"service_code": code, "attributes": []}, fmt=fmt,
                   root="service_definition", lists={"attributes": "attribute"})


def _request_dict(filed: CitizenRequest) -> dict:
    is_open = filed.status in OPEN_STATUSES
    note = Status(filed.status).label
    if filed.status_note:
        note = f"{note}: {filed.status_note}"
    expected = dt.datetime.combine(filed.due_on, dt.time(23, 59, 59),
                                   tzinfo=timezone.get_current_timezone())
    return {
        "service_request_id": str(filed.pk),
        "status": "open" if is_open else "closed",
        "status_notes": str(note),
        "service_name": filed.category.name,
        "service_code": filed.category.code,
        "description": "",
        "agency_responsible": filed.unit.police_name,
        "service_notice": "",
        "requested_datetime": _iso(filed.received_at),
        "updated_datetime": _iso(filed.updated_at),
        "expected_datetime": _iso(expected),
        "address": filed.unit.name,
        "address_id": filed.unit.code,
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _client(key: str) -> Open311Client | None | str:
    """The client owning `key`; "demo-off" for the demo key without debug; None if unknown."""
    if not key or len(key) > 100:
        return None
    if key == DEMO_KEY:
        if not settings.DEBUG:
            return "demo-off"
        client, _created = Open311Client.objects.get_or_create(
            key_digest=hashlib.sha256(key.encode()).hexdigest(),
            defaults={"name": "Demo Open311 client"})
        return client
    return Open311Client.objects.filter(key_digest=hashlib.sha256(key.encode()).hexdigest(),
                                        active=True).first()


@_public
@require_http_methods(["GET", "POST"])
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    params = request.GET
    try:
        found = _filtered(params)
    except ValueError as bad:
        return respond_errors([(400, str(bad))], fmt=fmt)
    rows = [_request_dict(filed) for filed in found[:MAX_RESULTS]]
    return respond(rows, fmt=fmt, root="service_requests", item="request")


def _filtered(params):
    """The public listing with the standard filters; ValueError names a bad parameter."""
    found = selectors.open311_requests()
    ids = str(params.get("service_request_id", "")).strip()
    if ids:
        parts = [part.strip() for part in ids.split(",") if part.strip()]
        if len(parts) > 100 or not all(part.isdigit() and len(part) < 12 for part in parts):
            raise ValueError(_("service_request_id phải là các số, cách nhau bởi dấu phẩy."))
        return found.filter(pk__in=[int(part) for part in parts])
    code = str(params.get("service_code", "")).strip()
    if code:
        if len(code) > 40 or not code.isprintable():
            raise ValueError(_("service_code không hợp lệ."))
        found = found.filter(category__code=code)
    status = str(params.get("status", "")).strip().lower()
    if status:
        wanted = {part.strip() for part in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise ValueError(_("status phải là open hoặc closed."))
        if wanted == {"open"}:
            found = found.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            found = found.filter(status__in=CLOSED)
    try:
        end = _parse_datetime(params["end_date"]) if params.get("end_date") else timezone.now()
        start = _parse_datetime(params["start_date"]) if params.get("start_date") \
            else end - dt.timedelta(days=DEFAULT_DAYS)
    except ValueError:
        raise ValueError(_("start_date, end_date phải theo ISO 8601, ví dụ "
                           "2026-11-05T08:15:30+07:00.")) from None
    if start > end:
        raise ValueError(_("start_date phải trước end_date."))
    return found.filter(received_at__gte=start, received_at__lte=end)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    client = _client(str(params.get("api_key", "")).strip())
    if client is None or client == "demo-off":
        return respond_errors([(403, _("api_key không hợp lệ."))], fmt=fmt, status=403)
    address = str(params.get("address_string", ""))[:400]
    address_id = str(params.get("address_id", "")).strip()[:16]
    unit = None
    today = timezone.localdate()
    if address_id:
        try:
            unit = selectors.public_commune(code=address_id, as_of=today)
        except selectors.scope.NotVisible:
            return respond_errors([(400, _("address_id không phải mã một xã, phường hiện nay."))],
                                  fmt=fmt)
    else:
        unit = places.commune_for(address, day=today)
    if unit is None:
        return respond_errors([(400, _("Không xác định được xã, phường từ address_string; "
                                       "gửi kèm address_id là mã xã, phường."))], fmt=fmt)
    name = " ".join(str(params.get(part, "")).strip()[:50]
                    for part in ("first_name", "last_name")).strip()
    data = request_services.RequestInput(
        category_code=str(params.get("service_code", "")).strip()[:60],
        description=str(params.get("description", ""))[:4000],
        address=address[:request_services.ADDRESS_MAX + 1],
        latitude=str(params.get("lat", ""))[:30], longitude=str(params.get("long", ""))[:30],
        contact_name=name, contact_phone=str(params.get("phone", ""))[:30],
        contact_email=str(params.get("email", ""))[:300])
    try:
        filed = request_services.file_request(unit=unit, data=data, address="open311",
                                              client=client)
    except request_services.RequestRefused as refused:
        field_names = {"category": "service_code", "location": "lat/long",
                       "contact_phone": "phone", "contact_email": "email",
                       "address": "address_string"}
        errors = [(refused.status if refused.status != 404 else 400,
                   f"{field_names.get(name, name)}: {message}" if name else message)
                  for name, message in refused.errors.items()]
        return respond_errors(errors, fmt=fmt, status=429 if refused.status == 429 else 400)
    answer = [{"service_request_id": str(filed.pk), "token": filed.tracking_code,
               "service_notice": _("Thời hạn xử lý đến %(day)s.") % {
                   "day": filed.due_on.strftime("%d/%m/%Y")}, "account_id": ""}]
    return respond(answer, fmt=fmt, root="service_requests", item="request", status=201)


@_public
@require_GET
def request_detail(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    found = selectors.open311_requests().filter(pk=int(pk)).first() if len(pk) < 12 else None
    if found is None:
        return respond_errors([(404, _("Không có phản ánh này."))], fmt=fmt)
    return respond([_request_dict(found)], fmt=fmt, root="service_requests", item="request")


@_public
@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        found = selectors.public_request(tracking_code=token)
    except selectors.scope.NotVisible:
        return respond_errors([(404, _("Không có mã này."))], fmt=fmt)
    return respond([{"service_request_id": str(found.pk), "token": found.tracking_code}],
                   fmt=fmt, root="service_requests", item="request")
