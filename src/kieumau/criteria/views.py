"""Pages of criteria sets: every signed-in user reads them; who edits which set is
`accounts.scope.may_edit_criteria_set` (the ministry national sets, a province its own)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import scope
from kieumau.criteria import exports, selectors, services
from kieumau.criteria.forms import CriterionForm, SetForm
from kieumau.criteria.messages import rule_error_message
from kieumau.criteria.models import CriteriaSet, CriterionKind, SetStatus
from kieumau.criteria.rules import RuleError, compile_rule
from kieumau.criteria.spec import SetSpec
from kieumau.criteria.validation import InvalidSet
from kieumau.orgunits.models import Kind


def _detail_url(criteria_set: CriteriaSet) -> str:
    return reverse("criteria:detail", args=[criteria_set.code, criteria_set.version])


def _saved(request: HttpRequest, before: CriteriaSet, after: CriteriaSet) -> HttpResponse:
    if after.pk != before.pk:
        messages.success(
            request,
            _(
                "Phiên bản %(old)s đã được dùng để đánh giá nên giữ nguyên; thay đổi được lưu "
                "thành phiên bản mới %(new)s."
            )
            % {"old": before.version, "new": after.version},
        )
    else:
        messages.success(request, _("Đã lưu."))
    return redirect(_detail_url(after))


def _superseded(request: HttpRequest, criteria_set: CriteriaSet) -> HttpResponse:
    current = selectors.get_set(code=criteria_set.code)
    messages.error(
        request,
        _("Phiên bản %(old)s đã được thay thế; hãy sửa phiên bản %(new)s.")
        % {"old": criteria_set.version, "new": current.version},
    )
    return redirect(_detail_url(current))


@require_GET
def set_list(request: HttpRequest) -> HttpResponse:
    sets = list(selectors.list_sets())
    return render(request, "criteria/list.html", {"sets": sets})


@require_GET
def current(request: HttpRequest, code: str) -> HttpResponse:
    return redirect(_detail_url(selectors.get_set(code=code)))


@require_GET
def set_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set = selectors.get_set(code=code, version=version)
    spec = selectors.spec_of(criteria_set)
    may_edit = scope.may_edit_criteria_set(request.user, owner=criteria_set.owner)
    kinds = dict(Kind.choices)
    kind_labels = dict(CriterionKind.choices)

    def rows(criteria):
        return [
            {"c": c, "kind": kind_labels.get(c.kind, c.kind), "rule": exports.threshold_text(c)}
            for c in criteria
        ]

    groups = [
        (group, rows(c for c in spec.criteria if c.group == group.code)) for group in spec.groups
    ]
    loose = rows(c for c in spec.criteria if c.group is None)
    if loose:
        groups.append((None, loose))
    context = {
        "set": criteria_set,
        "spec": spec,
        "groups": groups,
        "applies_to": [kinds.get(k, k) for k in spec.applies_to_kinds],
        "document": exports.document_line(spec),
        "period": exports.period_line(spec),
        "outcome": exports.outcome_line(spec),
        "versions": list(selectors.versions_of(code)),
        "can_edit": may_edit and criteria_set.status != SetStatus.SUPERSEDED,
        "can_admin": may_edit,
    }
    return render(request, "criteria/detail.html", context)


@require_GET
def export_yaml(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set = selectors.get_set(code=code, version=version)
    response = HttpResponse(exports.to_yaml(criteria_set), content_type=exports.YAML_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(criteria_set, "yaml")}"'
    )
    return response


@require_GET
def export_xlsx(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set = selectors.get_set(code=code, version=version)
    response = HttpResponse(exports.to_xlsx(criteria_set), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(criteria_set, "xlsx")}"'
    )
    return response


def _editable(request: HttpRequest, code: str, version: str) -> tuple[CriteriaSet, SetSpec]:
    scope.require_admin(request.user)
    criteria_set = selectors.get_set(code=code, version=version)
    scope.require_criteria_set_editor(request.user, owner=criteria_set.owner)
    return criteria_set, selectors.spec_of(criteria_set)


@require_http_methods(["GET", "POST"])
def set_edit(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set, spec = _editable(request, code, version)
    if criteria_set.status == SetStatus.SUPERSEDED:
        return _superseded(request, criteria_set)
    form = SetForm(request.POST or None, initial=SetForm.initial_from(spec))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_set(
                    actor=request.user, criteria_set=criteria_set, spec=form.apply_to(spec)
                )
            except InvalidSet as invalid:
                form.show_problems(invalid.problems)
            except services.SetSuperseded:
                return _superseded(request, criteria_set)
            else:
                return _saved(request, criteria_set, saved)
        status = 422
    context = {"set": criteria_set, "form": form}
    return render(request, "criteria/set_form.html", context, status=status)


def _criterion_page(
    request: HttpRequest, *, criteria_set: CriteriaSet, form: CriterionForm, status: int, key=None
) -> HttpResponse:
    context = {
        "set": criteria_set,
        "form": form,
        "key": key,
        "indicators": sorted(selectors.indicator_names().items()),
    }
    return render(request, "criteria/criterion_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, code: str, version: str, pk: int) -> HttpResponse:
    criteria_set, spec = _editable(request, code, version)
    if criteria_set.status == SetStatus.SUPERSEDED:
        return _superseded(request, criteria_set)
    criterion = next((c for c in spec.criteria if c.key == pk), None)
    if criterion is None:
        raise scope.NotVisible("no such criterion")
    form = CriterionForm(
        request.POST or None, initial=CriterionForm.initial_from(criterion), groups=spec.groups
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.update_criterion(
                    actor=request.user, criteria_set=criteria_set, key=pk, changes=form.changes()
                )
            except InvalidSet as invalid:
                form.show_problems(invalid.problems, code=criterion.code)
            except services.SetSuperseded:
                return _superseded(request, criteria_set)
            else:
                return _saved(request, criteria_set, saved)
        return _criterion_page(request, criteria_set=criteria_set, form=form, status=422, key=pk)
    return _criterion_page(request, criteria_set=criteria_set, form=form, status=200, key=pk)


@require_http_methods(["GET", "POST"])
def criterion_add(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set, spec = _editable(request, code, version)
    if criteria_set.status == SetStatus.SUPERSEDED:
        return _superseded(request, criteria_set)
    initial = {"code": f"TC {len(spec.criteria) + 1}", "kind": CriterionKind.MANUAL}
    form = CriterionForm(request.POST or None, initial=initial, groups=spec.groups)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.add_criterion(
                    actor=request.user, criteria_set=criteria_set, criterion=form.new_criterion()
                )
            except InvalidSet as invalid:
                form.show_problems(invalid.problems, code=form.cleaned_data["code"])
            except services.SetSuperseded:
                return _superseded(request, criteria_set)
            else:
                return _saved(request, criteria_set, saved)
        return _criterion_page(request, criteria_set=criteria_set, form=form, status=422)
    return _criterion_page(request, criteria_set=criteria_set, form=form, status=200)


@require_http_methods(["GET", "POST"])
def criterion_remove(request: HttpRequest, code: str, version: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (no script may do it on this site); POST removes."""
    criteria_set, spec = _editable(request, code, version)
    criterion = next((c for c in spec.criteria if c.key == pk), None)
    if criterion is None:
        raise scope.NotVisible("no such criterion")
    if request.method == "GET":
        context = {"set": criteria_set, "criterion": criterion}
        return render(request, "criteria/criterion_remove.html", context)
    try:
        saved = services.remove_criterion(actor=request.user, criteria_set=criteria_set, key=pk)
    except InvalidSet as invalid:
        for problem in invalid.problems:
            messages.error(request, problem.message)
        return redirect(_detail_url(criteria_set))
    except services.SetSuperseded:
        return _superseded(request, criteria_set)
    return _saved(request, criteria_set, saved)


