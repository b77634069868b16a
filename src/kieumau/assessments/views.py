"""Pages of assessments: list and review queue, opening one, the assessment page and its forms."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import scope
from kieumau.assessments import evidence as evidence_service
from kieumau.assessments import selectors, services, workflow
from kieumau.assessments.coverage import warning_after
from kieumau.assessments.errors import (
    AssessmentConflict,
    AssessmentInputError,
    NotYourStep,
)
from kieumau.assessments.forms import (
    CreateAssessmentForm,
    EvidenceForm,
    TransitionForm,
    judgement_inputs,
)
from kieumau.assessments.models import Assessment
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.criteria.models import CriteriaSet
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits.models import Level, OrgUnit

DONE = {
    "submit": gettext_lazy("Đã gửi hồ sơ để thẩm định."),
    "return": gettext_lazy("Đã trả lại hồ sơ cho đơn vị."),
    "approve": gettext_lazy("Đã thẩm định; hồ sơ và số liệu của kỳ đã được khóa."),
    "unlock": gettext_lazy("Đã mở khóa hồ sơ."),
    "recognise": gettext_lazy("Đã ghi nhận quyết định công nhận."),
}


def _year(raw: str) -> int | None:
    try:
        return bounds.parse_year(raw)
    except ValueError:
        return None


@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    set_code = request.GET.get("set", "").strip()
    raw_year = request.GET.get("year", "").strip()
    year = _year(raw_year)
    stage = request.GET.get("stage", "").strip()
    found = selectors.assessments_for(request.user, set_code=set_code, year=year, stage=stage)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    queue = list(selectors.review_queue(request.user)[:50])
    flow = workflow.default_workflow()
    context = {
        "page": page,
        "queue": queue,
        "set_code": set_code,
        "year": year or "",
        "bad_year": raw_year if raw_year and year is None else None,
        "first_year": bounds.FIRST_YEAR,
        "last_year": bounds.LAST_YEAR,
        "stage": stage,
        "stages": flow.definition.stages,
        "stage_names": {s.code: s.name_vi for s in flow.definition.stages},
        "set_codes": list(
            CriteriaSet.objects.order_by("code").values_list("code", flat=True).distinct()
        ),
    }
    return render(request, "assessments/list.html", context)


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {"unit": request.GET.get("unit") or getattr(request.user.home_unit, "code", "")}
        if _year(request.GET.get("year", "")):
            initial["year"] = _year(request.GET["year"])
        if request.GET.get("set", "").isdigit():
            initial["criteria_set"] = request.GET["set"]
        form = CreateAssessmentForm(initial=initial, unit=_unit_or_none(request, initial["unit"]))
        return render(request, "assessments/create.html", {"form": form})
    scope.require_write(request.user)
    form = CreateAssessmentForm(request.POST)
    if not form.is_valid():
        return render(request, "assessments/create.html", {"form": form}, status=422)
    criteria_set, year = form.cleaned_data["criteria_set"], form.cleaned_data["year"]
    _start, end = form.cleaned_data["period"]
    try:
        unit = unit_selectors.unit_for(request.user, code=form.cleaned_data["unit"], as_of=end)
    except scope.NotVisible:
        form.add_error(
            "unit",
            _("Không có đơn vị mã %(code)s vào ngày %(day)s trong phạm vi của bạn.")
            % {"code": form.cleaned_data["unit"], "day": f"{end:%d/%m/%Y}"},
        )
        return render(request, "assessments/create.html", {"form": form}, status=404)
    try:
        assessment = services.create_assessment(
            actor=request.user, unit=unit, criteria_set=criteria_set, year=year
        )
    except AssessmentInputError as error:
        for item in error.errors:
            field = item["field"] if item["field"] in form.fields else None
            form.add_error(field, item["message"])
        return render(request, "assessments/create.html", {"form": form}, status=422)
    return redirect("assessments:detail", pk=assessment.pk)


def _unit_or_none(request: HttpRequest, code: str) -> OrgUnit | None:
    """The commune or grassroots unit a new assessment form is opened for, to offer only the sets
    that apply to it (a province officer's home is no such unit: every set is offered)."""
    try:
        unit = unit_selectors.unit_for(request.user, code=code, as_of=today()) if code else None
    except scope.NotVisible:
        return None
    return unit if unit is not None and unit.level in (Level.COMMUNE, Level.GRASSROOTS) else None


def _render_detail(
    request,
    assessment: Assessment,
    *,
    status: int = 200,
    typed=None,
    error: str = "",
    errors=(),
    step_input=None,
) -> HttpResponse:
    page = selectors.assessment_page(request.user, assessment)
    by_field = {item["field"]: item["message"] for item in errors}
    for group in page.groups:
        for row in group.rows:
            if typed and row.criterion.pk in typed:  # show the refused form as it was left
                row.input_status = typed[row.criterion.pk]["status"]
                row.input_comment = typed[row.criterion.pk]["comment"]
            row.error = by_field.get(row.criterion.code, "")
    context = {
        "page": page,
        "assessment": assessment,
        "error": error,
        "error_list": list(errors),
        "step_input": step_input or {},
    }
    return render(request, "assessments/detail.html", context, status=status)


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_assessment(request.user, pk))


