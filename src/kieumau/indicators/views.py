"""Pages: the catalogue, the form per unit and month, spreadsheet templates and uploads, and the
comparison with the same period a year before. Thin: selectors read, services write."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kieumau.accounts import scope
from kieumau.core.dates import today
from kieumau.core.http import wants_fragment
from kieumau.indicators import imports, selectors, services, xlsx
from kieumau.indicators.comparison import CountComparison
from kieumau.indicators.models import Source, ValueType
from kieumau.indicators.months import (
    add_months,
    first_of_month,
    month_end,
    month_label,
    parse_month,
)
from kieumau.indicators.validation import format_value
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits.models import Level

MAX_TEMPLATE_MONTHS = 24
PICKER_LIMIT = 600


def _last_month() -> dt.date:
    return add_months(first_of_month(today()), -1)


def _month(raw: str | None, default: dt.date) -> tuple[dt.date, str | None]:
    """The month asked for, or the default; a bad month is reported, not guessed."""
    if not raw:
        return default, None
    try:
        return parse_month(raw), None
    except ValueError:
        return default, raw


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str | None]:
    last, bad_to = _month(request.GET.get("to"), _last_month())
    first, bad_from = _month(request.GET.get("from"), dt.date(last.year, 1, 1))
    if first > last:
        return dt.date(last.year, 1, 1), last, f"{month_label(first)} > {month_label(last)}"
    return first, last, bad_from or bad_to


def _default_code(request: HttpRequest) -> str:
    home = request.user.home_unit
    code = request.GET.get("unit", "").strip()
    if code:
        return code
    return home.code if home is not None and home.level in (Level.COMMUNE, Level.GRASSROOTS) else ""


def _picker(request: HttpRequest, day: dt.date) -> list:
    return selectors.communes_to_pick(request.user, day=day, limit=PICKER_LIMIT)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    last = _last_month()
    return render(
        request,
        "indicators/index.html",
        {
            "indicators": selectors.catalogue(),
            "imports": selectors.recent_imports(request.user, limit=10),
            "month": month_label(last),
            "from_month": month_label(dt.date(last.year, 1, 1)),
            "to_month": month_label(last),
            "units": _picker(request, month_end(last)),
            "unit_code": _default_code(request),
        },
    )


# --- the form per unit and month -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def month_form(request: HttpRequest) -> HttpResponse:
    month, bad_month = _month(request.GET.get("month"), _last_month())
    code = _default_code(request)
    context = {
        "month": month,
        "month_text": month_label(month),
        "bad_month": bad_month,
        "unit_code": code,
        "units": _picker(request, month_end(month)),
    }
    if not code:
        return render(request, "indicators/month_form.html", context)
    unit = unit_selectors.unit_for(request.user, code=code, as_of=month_end(month))
    entries = selectors.month_sheet(request.user, unit=unit, month=month)
    submitted, errors, status, conflict = {}, {}, 200, None
    if request.method == "POST":
        scope.require_write(request.user, unit)
        rows, submitted = [], {}
        for entry in entries:
            field = f"v_{entry.indicator.code}"
            if field not in request.POST or entry.locked:
                continue
            submitted[entry.indicator.code] = request.POST[field]
            rows.append(
                services.ValueInput(
                    unit,
                    entry.indicator,
                    month,
                    request.POST[field],
                    ref=entry.indicator.code,
                    expected_revision=_int(request.POST.get(f"r_{entry.indicator.code}")),
                )
            )
        try:
            result = services.set_values(actor=request.user, rows=rows, source=Source.FORM)
        except services.ValuesRejected as rejected:
            errors = {error.ref: error.message for error in rejected.errors}
            status = 422
            if isinstance(rejected, services.ValuesConflict):
                conflict, status = rejected.message, 409
        else:
            messages.success(
                request,
                _(
                    "Đã lưu: %(created)d giá trị mới, %(updated)d giá trị sửa, %(unchanged)d không "
                    "đổi."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            query = urlencode({"unit": unit.code, "month": month_label(month)})
            return redirect(f"{reverse('indicators:values')}?{query}")
    names = {entry.indicator.code: entry.indicator.name for entry in entries}
    context.update(
        {
            "unit": unit,
            "unit_code": unit.code,
            "rows": [
                {
                    "entry": entry,
                    "error": errors.get(entry.indicator.code),
                    "shown": submitted.get(
                        entry.indicator.code, _input(entry.value.value if entry.value else None)
                    ),
                    "is_flag": entry.indicator.value_type == ValueType.FLAG,
                }
                for entry in entries
            ],
            "error_summary": ([conflict] if conflict else [])
            + [f"{names.get(code, code)} ({code}): {message}" for code, message in errors.items()],
            "can_write": request.user.can_write,
            "month_locked": any(entry.locked for entry in entries),
        }
    )
    return render(request, "indicators/month_form.html", context, status=status)


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _input(value) -> str:
    return format_value(value).replace(".", ",")


# --- spreadsheets ----------------------------------------------------------------------------


@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    first, last, bad = _period(request)
    code = _default_code(request)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    problem = None
    if bad:
        problem = _("Kỳ không hợp lệ: «%(bad)s» (cần từ tháng ≤ đến tháng, dạng YYYY-MM).") % {
            "bad": bad
        }
    elif not code:
        problem = _("Chọn đơn vị (xã, phường hoặc cả tỉnh).")
    elif months > MAX_TEMPLATE_MONTHS:
        problem = _("Mỗi biểu mẫu tối đa %(n)d tháng.") % {"n": MAX_TEMPLATE_MONTHS}
    if problem is None:
        as_of = month_end(last)
        unit = unit_selectors.unit_for(request.user, code=code, as_of=as_of)
        units = selectors.units_for_template(request.user, unit=unit, as_of=as_of)
        if not units:
            problem = _("Chọn một tỉnh hoặc một xã, phường: %(unit)s không có biểu mẫu riêng.") % {
                "unit": unit.police_name
            }
    if problem is not None:
        messages.error(request, problem)
        return redirect("indicators:index")
    indicators = selectors.catalogue()
    stored = selectors.stored_values(request.user, units=units, first=first, last=last)
    content = xlsx.build_template(
        units=units,
        indicators=indicators,
        first=first,
        last=last,
        stored=stored,
        title=unit.police_name,
    )
    response = HttpResponse(content, content_type=imports.XLSX_MIME)
    filename = f"chi-so-{unit.code}-{month_label(first)}-{month_label(last)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    error, status = None, 200
    if request.method == "POST":
        scope.require_write(request.user)
        file = request.FILES.get("file")
        if file is None:
            error, status = _("Chọn tệp Excel (.xlsx) để tải lên."), 422
        else:
            try:
                record = imports.start_import(actor=request.user, upload=file)
            except imports.UploadRefused as refused:
                error, status = refused.message, 422
            else:
                return redirect("indicators:import_status", pk=record.pk)
    return render(
        request,
        "indicators/upload.html",
        {
            "error": error,
            "can_write": request.user.can_write,
            "imports": selectors.recent_imports(request.user, limit=10),
        },
        status=status,
    )


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.import_for(request.user, pk=pk)
    template = "indicators/import_status.html"
    if wants_fragment(request):
        template += "#status"
    return render(
        request,
        template,
        {
            "record": record,
            "errors": [imports.describe(error) for error in record.errors],
            "more_errors": max(0, record.error_count - len(record.errors)),
        },
    )


# --- same period a year before ---------------------------------------------------------------


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    first, last, bad = _period(request)
    code = _default_code(request)
    context = {
        "from_month": month_label(first),
        "to_month": month_label(last),
        "bad": bad,
        "unit_code": code,
        "units": _picker(request, month_end(last)),
    }
    if code:
        unit = unit_selectors.unit_for(request.user, code=code, as_of=month_end(last))
        result = selectors.compare_same_period(request.user, unit=unit, first=first, last=last)
        context.update(
            {
                "unit": unit,
                "result": result,
                "rows": [
                    {"row": row, "note": _note(row.comparison, row.indicator.unit_of_measure)}
                    for row in result.rows
                ],
                "previous_from": month_label(result.previous_first),
                "previous_to": month_label(result.previous_last),
                "predecessors": [u for u in result.units if u.pk != unit.pk],
                "without_data": [
                    row.indicator.name
                    for row in result.rows
                    if row.current is None and row.previous is None
                ],
            }
        )
    return render(request, "indicators/compare.html", context)


def _note(comparison: CountComparison | None, unit_of_measure: str) -> str:
    """Plain words for a change, saying so when it is within chance."""
    if comparison is None:
        return _("Thiếu số liệu của một trong hai kỳ.")
    if comparison.change == 0:
        return _("Không thay đổi.")
    if comparison.notable:
        return (
            _("Tăng rõ rệt: khó là do ngẫu nhiên.")
            if comparison.change > 0
            else _("Giảm rõ rệt: khó là do ngẫu nhiên.")
        )
    return _(
        "Chênh lệch %(diff)s %(unit)s nằm trong dao động ngẫu nhiên thường gặp (cần |z| ≥ 2): "
        "chưa nên coi là tăng hay giảm thật."
    ) % {"diff": format_value(abs(comparison.change)), "unit": unit_of_measure}
