"""Pages of assessments: list and review queue, opening one, the assessment page and its forms."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import scope
from kieumau.assessments import evidence as evidence_service
from kieumau.assessments import selectors, services, workflow
from kieumau.assessments.coverage import approval_warning, assessment_coverage, warning_after
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
from kieumau.core.http import wants_fragment
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
        "stage_names": {s.code: s.name for s in flow.definition.stages},
        # Sets by title (the newest version's), never by their internal code.
        "set_choices": sorted(
            dict(
                CriteriaSet.objects.order_by("code", "year", "revision").values_list(
                    "code", "title"
                )
            ).items(),
            key=lambda item: item[1],
        ),
    }
    return render(request, "assessments/list.html", context)


PICKER_LIMIT = 600  # more units than this in scope (the ministry): type a name or a code


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    choices = _units_to_pick(request)
    if request.method == "GET":
        initial = {"unit": request.GET.get("unit") or getattr(request.user.home_unit, "code", "")}
        if request.GET.get("year", "").strip():
            # What the user typed stays, even out of range: picking a unit refreshes the form,
            # and a year silently replaced by this year would open another round's dossier.
            # The submission checks it and says what is wrong.
            initial["year"] = request.GET["year"].strip()[:6]
        if request.GET.get("set", "").isdigit():
            initial["criteria_set"] = request.GET["set"]
        form = CreateAssessmentForm(
            initial=initial, unit=_unit_or_none(request, initial["unit"]), choices=choices
        )
        return render(request, "assessments/create.html", {"form": form})
    scope.require_write(request.user)
    form = CreateAssessmentForm(request.POST, choices=choices)
    if not form.is_valid():
        return render(request, "assessments/create.html", {"form": form}, status=422)
    criteria_set, year = form.cleaned_data["criteria_set"], form.cleaned_data["year"]
    _start, end = form.cleaned_data["period"]
    wanted = form.cleaned_data["unit"].strip()
    try:
        unit = unit_selectors.unit_for(request.user, code=wanted, as_of=end)
    except scope.NotVisible:
        unit = _unit_named(request, form, wanted=wanted, as_of=end)
        if unit is None:
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


def _units_to_pick(request: HttpRequest) -> list[OrgUnit]:
    units = list(
        unit_selectors.search_units(request.user, as_of=today(), level=Level.COMMUNE)[
            : PICKER_LIMIT + 1
        ]
    )
    if len(units) > PICKER_LIMIT:
        return []
    return unit_selectors.with_province_names(request.user, units, as_of=today())


def _unit_or_none(request: HttpRequest, code: str) -> OrgUnit | None:
    """The commune or grassroots unit a new assessment form is opened for, to offer only the sets
    that apply to it (a province officer's home is no such unit: every set is offered)."""
    try:
        unit = unit_selectors.unit_for(request.user, code=code, as_of=today()) if code else None
    except scope.NotVisible:
        return None
    return unit if unit is not None and unit.level in (Level.COMMUNE, Level.GRASSROOTS) else None


def _unit_named(request, form, *, wanted: str, as_of) -> OrgUnit | None:
    """A unit typed by name ("thai hoa"): the one commune-level unit in scope on the period's last
    day whose name holds every word; otherwise the form says what matched."""
    if wanted.isdigit():  # a code: it names no unit in scope on that day
        form.add_error(
            "unit",
            _("Không có đơn vị mã %(code)s vào ngày %(day)s trong phạm vi của bạn.")
            % {"code": wanted, "day": f"{as_of:%d/%m/%Y}"},
        )
        return None
    found = list(
        unit_selectors.search_units(request.user, as_of=as_of, level=Level.COMMUNE, text=wanted)[
            :6
        ]
    )
    if len(found) == 1:
        return found[0]
    if not found:
        form.add_error(
            "unit",
            _("Không có đơn vị “%(name)s” vào ngày %(day)s trong phạm vi của bạn.")
            % {"name": wanted, "day": f"{as_of:%d/%m/%Y}"},
        )
        return None
    unit_selectors.with_province_names(request.user, found, as_of=as_of)
    listed = "; ".join(f"{u.police_name} ({u.province_name}, {_('mã')} {u.code})" for u in found[:5])
    form.add_error(
        "unit",
        _("Có nhiều đơn vị khớp “%(name)s”: %(units)s. Gõ tên đầy đủ hơn hoặc mã.")
        % {"name": wanted, "units": listed},
    )
    return None


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
    unsaved = 0
    for group in page.groups:
        for row in group.rows:
            if typed and row.criterion.pk in typed:  # show the form as it was left
                shown = typed[row.criterion.pk]
                if row.is_manual and shown["status"] != row.input_status or shown["comment"] != row.input_comment:
                    unsaved += 1
                row.input_status = shown["status"] if row.is_manual else row.input_status
                row.input_comment = shown["comment"]
            row.error = by_field.get(row.criterion.code, "")
    context = {
        "page": page,
        "assessment": assessment,
        "error": error,
        "error_list": list(errors),
        "step_input": step_input or {},
        "unsaved": unsaved if page.edit_side else 0,
    }
    return render(request, "assessments/detail.html", context, status=status)


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment(request.user, pk)
    return _render_detail(request, assessment, typed=_take_unsaved(request, assessment))


# What a person typed but did not save survives an upload or a deletion made without script: the
# form carries it to that view, which keeps it in the session for the page it redirects to.
def _unsaved_key(assessment: Assessment) -> str:
    return f"kieumau-unsaved-{assessment.pk}"


def _keep_unsaved(request: HttpRequest, assessment: Assessment) -> None:
    criteria = assessment.criteria_set.criteria.order_by("order", "id")
    _items, typed = judgement_inputs(request.POST, criteria=criteria)
    if typed:
        request.session[_unsaved_key(assessment)] = {
            "revision": assessment.revision,
            "typed": {str(pk): value for pk, value in typed.items()},
        }


def _take_unsaved(request: HttpRequest, assessment: Assessment) -> dict[int, dict] | None:
    kept = request.session.pop(_unsaved_key(assessment), None)
    if not kept or kept.get("revision") != assessment.revision:
        return None  # saved or changed by someone since: the stored judgements win
    return {int(pk): value for pk, value in kept["typed"].items()}


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


# Steps that cannot simply be taken back: the page asks "are you sure?" first (no script needed).
CONFIRM_STEPS = frozenset({"approve"})


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
    if data["action"] in CONFIRM_STEPS and request.POST.get("confirmed") != "1":
        step = next(
            (
                s
                for s in assessment.workflow.definition.steps_from(assessment.stage)
                if s.action == data["action"]
            ),
            None,
        )
        if step is not None and workflow.may_take(
            step, workflow.capacities(request.user, assessment)
        ):  # anyone else is refused below, with the reason
            return _confirm_step(request, assessment, step=step, typed=typed)
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


def _confirm_step(request, assessment: Assessment, *, step, typed: dict) -> HttpResponse:
    return render(
        request,
        "assessments/confirm.html",
        {
            "assessment": assessment,
            "title": step.name,
            "question": _("Thực hiện “%(step)s” cho hồ sơ của %(unit)s?")
            % {"step": step.name, "unit": assessment.unit.police_name},
            "consequence": _(
                "Hồ sơ và số liệu của kỳ sẽ bị khóa: không ai sửa được đánh giá, minh chứng và "
                "số liệu cho đến khi cấp có thẩm quyền mở khóa."
            ),
            "action": reverse("assessments:step", args=[assessment.pk]),
            "carried": [(key, typed[key]) for key in ("action", "comment") if typed.get(key)]
            + [("revision", request.POST.get("revision", ""))],
            "confirm_label": step.name,
            "danger": False,
            # Approving before the period ends locks months still open: say which, here too.
            "warning": approval_warning(assessment_coverage(assessment)),
        },
    )


@require_POST
def upload_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """From the assessment page: the button of one criterion posts the whole judgements form.
    With htmx only that criterion's evidence cell is swapped, and what was typed elsewhere stays
    on the page; without script what was typed comes back (unsaved) on the page after."""
    assessment = selectors.get_assessment(request.user, pk)
    scope.require_write(request.user, assessment.unit)
    raw = request.POST.get("criterion", "")
    data = {"criterion": raw, "file": request.FILES.get(f"file-{raw}") or request.FILES.get("file")}
    form = EvidenceForm(data, {"file": data["file"]} if data["file"] else {})
    fragment = wants_fragment(request)
    error = ""
    if not form.is_valid():
        error = _("Chọn tệp minh chứng rồi bấm “Tải lên”.")
    else:
        try:
            evidence_service.upload_evidence(
                actor=request.user,
                assessment=assessment,
                criterion_id=form.cleaned_data["criterion"],
                upload=form.cleaned_data["file"],
            )
        except AssessmentInputError as refused:
            error = " ".join([refused.detail, *(item["message"] for item in refused.errors)])
    if fragment:
        return _evidence_cell(request, assessment, criterion=raw, error=error)
    if error:
        criteria = assessment.criteria_set.criteria.order_by("order", "id")
        _items, typed = judgement_inputs(request.POST, criteria=criteria)
        return _render_detail(request, assessment, status=422, typed=typed, error=error)
    _keep_unsaved(request, assessment)
    messages.success(request, _("Đã tải lên minh chứng."))
    return redirect(f"{assessment_url(assessment)}#criterion-{form.cleaned_data['criterion']}")


def _evidence_cell(request, assessment: Assessment, *, criterion: str, error: str) -> HttpResponse:
    """The evidence cell of one criterion, and the "before submitting" notice swapped out of band."""
    page = selectors.assessment_page(request.user, assessment)
    row = next(
        (r for g in page.groups for r in g.rows if str(r.criterion.pk) == criterion), None
    )
    if row is None:
        return HttpResponse(_("Không có tiêu chí này trong hồ sơ."), status=422)
    context = {
        "page": page,
        "assessment": assessment,
        "row": row,
        "upload_error": error,
        "upload_done": "" if error else _("Đã tải lên minh chứng."),
    }
    cell = render(request, "assessments/detail.html#files", context).content.decode()
    notice = render(request, "assessments/detail.html#missing", context).content.decode()
    oob = f'<div id="missing-slot" hx-swap-oob="true">{notice}</div>'
    return HttpResponse(cell + oob, status=422 if error else 200)


@require_POST
def delete_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a page that needs no script), then deletes; what was typed on the assessment
    page is carried through and comes back unsaved."""
    item = selectors.get_evidence(request.user, pk)
    assessment = item.assessment
    scope.require_write(request.user, assessment.unit)
    back = f"{assessment_url(assessment)}#criterion-{item.criterion_id}"
    if "cancel" in request.POST:
        _keep_unsaved(request, assessment)
        return redirect(back)
    if request.POST.get("confirmed") != "1":
        return render(
            request,
            "assessments/confirm.html",
            {
                "assessment": assessment,
                "title": _("Xóa minh chứng"),
                "question": _("Xóa tệp minh chứng “%(name)s” của tiêu chí %(code)s?")
                % {"name": item.original_name, "code": item.criterion.code},
                "consequence": _("Tệp sẽ bị xóa khỏi hồ sơ; việc xóa được ghi vào nhật ký."),
                "action": reverse("assessments:delete_evidence", args=[item.pk]),
                "carried": [
                    (key, value)
                    for key, value in request.POST.items()
                    if key.startswith(("status-", "comment-"))
                ],
                "confirm_label": _("Xóa"),
                "danger": True,
                "cancellable": True,
            },
        )
    try:
        evidence_service.delete_evidence(actor=request.user, evidence=item)
    except AssessmentInputError as error:
        return _render_detail(request, assessment, status=422, error=error.detail)
    _keep_unsaved(request, assessment)
    messages.success(request, _("Đã xóa minh chứng “%(name)s”.") % {"name": item.original_name})
    return redirect(back)


@require_GET
def download_evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.get_evidence(request.user, pk)
    return evidence_service.file_response(item)


def assessment_url(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])
