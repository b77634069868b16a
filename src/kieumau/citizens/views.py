"""Officers' pages: a unit's resident figures, the QR poster, one-time codes, publishing to the
indicators, the request queue and handling, exports, the province's categories. Thin."""

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import scope
from kieumau.citizens import exports, feed, poster, selectors
from kieumau.citizens.models import Status
from kieumau.citizens.requests import services as request_services
from kieumau.citizens.surveys import services as survey_services
from kieumau.indicators import services as indicator_services
from kieumau.indicators.months import add_months, month_label, parse_month
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits.models import Level

DASHBOARD_MONTHS = 12


def _unit(request: HttpRequest, code: str):
    if len(code) > 16 or not code.isprintable():
        raise scope.NotVisible("not found")
    return unit_selectors.unit_for(request.user, code=code, as_of=timezone.localdate())


def _months(request: HttpRequest, count: int) -> tuple[dt.date, dt.date, str | None]:
    this_month = timezone.localdate().replace(day=1)
    try:
        last = parse_month(request.GET["to"]) if request.GET.get("to") else this_month
        first = parse_month(request.GET["from"]) if request.GET.get("from") \
            else add_months(last, -(count - 1))
    except ValueError:
        return add_months(this_month, -(count - 1)), this_month, _(
            "Tháng không hợp lệ (cần dạng YYYY-MM); đang hiện %(n)s tháng gần nhất.") % {"n": count}
    if first > last or (last.year - first.year) * 12 + last.month - first.month > 120:
        return add_months(this_month, -(count - 1)), this_month, _(
            "Khoảng tháng không hợp lệ (tối đa 10 năm); đang hiện %(n)s tháng gần nhất.") % {
            "n": count}
    return first, last, None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    code = str(request.GET.get("unit", "")).strip()[:16]
    if not code.isprintable():
        code = ""
    if not code and request.user.home_unit_id:
        code = request.user.home_unit.code
    if code:
        return redirect(reverse("citizens:unit", args=[code]))
    raise Http404


@require_GET
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    first, last, bad = _months(request, DASHBOARD_MONTHS)
    context = {
        "unit": unit,
        "first": first,
        "last": last,
        "bad_period": bad,
        "satisfaction": selectors.satisfaction_by_month(request.user, unit=unit, first=first,
                                                        last=last),
        "requests": selectors.request_counts_by_month(request.user, unit=unit, first=first,
                                                      last=last),
        "overdue": selectors.overdue_count(request.user, unit=unit)
        if unit.level == Level.COMMUNE else None,
        "is_commune": unit.level == Level.COMMUNE,
        "can_write": request.user.can_write,
        "publish_month": month_label(add_months(timezone.localdate().replace(day=1), -1)),
        "survey_url": request.build_absolute_uri(reverse("citizens:survey", args=[unit.code])),
    }
    return render(request, "citizens/unit.html", context)


