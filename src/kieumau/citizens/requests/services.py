"""Writes of residents' requests ("phản ánh, kiến nghị về ANTT"): filing, handling, reassignment,
the resident's answer, the province's categories. Every change leaves a `RequestEvent` and an
audit row (no personal data in either)."""

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.citizens import catalog, limits, photos, places
from kieumau.citizens.models import (
    CitizenRequest,
    Open311Client,
    RequestCategory,
    RequestEvent,
    Status,
)
from kieumau.core import audit
from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit

DESCRIPTION_MAX = 2000
ADDRESS_MAX = 300
NOTE_MAX = 500
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10
_PHONE = re.compile(r"^\+?[0-9 .\-]{8,20}$")

# (from, to) moves an officer may make; the resident's answer moves resolved → closed/in progress.
MOVES = {
    Status.RECEIVED: {Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.REJECTED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: set(),
    Status.REJECTED: set(),
}


class RequestRefused(Exception):
    """Nothing was stored; `errors` maps a field (or "") to a Vietnamese message."""

    def __init__(self, errors: dict[str, str], status: int = 400) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors, self.status = errors, status


@dataclass(frozen=True, slots=True)
class RequestInput:
    category_code: str
    description: str
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


# --- categories ----------------------------------------------------------------------------


def province_of(unit: OrgUnit, day: dt.date | None = None) -> OrgUnit | None:
    day = day or timezone.localdate()
    if unit.level == Level.PROVINCE:
        return unit
    for ancestor in tree.ancestors(unit, day):
        if ancestor.level == Level.PROVINCE:
            return ancestor
    return None


@transaction.atomic
def ensure_categories(*, province: OrgUnit) -> None:
    """Give a province the default categories the first time one of its units needs them."""
    if RequestCategory.objects.filter(unit=province).exists():
        return
    RequestCategory.objects.bulk_create(
        [RequestCategory(unit=province, code=c.code, name=c.name, deadline_days=c.deadline_days)
         for c in catalog.default_categories()], ignore_conflicts=True)


@transaction.atomic
def save_category(*, actor, province: OrgUnit, code: str, name: str, deadline_days: int,
                  active: bool = True) -> RequestCategory:
    """Create or change a province's category (admin roles of that province or above)."""
    scope.require_admin(actor)
    scope.require_write(actor, province)
    if province.level != Level.PROVINCE:
        raise RequestRefused({"": _("Chỉ Công an tỉnh quản lý danh mục phản ánh.")})
    errors = {}
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code or ""):
        errors["code"] = _("Mã gồm chữ thường không dấu, số và dấu gạch ngang, tối đa 40 ký tự.")
    if not (name or "").strip() or len(name) > 200 or "\x00" in name:
        errors["name"] = _("Tên bắt buộc, tối đa 200 ký tự.")
    if not isinstance(deadline_days, int) or not 1 <= deadline_days <= 365:
        errors["deadline_days"] = _("Thời hạn từ 1 đến 365 ngày.")
    if errors:
        raise RequestRefused(errors)
    ensure_categories(province=province)
    category, created = RequestCategory.objects.update_or_create(
        unit=province, code=code,
        defaults={"name": name.strip(), "deadline_days": deadline_days, "active": active})
    audit.record(actor=actor, action="citizens.category_saved", target=category, unit=province,
                 detail={"code": code, "deadline_days": deadline_days, "active": active,
                         "created": created})
    return category


# --- filing --------------------------------------------------------------------------------


def _coordinate(raw: str, bound: int) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) > 20:
        raise ValueError
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite() or abs(value) > bound:
        raise ValueError
    return value.quantize(Decimal("0.000001"))


