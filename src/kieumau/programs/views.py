"""Pages of programmes and plans. Thin: objects come from selectors (404 outside scope), changes
go through services (403 for roles that may not), a refused input re-renders the form with its
message (422)."""

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
from kieumau.orgunits import selectors as unit_selectors
from kieumau.orgunits.forms import add_errors, unit_in_form
from kieumau.orgunits.models import Level
from kieumau.programs import forms, selectors, services
from kieumau.programs.models import Award, BudgetLine, Committee, CommitteeMember, Plan, Target

# --- helpers -------------------------------------------------------------------------------------


def _apply(form, error: services.ProgramInputError) -> None:
    add_errors(form, error.errors)


def _unit(request, form, field: str, day):
    return unit_in_form(request.user, form, field, day)


def _require_admin_page(request) -> None:
    if not getattr(request.user, "is_admin_level", False):
        raise PermissionDenied("admin role required")


# --- programmes ----------------------------------------------------------------------------------


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    context = {
        "programs": selectors.programs_for(request.user),
        "plans": selectors.plans_for(request.user).prefetch_related("enrolments")[:200],
    }
    return render(request, "programs/list.html", context)


@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    _require_admin_page(request)
    if request.method == "GET":
        form = forms.ProgramForm(initial={"owner_unit": getattr(request.user.home_unit, "code", "")})
        return render(request, "programs/program_form.html", {"form": form})
    form = forms.ProgramForm(request.POST)
    if form.is_valid():
        owner = _unit(request, form, "owner_unit", today())
        if owner is not None:
            try:
                program = services.create_program(
                    actor=request.user, owner_unit=owner, name=form.cleaned_data["name"],
                    set_codes=form.cleaned_data["set_codes"],
                    description=form.cleaned_data["description"],
                )
                return redirect("programs:program_detail", pk=program.pk)
            except services.ProgramInputError as error:
                _apply(form, error)
    return render(request, "programs/program_form.html", {"form": form}, status=422)


@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.get_program(request.user, pk)
    as_of, _bad = as_of_from(request)
    context = {
        "program": program,
        "plans": selectors.plans_for(request.user, program=program),
        "merged_from": selectors.programs_for(request.user).filter(merged_into=program),
        "budget": selectors.budget_totals(request.user, program=program),
        "can_manage": request.user.is_admin_level and scope.can_see_unit(request.user,
                                                                          program.owner_unit),
        "as_of": as_of,
    }
    return render(request, "programs/program_detail.html", context)


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.get_program(request.user, pk)
    _require_admin_page(request)
    if request.method == "GET":
        form = forms.ProgramForm(initial={"name": program.name, "set_codes": program.set_codes,
                                          "owner_unit": program.owner_unit.code,
                                          "description": program.description})
        form.fields["owner_unit"].disabled = True
        return render(request, "programs/program_form.html", {"form": form, "program": program})
    form = forms.ProgramForm(request.POST, initial={"owner_unit": program.owner_unit.code})
    form.fields["owner_unit"].disabled = True
    if form.is_valid():
        try:
            services.update_program(actor=request.user, program=program,
                                    name=form.cleaned_data["name"],
                                    set_codes=form.cleaned_data["set_codes"],
                                    description=form.cleaned_data["description"])
            return redirect("programs:program_detail", pk=program.pk)
        except services.ProgramInputError as error:
            _apply(form, error)
    return render(request, "programs/program_form.html", {"form": form, "program": program},
                  status=422)