@require_GET
def poster_svg(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    if unit.level != Level.COMMUNE:
        raise scope.NotVisible("not found")
    url = request.build_absolute_uri(reverse("citizens:survey", args=[unit.code]))
    svg = poster.poster_svg(
        url=url, unit_name=unit.police_name,
        title=_("MỜI ÔNG/BÀ ĐÁNH GIÁ SỰ HÀI LÒNG"),
        lines=[_("Quét mã QR bằng điện thoại để trả lời 5 câu hỏi (1 phút)."),
               _("Không cần đăng nhập, không thu thập thông tin cá nhân."),
               _("Cảm ơn ông/bà đã góp ý để chúng tôi phục vụ tốt hơn.")])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="khao-sat-{unit.code}.svg"'
    return response


@require_POST
def issue_codes(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    raw = str(request.POST.get("count", "")).strip()[:6]
    try:
        codes = survey_services.issue_codes(actor=request.user, unit=unit,
                                            count=int(raw) if raw.isdigit() else 0)
    except survey_services.BadCodeRequest as bad:
        messages.error(request, bad.message)
        return redirect(reverse("citizens:unit", args=[unit.code]))
    return render(request, "citizens/codes.html", {
        "unit": unit, "codes": codes,
        "survey_url": request.build_absolute_uri(reverse("citizens:survey", args=[unit.code]))})


@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    try:
        month = parse_month(str(request.POST.get("month", ""))[:10])
    except ValueError:
        messages.error(request, _("Tháng không hợp lệ (cần dạng YYYY-MM)."))
        return redirect(reverse("citizens:unit", args=[unit.code]))
    scope.require_write(request.user, unit)
    try:
        result = feed.publish_month(actor=request.user, unit=unit, month=month)
    except indicator_services.ValuesRejected as rejected:
        messages.error(request, "; ".join(error.message for error in rejected.errors))
    except feed.FeedUnavailable as missing:
        messages.error(request, missing.message)
    else:
        messages.success(request, _("Đã ghi số liệu tháng %(month)s vào chỉ số (%(n)s giá trị "
                                    "mới hoặc thay đổi).") % {
            "month": month_label(month), "n": result.created + result.updated})
    return redirect(reverse("citizens:unit", args=[unit.code]))


@require_GET
def request_queue(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    status = str(request.GET.get("status", ""))[:20]
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.queue(request.user, unit=unit, status=status, overdue_only=overdue_only)
    return render(request, "citizens/queue.html", {
        "unit": unit, "rows": rows[:500], "total": rows.count(), "status": status,
        "overdue_only": overdue_only, "statuses": Status.choices, "today": timezone.localdate(),
        "overdue": selectors.overdue_count(request.user, unit=unit)})


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filed = selectors.request_for(request.user, pk=pk)
    if request.method == "POST":
        action = str(request.POST.get("action", ""))[:20]
        note = str(request.POST.get("note", ""))[:1000]
        try:
            if action == "reassign":
                target = _commune_of_same_province(request)
                request_services.reassign_request(actor=request.user, request=filed,
                                                  to_unit=target, note=note)
                messages.success(request, _("Đã chuyển phản ánh cho %(unit)s.") % {
                    "unit": target.police_name})
                return redirect(reverse("citizens:index"))
            if action not in Status.values:
                raise request_services.RequestRefused({"status": _("Thao tác không hợp lệ.")})
            request_services.move_request(actor=request.user, request=filed, to=action,
                                          note=note)
        except request_services.RequestRefused as refused:
            messages.error(request, " ".join(refused.errors.values()))
        else:
            messages.success(request, _("Đã cập nhật trạng thái."))
        return redirect(reverse("citizens:request", args=[filed.pk]))
    return render(request, "citizens/request.html", {
        "filed": filed,
        "reporter": selectors.may_see_reporter(request.user, filed),
        "trail": selectors.trail(request.user, request=filed),
        "moves": [(s, Status(s).label) for s in request_services.MOVES.get(filed.status, ())
                  if s != Status.CLOSED or filed.status == Status.RESOLVED],
        "overdue": filed.is_open and filed.due_on < timezone.localdate(),
        "can_write": request.user.can_write,
    })


def _commune_of_same_province(request: HttpRequest):
    """A commune officer reassigns to a neighbour they cannot otherwise see: resolved by code
    among today's communes; the service refuses one outside the request's province."""
    try:
        return selectors.public_commune(code=str(request.POST.get("unit", ""))[:16],
                              as_of=timezone.localdate())
    except scope.NotVisible:
        raise request_services.RequestRefused(
            {"unit": _("Hãy chọn một xã, phường khác trong cùng tỉnh.")}) from None


@require_GET
def request_photo(request: HttpRequest, pk: int) -> HttpResponse:
    filed = selectors.request_for(request.user, pk=pk)
    if not filed.photo or not selectors.may_see_reporter(request.user, filed):
        raise scope.NotVisible("not found")
    response = FileResponse(filed.photo.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="anh-{filed.tracking_code}.jpg"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_answers(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    unit = _unit(request, code)
    first, last, _bad = _months(request, DASHBOARD_MONTHS)
    rows = selectors.answers_for_export(request.user, unit=unit, first=first, last=last)
    name = f"khao-sat-{unit.code}-{month_label(first)}-{month_label(last)}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    handle = exports.xlsx_file(rows)
    return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")


@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest, code: str) -> HttpResponse:
    province = _unit(request, code)
    if province.level != Level.PROVINCE:
        raise scope.NotVisible("not found")
    status = 200
    if request.method == "POST":
        raw_days = str(request.POST.get("deadline_days", "")).strip()[:4]
        try:
            request_services.save_category(
                actor=request.user, province=province,
                code=str(request.POST.get("code", "")).strip()[:41],
                name=str(request.POST.get("name", ""))[:201],
                deadline_days=int(raw_days) if raw_days.isdigit() else -1,
                active=request.POST.get("active", "1") == "1")
        except request_services.RequestRefused as refused:
            messages.error(request, " ".join(refused.errors.values()))
            status = 422
        else:
            messages.success(request, _("Đã lưu loại phản ánh."))
            return redirect(reverse("citizens:categories", args=[province.code]))
    request_services.ensure_categories(province=province)
    return render(request, "citizens/categories.html", {
        "province": province, "categories": selectors.categories_of(province=province),
        "can_edit": request.user.is_admin_level and request.user.can_write}, status=status)