@require_POST
def publish(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set, _spec = _editable(request, code, version)
    services.publish_set(actor=request.user, criteria_set=criteria_set)
    messages.success(request, _("Đã công bố phiên bản %(v)s.") % {"v": criteria_set.version})
    return redirect(_detail_url(criteria_set))


@require_POST
def new_round(request: HttpRequest, code: str, version: str) -> HttpResponse:
    criteria_set, _spec = _editable(request, code, version)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Năm không hợp lệ."))
        return redirect(_detail_url(criteria_set))
    try:
        new = services.start_new_round(actor=request.user, criteria_set=criteria_set, year=year)
    except InvalidSet as invalid:
        for problem in invalid.problems:
            messages.error(request, problem.message)
        return redirect(_detail_url(criteria_set))
    messages.success(
        request,
        _("Đã tạo dự thảo %(v)s từ phiên bản %(old)s; sửa rồi công bố.")
        % {"v": new.version, "old": criteria_set.version},
    )
    return redirect(_detail_url(new))


@require_GET
def check_expression(request: HttpRequest) -> HttpResponse:
    """The htmx check under the expression box: the Vietnamese message, or that it is fine."""
    text = request.GET.get("expression", "").strip()
    code = request.GET.get("code", "").strip() or _("tiêu chí")
    message, ok = "", False
    if text:
        try:
            rule = compile_rule(text, known_indicators=selectors.indicator_codes())
        except RuleError as error:
            message = rule_error_message(error, criterion_code=code)
        else:
            ok = True
            message = _("Biểu thức hợp lệ; dùng các chỉ số: %(codes)s.") % {
                "codes": ", ".join(sorted(rule.indicators))
            }
    return render(
        request,
        "criteria/criterion_form.html#check",
        {"check_message": message, "check_ok": ok},
    )
