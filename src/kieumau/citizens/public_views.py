"""Pages for residents: no sign-in, no JavaScript needed, every input bounded, nothing stored on
bad input. Personal data never appears here."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kieumau.citizens import catalog, selectors
from kieumau.citizens.models import Status
from kieumau.citizens.requests import services as request_services
from kieumau.citizens.surveys import services as survey_services
from kieumau.core import http
from kieumau.indicators.months import add_months

ANSWERED_COOKIE_SALT = "kieumau.citizens.answered"
PUBLIC_MONTHS = 6


def client_address(request: HttpRequest) -> str:
    """The client's address, read the one way the product reads it (`core.http.client_address`:
    REMOTE_ADDR, or the header KIEUMAU_TRUSTED_PROXY names). Used only for budgets."""
    return (http.client_address(request) or "unknown")[:64]


class Errors(dict):
    """Messages by field; a field without one reads as "" (no exception in the template)."""

    def __missing__(self, key):
        return ""


def _errors(errors: dict[str, str]) -> dict:
    return {"errors": Errors(errors), "error_messages": list(errors.values())}


def _answered_cookie(code: str) -> str:
    return f"ks_{code}"


def _answered_in(request: HttpRequest, code: str, month: str) -> bool:
    """Whether this browser's cookie says it answered unit `code` in `month` ("YYYY-MM")."""
    raw = request.COOKIES.get(_answered_cookie(code), "")
    if not raw or len(raw) > 200:
        return False
    try:
        signed = signing.Signer(salt=ANSWERED_COOKIE_SALT).unsign(raw)
    except signing.BadSignature:
        return False
    return signed == month


def _scale():
    return [(5, _("Rất hài lòng")), (4, _("Hài lòng")), (3, _("Bình thường")),
            (2, _("Không hài lòng")), (1, _("Rất không hài lòng"))]