def _revision(request) -> int:
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isdigit() else 0


@require_POST
def save_judgements(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment(request.user, pk)
    scope.require_write(request.user, assessment.unit)
    criteria = assessment.criteria_set.criteria.order_by("order", "id")
    items, typed = judgement_inputs(request.POST, criteria=criteria)
    try:
        services.save_judgements(
            actor=request.user,
            assessment=assessment,
            expected_revision=_revision(request),
            items=items,
        )
    except AssessmentConflict as conflict:
        assessment.refresh_from_db()
        return _render_detail(request, assessment, status=409, typed=typed, error=conflict.message)
    except AssessmentInputError as error:
        return _render_detail(
            request, assessment, status=422, typed=typed, error=error.detail, errors=error.errors
        )
    messages.success(request, _("Đã lưu đánh giá."))
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
def take_step(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment(request.user, pk)
    scope.require_write(request.user, assessment.unit)
    form = TransitionForm(request.POST)
    typed = {
        key: request.POST.get(key, "")
        for key in ("action", "comment", "decision_number", "decision_date", "issuing_body", "note")
    }
    if not form.is_valid():
        errors = [{"field": name, "message": " ".join(msgs)} for name, msgs in form.errors.items()]
        return _render_detail(
            request,
            assessment,
            status=422,
            step_input=typed,
            error=_("Chưa thực hiện: thông tin chưa hợp lệ."),
            errors=errors,
        )
    data = form.cleaned_data
    recognition = workflow.RecognitionInput(
        decision_number=data["decision_number"],
        decision_date=data["decision_date"],
        issuing_body=data["issuing_body"],
        note=data["note"],
    )
    try:
        transition = workflow.apply_transition(
            actor=request.user,
            assessment=assessment,
            action=data["action"],
            expected_revision=data["revision"],
            comment=data["comment"],
            recognition=recognition,
        )
    except AssessmentConflict as conflict:
        assessment.refresh_from_db()
        return _render_detail(
            request, assessment, status=409, step_input=typed, error=conflict.message
        )
    except NotYourStep as refused:
        return _render_detail(
            request, assessment, status=403, step_input=typed, error=refused.message
        )
    except AssessmentInputError as error:
        return _render_detail(
            request,
            assessment,
            status=422,
            step_input=typed,
            error=error.detail,
            errors=error.errors,
        )
    messages.success(request, DONE.get(data["action"], _("Đã chuyển bước.")))
    warning = warning_after(assessment=assessment, transition=transition)
    if warning:
        messages.warning(request, warning)
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
def upload_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment(request.user, pk)
    scope.require_write(request.user, assessment.unit)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(
            request, assessment, status=422, error=_("Chọn tiêu chí và tệp minh chứng.")
        )
    try:
        evidence_service.upload_evidence(
            actor=request.user,
            assessment=assessment,
            criterion_id=form.cleaned_data["criterion"],
            upload=form.cleaned_data["file"],
        )
    except AssessmentInputError as error:
        return _render_detail(
            request, assessment, status=422, error=error.detail, errors=error.errors
        )
    messages.success(request, _("Đã tải lên minh chứng."))
    return redirect(f"{assessment_url(assessment)}#criterion-{form.cleaned_data['criterion']}")


@require_POST
def delete_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_evidence(request.user, pk)
    scope.require_write(request.user, item.assessment.unit)
    try:
        evidence_service.delete_evidence(actor=request.user, evidence=item)
    except AssessmentInputError as error:
        return _render_detail(request, item.assessment, status=422, error=error.detail)
    messages.success(request, _("Đã xóa minh chứng “%(name)s”.") % {"name": item.original_name})
    return redirect(f"{assessment_url(item.assessment)}#criterion-{item.criterion_id}")


@require_GET
def download_evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.get_evidence(request.user, pk)
    return evidence_service.file_response(item)


def assessment_url(assessment: Assessment) -> str:
    from django.urls import reverse

    return reverse("assessments:detail", args=[assessment.pk])