def clean_request(*, data: RequestInput, province: OrgUnit) -> dict:
    bad = [name for name in RequestInput.__dataclass_fields__
           if "\x00" in (getattr(data, name) or "")]
    if bad:  # PostgreSQL cannot store NUL; nobody types one
        raise RequestRefused({name: _("Có ký tự không hợp lệ.") for name in bad})
    errors: dict[str, str] = {}
    values: dict = {}
    category = None
    if len(data.category_code or "") <= 40:
        category = RequestCategory.objects.filter(unit=province, code=data.category_code,
                                                  active=True).first()
    if category is None:
        errors["category"] = _("Hãy chọn loại phản ánh.")
    values["category"] = category
    description = (data.description or "").strip()
    if not description:
        errors["description"] = _("Hãy ghi nội dung phản ánh.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Nội dung dài quá %(max)s ký tự.") % {"max": DESCRIPTION_MAX}
    values["description"] = description
    address = (data.address or "").strip()
    if len(address) > ADDRESS_MAX:
        errors["address"] = _("Địa điểm dài quá %(max)s ký tự.") % {"max": ADDRESS_MAX}
    values["address"] = address
    try:
        values["latitude"] = _coordinate(data.latitude, 90)
        values["longitude"] = _coordinate(data.longitude, 180)
    except ValueError:
        errors["location"] = _("Tọa độ không hợp lệ (vĩ độ −90..90, kinh độ −180..180).")
    if (values.get("latitude") is None) != (values.get("longitude") is None) \
            and "location" not in errors:
        errors["location"] = _("Cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai.")
    name = (data.contact_name or "").strip()
    if len(name) > 100:
        errors["contact_name"] = _("Họ tên dài quá 100 ký tự.")
    values["contact_name"] = name
    phone = (data.contact_phone or "").strip()
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = _("Số điện thoại không hợp lệ.")
    values["contact_phone"] = phone
    email = (data.contact_email or "").strip()
    if email:
        try:
            if len(email) > 254:
                raise ValueError
            validate_email(email)
        except Exception:  # noqa: BLE001 - any failure means the same thing to the resident
            errors["contact_email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    values["contact_email"] = email
    if errors:
        raise RequestRefused(errors)
    return values


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


@transaction.atomic
def file_request(*, unit: OrgUnit, data: RequestInput, photo=None, address: str,
                 client: Open311Client | None = None, now: dt.datetime | None = None
                 ) -> CitizenRequest:
    """A resident files a request with `unit`; returns it (its tracking code is the receipt).

    Bad input raises RequestRefused and stores nothing, the photo included."""
    if unit.level != Level.COMMUNE:
        raise RequestRefused({"": _("Đơn vị không nhận phản ánh.")}, status=404)
    now = now or timezone.now()
    province = province_of(unit, timezone.localtime(now).date())
    if province is None:
        raise RequestRefused({"": _("Đơn vị không nhận phản ánh.")}, status=404)
    ensure_categories(province=province)
    values = clean_request(data=data, province=province)
    cleaned_photo = None
    if photo is not None:
        try:
            cleaned_photo = photos.clean_photo(photo)
        except photos.BadPhoto as bad:
            raise RequestRefused({"photo": bad.message}) from None
    busy = _("Đang nhận quá nhiều phản ánh; xin thử lại sau ít phút.")
    if not limits.take(key=f"request-unit:{unit.pk}", limit=settings.REQUEST_UNIT_PER_HOUR,
                       window_seconds=3600, now=now):
        raise RequestRefused({"": busy}, status=429)
    if client is None and not limits.take(
            key=f"request-addr:{limits.address_key(address)}",
            limit=settings.REQUEST_ADDRESS_PER_HOUR, window_seconds=3600, now=now):
        raise RequestRefused({"": busy}, status=429)
    received_on = timezone.localtime(now).date()
    request = CitizenRequest(
        unit=unit, tracking_code=_tracking_code(), received_at=now, updated_at=now,
        due_on=received_on + dt.timedelta(days=values["category"].deadline_days),
        address_unit=places.commune_for(values["address"], day=received_on),
        channel="open311" if client else "web", client=client, **values)
    if cleaned_photo is not None:
        request.photo.save(f"{secrets.token_hex(12)}.jpg", ContentFile(cleaned_photo), save=False)
    try:
        request.save()
        RequestEvent.objects.create(request=request, at=now, to_status=Status.RECEIVED,
                                    to_unit=unit, note="")
        audit.record(actor=None, action="citizens.request_filed", target=request, unit=unit,
                     detail={"category": values["category"].code, "channel": request.channel})
    except Exception:  # as evidence uploads: a file whose row is not written is removed at once
        if request.photo:
            request.photo.delete(save=False)
        raise
    return request


# --- handling ------------------------------------------------------------------------------


@transaction.atomic
def move_request(*, actor, request: CitizenRequest, to: str, note: str = "",
                 now: dt.datetime | None = None) -> CitizenRequest:
    """An officer of the handling unit moves a request along; a rejection needs a reason."""
    scope.require_write(actor, request.unit)
    request = CitizenRequest.objects.select_for_update().filter(pk=request.pk).first()
    note = (note or "").strip().replace("\x00", "")
    if to not in MOVES.get(request.status, set()):
        raise RequestRefused({"status": _("Không thể chuyển từ “%(from)s” sang “%(to)s”.") % {
            "from": Status(request.status).label,
            "to": Status(to).label if to in Status.values else to}})
    if len(note) > NOTE_MAX:
        raise RequestRefused({"note": _("Ghi chú dài quá %(max)s ký tự.") % {"max": NOTE_MAX}})
    if to == Status.REJECTED and not note:
        raise RequestRefused({"note": _("Hãy ghi lý do không thụ lý.")})
    now = now or timezone.now()
    before = request.status
    request.status = to
    if to == Status.RESOLVED:
        request.resolved_at = now
        request.resident_fixed = None
    elif to == Status.IN_PROGRESS and before == Status.RESOLVED:
        request.resolved_at = None
    if note:
        request.status_note = note
    request.updated_at = now
    request.save()
    RequestEvent.objects.create(request=request, at=now, actor=actor, from_status=before,
                                to_status=to, note=note)
    audit.record(actor=actor, action="citizens.request_moved", target=request, unit=request.unit,
                 detail={"from": before, "to": to})
    return request


@transaction.atomic
def reassign_request(*, actor, request: CitizenRequest, to_unit: OrgUnit, note: str = "",
                     now: dt.datetime | None = None) -> CitizenRequest:
    """Hand an open request to another commune of the same province; the trail keeps both."""
    scope.require_write(actor, request.unit)
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    if not request.is_open:
        raise RequestRefused({"unit": _("Chỉ chuyển được phản ánh đang xử lý.")})
    if to_unit.level != Level.COMMUNE or not to_unit.exists_on(day) or to_unit == request.unit \
            or province_of(to_unit, day) != province_of(request.unit, day):
        raise RequestRefused({"unit": _("Hãy chọn một xã, phường khác trong cùng tỉnh.")})
    note = (note or "").replace("\x00", "")
    if len(note.strip()) > NOTE_MAX:
        raise RequestRefused({"note": _("Ghi chú dài quá %(max)s ký tự.") % {"max": NOTE_MAX}})
    before = request.unit
    request.unit, request.updated_at = to_unit, now
    request.save(update_fields=["unit", "updated_at"])
    RequestEvent.objects.create(request=request, at=now, actor=actor, from_unit=before,
                                to_unit=to_unit, note=(note or "").strip())
    audit.record(actor=actor, action="citizens.request_reassigned", target=request,
                 unit=before, detail={"from": before.pk, "to": to_unit.pk})
    return request


@transaction.atomic
def resident_answer(*, request: CitizenRequest, fixed: bool,
                    now: dt.datetime | None = None) -> CitizenRequest:
    """The resident says whether a resolved request was really fixed; "no" reopens it."""
    request = CitizenRequest.objects.select_for_update().filter(pk=request.pk).first()
    if request.status != Status.RESOLVED:
        raise RequestRefused({"": _("Phản ánh chưa ở trạng thái đã xử lý.")}, status=409)
    now = now or timezone.now()
    before = request.status
    request.resident_fixed = fixed
    request.status = Status.CLOSED if fixed else Status.IN_PROGRESS
    if not fixed:
        request.resolved_at = None
    request.updated_at = now
    request.save()
    RequestEvent.objects.create(
        request=request, at=now, from_status=before, to_status=request.status,
        note=_("Người phản ánh xác nhận đã khắc phục.") if fixed
        else _("Người phản ánh cho biết chưa khắc phục; mở lại."))
    audit.record(actor=None, action="citizens.resident_answered", target=request,
                 unit=request.unit, detail={"fixed": fixed})
    return request