def _aspects():
    return [("access", _("Tiếp cận dịch vụ (nơi tiếp dân, hướng dẫn, thời gian làm việc)")),
            ("procedure", _("Thủ tục hành chính (hồ sơ, phí, thời hạn được công khai, đúng quy định)")),
            ("officer", _("Cán bộ tiếp nhận, giải quyết (thái độ, hướng dẫn, đúng mực)")),
            ("result", _("Kết quả giải quyết (đúng hạn, chính xác)")),
            ("feedback", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"))]


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    unit = selectors.public_commune(code=code, as_of=today)
    errors: dict[str, str] = {}
    status = 200
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        month = today.strftime("%Y-%m")
        if _answered_in(request, unit.code, month) and not posted.get("code", "").strip():
            errors = {"": _already_answered()}
            status = 409
        else:
            data = survey_services.AnswerInput(
                procedure=str(posted.get("procedure", ""))[:40],
                scores={aspect: str(posted.get(f"score_{aspect}", ""))[:2]
                        for aspect, _text in _aspects()},
                comment=str(posted.get("comment", "")),
                code=str(posted.get("code", ""))[:40],
            )
            try:
                survey_services.submit_answer(unit=unit, data=data,
                                              token=str(posted.get("token", ""))[:300],
                                              address=client_address(request))
            except survey_services.SurveyRefused as refused:
                errors, status = refused.errors, refused.status
            else:
                response = redirect(reverse("citizens:survey_thanks", args=[unit.code]))
                response.set_cookie(_answered_cookie(unit.code),
                                    signing.Signer(salt=ANSWERED_COOKIE_SALT).sign(month),
                                    max_age=31 * 24 * 3600, httponly=True, samesite="Lax",
                                    secure=request.is_secure())
                return response
    context = {
        "unit": unit,
        "procedures": [(p.code, p.name, p.code == posted.get("procedure"))
                       for p in catalog.procedures()],
        "questions": _questions(posted),
        "token": survey_services.form_token(unit=unit),
        **_errors(errors),
        "comment": str(posted.get("comment", ""))[:survey_services.COMMENT_MAX + 100],
        "code": str(posted.get("code", "") or request.GET.get("code", ""))[:20],
        "comment_max": survey_services.COMMENT_MAX,
    }
    return render(request, "citizens/survey.html", context, status=status)


def _questions(posted) -> list[dict]:
    """Each aspect with its five choices and which one was ticked (kept after an error)."""
    scale = _scale()
    questions = []
    for aspect, label in _aspects():
        chosen = str(posted.get(f"score_{aspect}", ""))
        questions.append({"name": f"score_{aspect}", "label": label,
                          "error": f"score_{aspect}",
                          "choices": [(value, text, str(value) == chosen) for value, text in scale]})
    return questions


def _already_answered() -> str:
    return _("Bạn đã góp ý cho đơn vị này trong tháng này. Cảm ơn bạn! (Nếu có mã phiếu, hãy "
             "nhập mã để gửi thêm.)")


@login_not_required
def survey_thanks(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.public_commune(code=code, as_of=timezone.localdate())
    return render(request, "citizens/survey_thanks.html", {"unit": unit})


@login_not_required
def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    unit = selectors.public_commune(code=code, as_of=today)
    last = today.replace(day=1)
    first = add_months(last, -(PUBLIC_MONTHS - 1))
    context = {
        "unit": unit,
        "procedures": catalog.procedures(),
        "procedure_counts": selectors.procedure_counts(unit=unit, first=first, last=last),
        "satisfaction": selectors.public_satisfaction(unit=unit, first=first, last=last),
        "requests": selectors.public_request_counts(unit=unit, first=first, last=last),
        "resolved": selectors.resolved_count(unit=unit, first=first, last=last),
        "min_answers": settings.SURVEY_MIN_ANSWERS,
        "first": first,
    }
    return render(request, "citizens/public_unit.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def file_request(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    unit = selectors.public_commune(code=code, as_of=today)
    province = request_services.province_of(unit, today)
    if province is not None:
        request_services.ensure_categories(province=province)
    errors: dict[str, str] = {}
    status = 200
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        data = request_services.RequestInput(
            **{name: str(posted.get(name, ""))[:4000] for name in (
                "description", "address", "latitude", "longitude", "contact_name",
                "contact_phone", "contact_email")},
            category_code=str(posted.get("category", ""))[:60],
        )
        try:
            filed = request_services.file_request(unit=unit, data=data,
                                                  photo=request.FILES.get("photo"),
                                                  address=client_address(request))
        except request_services.RequestRefused as refused:
            errors, status = refused.errors, refused.status
        else:
            return redirect(reverse("citizens:track", args=[filed.tracking_code]) + "?new=1")
    context = {
        "unit": unit,
        "categories": selectors.active_categories_of(province=province) if province else [],
        **_errors(errors),
        "posted": posted,
        "description_max": request_services.DESCRIPTION_MAX,
    }
    return render(request, "citizens/file_request.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The resident's page: status, deadline, public notes; "was it fixed?" once resolved."""
    filed = selectors.public_request(tracking_code=tracking_code)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        answer = request.POST.get("fixed", "")
        if answer not in ("yes", "no"):
            errors, status = {"fixed": _choose_answer()}, 400
        else:
            try:
                filed = request_services.resident_answer(request=filed, fixed=answer == "yes")
            except request_services.RequestRefused as refused:
                errors, status = refused.errors, refused.status
            else:
                return redirect(reverse("citizens:track", args=[filed.tracking_code]))
    context = {
        "filed": filed,
        "events": selectors.public_trail(request=filed),
        "is_new": request.GET.get("new") == "1",
        "ask_fixed": filed.status == Status.RESOLVED,
        "overdue": filed.is_open and filed.due_on < timezone.localdate(),
        **_errors(errors),
    }
    return render(request, "citizens/track.html", context, status=status)


def _choose_answer() -> str:
    return _("Hãy chọn “Đã khắc phục” hoặc “Chưa khắc phục”.")


@login_not_required
def track_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type a tracking code (from a receipt) and go to its page."""
    code = str(request.GET.get("code", "")).strip().upper()[:16]
    if code:
        return redirect(reverse("citizens:track", args=[code]))
    return render(request, "citizens/track_lookup.html", {})
