"""Pages of inspections and of the follow-up of recommendations. Thin, like programs/views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import scope
from kieumau.core.dates import today
from kieumau.core.http import as_of_from
from kieumau.inspections import forms, selectors, services
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits.forms import add_errors, unit_in_form
from kieumau.programs import selectors as program_selectors


def _apply(form, error: services.InspectionInputError) -> None:
    add_errors(form, error.errors)


def _unit(request, form, field: str, day):
    return unit_in_form(request.user, form, field, day)


@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    as_of, bad_date = as_of_from(request)
    context = {
        "inspections": selectors.inspections_for(request.user)[:200],
        "open": selectors.open_recommendations(request.user, as_of=as_of)[:200],
        "as_of": as_of,
        "bad_date": bad_date,
        "can_record": services.can_record(request.user),
    }
    return render(request, "inspections/list.html", context)


@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not services.can_record(request.user):
        raise PermissionDenied("inspection recorders only")
    plan = None
    raw_plan = request.POST.get("plan") or request.GET.get("plan") or ""
    if raw_plan.isdigit():
        plan = program_selectors.get_plan(request.user, int(raw_plan))
    if request.method == "GET":
        initial = {"owner_unit": getattr(request.user.home_unit, "code", ""), "date": today(),
                   "plan": plan.pk if plan else None}
        if plan is not None:
            initial["owner_unit"] = plan.issuing_unit.code
        form = forms.InspectionForm(initial=initial)
        return render(request, "inspections/form.html", {"form": form, "plan": plan})
    form = forms.InspectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        owner = _unit(request, form, "owner_unit", data["date"])
        if owner is not None:
            try:
                inspection = services.create_inspection(
                    actor=request.user, owner_unit=owner, title=data["title"], date=data["date"],
                    kind=data["kind"], plan=plan, summary=data["summary"],
                )
                return redirect("inspections:detail", pk=inspection.pk)
            except services.InspectionInputError as error:
                _apply(form, error)
    return render(request, "inspections/form.html", {"form": form, "plan": plan}, status=422)


def _detail_page(request, inspection, *, bound: dict | None = None, status: int = 200):
    as_of, _bad = as_of_from(request)
    blank = {"member": forms.MemberForm(), "visit": forms.VisitForm(),
             "recommendation": forms.RecommendationForm(), "finding": forms.FindingForm()}
    context = {
        "inspection": inspection,
        "as_of": as_of,
        "members": inspection.members.all(),
        "visits": selectors.visits_of(request.user, inspection=inspection),
        "recommendations": selectors.recommendations_of(request.user, inspection=inspection),
        "can_record": services.can_record(request.user),
        "forms": blank | (bound or {}),
        "bound_visit": (bound or {}).get("visit_pk"),
        "blank_finding": forms.FindingForm(),
        "today": today(),
    }
    return render(request, "inspections/detail.html", context, status=status)


@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_inspection(request.user, pk))


def _post(request, inspection, name: str, form, act):
    if form.is_valid():
        try:
            if act(form) is not False:
                return redirect(reverse("inspections:detail", args=[inspection.pk]) + f"#{name}")
        except services.InspectionInputError as error:
            _apply(form, error)
    return _detail_page(request, inspection, bound={name: form}, status=422)


@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, pk)

    def act(form):
        services.add_member(actor=request.user, inspection=inspection, **form.cleaned_data)

    return _post(request, inspection, "member", forms.MemberForm(request.POST), act)


@require_POST
def add_visit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, pk)

    def act(form):
        services.require_recorder(request.user, inspection.owner_unit)
        unit = _unit(request, form, "unit", inspection.date)
        if unit is None:
            return False
        services.add_visit(actor=request.user, inspection=inspection, unit=unit,
                           difficulties=form.cleaned_data["difficulties"])

    return _post(request, inspection, "visit", forms.VisitForm(request.POST), act)


@require_POST
def add_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection(request.user, pk)

    def act(form):
        services.require_recorder(request.user, inspection.owner_unit)
        unit = _unit(request, form, "unit", inspection.date)
        if unit is None:
            return False
        services.add_recommendation(actor=request.user, inspection=inspection, unit=unit,
                                    text=form.cleaned_data["text"],
                                    due_on=form.cleaned_data["due_on"])

    return _post(request, inspection, "recommendation", forms.RecommendationForm(request.POST),
                 act)


@require_POST
def add_finding(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit(request.user, pk)
    inspection = selectors.get_inspection(request.user, visit.inspection_id)
    form = forms.FindingForm(request.POST)
    if form.is_valid():
        try:
            services.add_finding(actor=request.user, visit=visit, **form.cleaned_data)
            return redirect(reverse("inspections:detail", args=[inspection.pk])
                            + f"#visit-{visit.pk}")
        except services.InspectionInputError as error:
            _apply(form, error)
    return _detail_page(request, inspection, bound={"finding": form, "visit_pk": visit.pk},
                        status=422)


@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    services.remove_member(actor=request.user, member=member)
    return redirect(reverse("inspections:detail", args=[member.inspection_id]) + "#member")


@require_POST
def remove_finding(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.get_finding(request.user, pk)
    inspection = selectors.get_inspection(request.user, finding.visit.inspection_id)  # as adding
    services.remove_finding(actor=request.user, finding=finding)
    return redirect(reverse("inspections:detail", args=[inspection.pk]) + f"#visit-{finding.visit_id}")


@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One recommendation and its progress; the responsible ward's officer updates it here."""
    recommendation = selectors.get_recommendation(request.user, pk)
    can_update = services.can_record(request.user) or request.user.can_write
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied("read-only role")
        form = forms.ProgressForm(request.POST)
        if form.is_valid():
            try:
                services.update_recommendation(actor=request.user, recommendation=recommendation,
                                               **form.cleaned_data)
                messages.success(request, _("Đã cập nhật tình trạng kiến nghị."))
                return redirect("inspections:recommendation", pk=recommendation.pk)
            except services.InspectionInputError as error:
                _apply(form, error)
        status = 422
    else:
        form = forms.ProgressForm(initial={"status": recommendation.status,
                                           "resolution_note": recommendation.resolution_note,
                                           "resolved_on": recommendation.resolved_on})
        status = 200
    context = {
        "recommendation": recommendation,
        "form": form,
        "can_update": can_update,
        "sees_inspection": scope.can_see_unit(request.user, recommendation.inspection.owner_unit),
        "today": today(),
    }
    return render(request, "inspections/recommendation.html", context, status=status)


@require_GET
def unit_followup(request: HttpRequest, code: str) -> HttpResponse:
    """The unit page's section (htmx): open recommendations (overdue first marked), findings."""
    as_of, _bad = as_of_from(request)
    unit = unit_selectors.unit_for(request.user, code=code, as_of=as_of)
    context = {
        "unit": unit,
        "as_of": as_of,
        "open": selectors.open_recommendations(request.user, as_of=as_of, unit=unit)[:100],
        "overdue_count": selectors.overdue_count(request.user, as_of=as_of, unit=unit),
        "findings": selectors.findings_for_unit(request.user, unit=unit)[:50],
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = ("inspections/unit_followup.html#section" if fragment
                else "inspections/unit_followup.html")
    return render(request, template, context)