@require_http_methods(["GET", "POST"])
def program_merge(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.get_program(request.user, pk)
    _require_admin_page(request)
    targets = selectors.programs_for(request.user, include_merged=False).exclude(pk=program.pk)
    form = forms.MergeForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.merge_programs(actor=request.user, source=program,
                                             target=form.cleaned_data["target"])
            messages.success(request, _("Đã hợp nhất mô hình “%(source)s” vào “%(target)s”.")
                             % {"source": program.name, "target": target.name})
            return redirect("programs:program_detail", pk=target.pk)
        except services.ProgramInputError as error:
            _apply(form, error)
    status = 422 if request.method == "POST" else 200
    return render(request, "programs/program_merge.html", {"form": form, "program": program},
                  status=status)


# --- plans ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    _require_admin_page(request)
    programs = selectors.programs_for(request.user, include_merged=False)
    if request.method == "GET":
        initial = {"issuing_unit": getattr(request.user.home_unit, "code", ""), "date": today()}
        if request.GET.get("program", "").isdigit():
            initial["program"] = request.GET["program"]
        form = forms.PlanForm(initial=initial, programs=programs)
        return render(request, "programs/plan_form.html", {"form": form})
    form = forms.PlanForm(request.POST, programs=programs)
    if form.is_valid():
        data = form.cleaned_data
        issuing = _unit(request, form, "issuing_unit", data["date"])
        if issuing is not None:
            try:
                plan = services.create_plan(
                    actor=request.user, program=data["program"], number=data["number"],
                    date=data["date"], issuing_unit=issuing, period_start=data["period_start"],
                    period_end=data["period_end"], title=data["title"], aims=data["aims"],
                )
                messages.success(request, _("Đã tạo kế hoạch %(number)s.") % {"number": plan.number})
                return redirect("programs:plan_detail", pk=plan.pk)
            except services.ProgramInputError as error:
                _apply(form, error)
    return render(request, "programs/plan_form.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk)
    _require_admin_page(request)
    if request.method == "GET":
        form = forms.PlanForm(editing=True, initial={
            "number": plan.number, "date": plan.date, "title": plan.title,
            "period_start": plan.period_start, "period_end": plan.period_end, "aims": plan.aims})
        return render(request, "programs/plan_form.html", {"form": form, "plan": plan})
    form = forms.PlanForm(request.POST, editing=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(actor=request.user, plan=plan, number=data["number"],
                                 date=data["date"], period_start=data["period_start"],
                                 period_end=data["period_end"], title=data["title"],
                                 aims=data["aims"])
            return redirect("programs:plan_detail", pk=plan.pk)
        except services.ProgramInputError as error:
            _apply(form, error)
    return render(request, "programs/plan_form.html", {"form": form, "plan": plan}, status=422)


def _plan_page(request, plan: Plan, *, bound: dict | None = None, status: int = 200):
    as_of, bad_date = as_of_from(request)
    progress = selectors.unit_progress(request.user, plan=plan, as_of=as_of)
    committees = (Committee.objects.visible_to(request.user).filter(plan=plan)
                  .prefetch_related("members"))
    blank = {
        "enrol": forms.EnrolForm(initial={"target_year": plan.period_end.year}),
        "target": forms.TargetForm(initial={"year": plan.period_end.year,
                                            "kind": Target.Kind.COUNT}),
        "committee": forms.CommitteeForm(),
        "member": forms.MemberForm(),
        "budget": forms.BudgetForm(initial={"year": plan.period_start.year}),
        "award": forms.AwardForm(),
        "step": forms.StepForm(),
    }
    context = {
        "plan": plan,
        "as_of": as_of,
        "bad_date": bad_date,
        "progress": progress,
        "roadmap": selectors.roadmap(request.user, plan=plan, as_of=as_of, progress=progress),
        "lost": selectors.lost_criteria(request.user, plan=plan, as_of=as_of),
        "checklist": selectors.checklist_counts(request.user, plan=plan),
        "targets": selectors.targets_of(request.user, plan=plan),
        "committees": committees,
        "budget_lines": selectors.budget_lines_of(request.user, plan=plan),
        "budget_totals": selectors.budget_totals(request.user, plan=plan),
        "awards": selectors.awards_of(request.user, plan=plan),
        "award_counts": selectors.award_counts(request.user, plan=plan),
        "steps": forms.Step.choices,
        "can_manage": request.user.is_admin_level,
        "forms": blank | (bound or {}),
        "bound_committee": (bound or {}).get("committee_pk"),
        "blank_member": forms.MemberForm(),
    }
    return render(request, "programs/plan_detail.html", context, status=status)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.get_plan(request.user, pk))


def _plan_form_post(request, pk: int, name: str, form_class, act):
    """Shared shape of the plan page's small forms: validate, call the service, redirect back
    to the section, or re-render the page with the form's errors."""
    plan = selectors.get_plan(request.user, pk)
    _require_admin_page(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = act(plan, form)
            if done is not None:
                messages.success(request, done)
                return redirect(reverse("programs:plan_detail", args=[plan.pk]) + f"#{name}")
        except services.ProgramInputError as error:
            _apply(form, error)
    return _plan_page(request, plan, bound={name: form}, status=422)


@require_POST
def plan_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan, form):
        unit = _unit(request, form, "unit", plan.date)
        if unit is None:
            return None
        services.enrol_unit(actor=request.user, plan=plan, unit=unit,
                            target_year=form.cleaned_data["target_year"],
                            stage=form.cleaned_data["stage"])
        return _("Đã thêm %(unit)s vào kế hoạch.") % {"unit": unit.police_name}

    return _plan_form_post(request, pk, "enrol", forms.EnrolForm, act)


@require_POST
def plan_target(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan, form):
        data = form.cleaned_data
        services.set_target(actor=request.user, plan=plan, year=data["year"], kind=data["kind"],
                            value=data["value"])
        return _("Đã lưu chỉ tiêu năm %(year)s.") % {"year": data["year"]}

    return _plan_form_post(request, pk, "target", forms.TargetForm, act)


@require_POST
def plan_committee(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan, form):
        data = form.cleaned_data
        services.add_committee(actor=request.user, plan=plan, kind=data["kind"], name=data["name"],
                               decision_number=data["decision_number"])
        return _("Đã thêm %(name)s.") % {"name": data["name"]}

    return _plan_form_post(request, pk, "committee", forms.CommitteeForm, act)


@require_POST
def plan_budget(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan, form):
        data = form.cleaned_data
        unit = None
        if data["unit"]:
            unit = _unit(request, form, "unit", plan.date)
            if unit is None:
                return None
        services.add_budget_line(actor=request.user, plan=plan, year=data["year"],
                                 amount=data["amount"], purpose=data["purpose"], unit=unit)
        return _("Đã thêm khoản kinh phí.")

    return _plan_form_post(request, pk, "budget", forms.BudgetForm, act)


@require_POST
def plan_award(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan, form):
        services.add_award(actor=request.user, plan=plan, **form.cleaned_data)
        return _("Đã ghi nhận khen thưởng.")

    return _plan_form_post(request, pk, "award", forms.AwardForm, act)


@require_POST
def committee_member(request: HttpRequest, pk: int) -> HttpResponse:
    committee = scope.get_visible_or_404(Committee.objects.select_related("plan__issuing_unit"),
                                         request.user, pk=pk)
    _require_admin_page(request)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(actor=request.user, committee=committee, **form.cleaned_data)
            return redirect(reverse("programs:plan_detail", args=[committee.plan_id])
                            + f"#committee-{committee.pk}")
        except services.ProgramInputError as error:
            _apply(form, error)
    return _plan_page(request, committee.plan, bound={"member": form,
                                                      "committee_pk": committee.pk}, status=422)


@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = scope.get_visible_or_404(Target.objects.select_related("plan__issuing_unit"),
                                      request.user, pk=pk)
    _require_admin_page(request)
    services.remove_target(actor=request.user, target=target)
    return redirect(reverse("programs:plan_detail", args=[target.plan_id]) + "#roadmap")


@require_POST
def committee_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = scope.get_visible_or_404(
        CommitteeMember.objects.select_related("committee__plan__issuing_unit"), request.user, pk=pk
    )
    _require_admin_page(request)
    services.remove_member(actor=request.user, member=member)
    return redirect(reverse("programs:plan_detail", args=[member.committee.plan_id])
                    + f"#committee-{member.committee_id}")


@require_POST
def budget_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = scope.get_visible_or_404(BudgetLine.objects.select_related("plan__issuing_unit"),
                                    request.user, pk=pk)
    _require_admin_page(request)
    services.remove_budget_line(actor=request.user, line=line)
    return redirect(reverse("programs:plan_detail", args=[line.plan_id]) + "#budget")


@require_POST
def award_remove(request: HttpRequest, pk: int) -> HttpResponse:
    award = scope.get_visible_or_404(Award.objects.select_related("plan__issuing_unit"),
                                     request.user, pk=pk)
    _require_admin_page(request)
    services.remove_award(actor=request.user, award=award)
    return redirect(reverse("programs:plan_detail", args=[award.plan_id]) + "#awards")


@require_POST
def enrolment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment(request.user, pk)
    _require_admin_page(request)
    plan_id = enrolment.plan_id
    services.remove_enrolment(actor=request.user, enrolment=enrolment)
    return redirect(reverse("programs:plan_detail", args=[plan_id]) + "#units")


@require_POST
def enrolment_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A required step of one enrolled unit; a ward officer does it from their unit page."""
    enrolment = selectors.get_enrolment(request.user, pk)
    sees_plan = scope.can_see_unit(request.user, enrolment.plan.issuing_unit)
    back = (reverse("programs:plan_detail", args=[enrolment.plan_id]) + "#units" if sees_plan
            else reverse("orgunits:detail", args=[enrolment.unit.code])
            + f"?as_of={enrolment.unit.a_day_it_existed():%Y-%m-%d}")
    form = forms.StepForm(request.POST)
    if form.is_valid():
        try:
            services.record_step(actor=request.user, enrolment=enrolment, **form.cleaned_data)
            messages.success(request, _("Đã cập nhật bước “%(step)s”.")
                             % {"step": dict(forms.Step.choices)[form.cleaned_data["step"]]})
            return redirect(back)
        except services.ProgramInputError as error:
            _apply(form, error)
    if sees_plan:
        return _plan_page(request, enrolment.plan, bound={"step": form}, status=422)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(back)


@require_GET
def unit_plans(request: HttpRequest, code: str) -> HttpResponse:
    """The unit page's section (loaded by htmx): plans touching the unit, its enrolments with
    their steps and progress. The orgunits app does not import programs."""
    as_of, _bad = as_of_from(request)
    unit = unit_selectors.unit_for(request.user, code=code, as_of=as_of)
    local = unit.level in (Level.COMMUNE, Level.GRASSROOTS)
    context = {
        "unit": unit,
        "as_of": as_of,
        "local": local,
        "enrolments": selectors.enrolments_for_unit(request.user, unit=unit) if local else [],
        "plans": selectors.plans_for(request.user, unit=unit)[:50],
        # The province and national view of lost criteria belongs to the dashboard.
        "lost": selectors.lost_criteria(request.user, unit=unit, as_of=as_of) if local else [],
        "steps": forms.Step.choices,
        "step_form": forms.StepForm(),
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = "programs/unit_plans.html#section" if fragment else "programs/unit_plans.html"
    return render(request, template, context)
