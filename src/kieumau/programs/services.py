"""Changes to programs and plans: each a transaction with an audit row.

Who may change what: a ministry admin or province officer (`is_admin_level`) within their scope
(`scope.require_write` gives 403 to read-only roles and inspectors, 404 outside scope;
`scope.require_admin` 403 to commune officers). A commune officer may record the checklist steps
of their own unit's enrolment. Callers fetch objects through the selectors first, so an object out
of scope is a 404 before any role check.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.core import audit
from kieumau.orgunits.models import Level, OrgUnit, Reach
from kieumau.programs import numbers
from kieumau.programs.models import (
    MAX_VND,
    MAX_YEAR,
    MIN_YEAR,
    Award,
    BudgetLine,
    ChecklistStep,
    Committee,
    CommitteeMember,
    Enrolment,
    Plan,
    Program,
    Step,
    Target,
)

MAX_PLAN_YEARS = 20


class ProgramInputError(ValueError):
    """Input refused; `errors` is a list of {"field", "message"} in Vietnamese."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def _refuse(field: str | None, message: str):
    raise ProgramInputError([{"field": field, "message": message}])


def _require_manager(actor, unit: OrgUnit) -> None:
    scope.require_write(actor, unit)
    scope.require_admin(actor)


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        _refuse(field, _("Năm phải từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})


def _under(*, unit: OrgUnit, ancestor: OrgUnit) -> bool:
    return Reach.objects.filter(ancestor=ancestor, unit=unit).exists()


def _clean_text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(field, _("Không được để trống."))
    if len(value) > limit:
        _refuse(field, _("Dài quá %(n)s ký tự.") % {"n": limit})
    return value


# --- programs ------------------------------------------------------------------------------------


def _check_set_codes(codes: list[str]) -> list[str]:
    from kieumau.criteria.models import CriteriaSet

    codes = sorted({c.strip() for c in codes if c and c.strip()})
    known = set(CriteriaSet.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        _refuse("set_codes", _("Không có bộ tiêu chí: %(codes)s.") % {"codes": ", ".join(unknown)})
    return codes


@transaction.atomic
def create_program(*, actor, owner_unit: OrgUnit, name: str, set_codes: list[str],
                   description: str = "", demo_note: str = "") -> Program:
    _require_manager(actor, owner_unit)
    program = Program.objects.create(
        owner_unit=owner_unit,
        name=_clean_text(name, field="name", limit=300),
        set_codes=_check_set_codes(set_codes),
        description=_clean_text(description, field="description", limit=4000, required=False),
        demo_note=demo_note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(actor=actor, action="program.create", target=program, unit=owner_unit,
                 detail={"name": program.name, "set_codes": program.set_codes})
    return program


@transaction.atomic
def update_program(*, actor, program: Program, name: str, set_codes: list[str],
                   description: str = "") -> Program:
    _require_manager(actor, program.owner_unit)
    if program.merged_into_id:
        _refuse(None, _("Mô hình đã hợp nhất vào mô hình khác, không sửa được."))
    before = {"name": program.name, "set_codes": program.set_codes}
    program.name = _clean_text(name, field="name", limit=300)
    program.set_codes = _check_set_codes(set_codes)
    program.description = _clean_text(description, field="description", limit=4000,
                                      required=False)
    program.save()
    audit.record(actor=actor, action="program.update", target=program, unit=program.owner_unit,
                 detail={"before": before, "after": {"name": program.name,
                                                     "set_codes": program.set_codes}})
    return program


@transaction.atomic
def merge_programs(*, actor, source: Program, target: Program) -> Program:
    """Fold `source` into `target`: its plans (with their units, targets, committees, money,
    awards and inspections) now belong to `target`, its criteria sets are added, and `source`
    stays as a record pointing at `target`. Nothing is deleted."""
    _require_manager(actor, source.owner_unit)
    _require_manager(actor, target.owner_unit)
    if source.pk == target.pk:
        _refuse("target", _("Không thể hợp nhất một mô hình vào chính nó."))
    if source.merged_into_id or target.merged_into_id:
        _refuse("target", _("Mô hình đã được hợp nhất trước đó."))
    plan_ids = list(Plan.objects.filter(program=source).values_list("pk", flat=True))
    Plan.objects.filter(pk__in=plan_ids).update(program=target)
    target.set_codes = sorted(set(target.set_codes) | set(source.set_codes))
    target.save(update_fields=["set_codes"])
    from django.utils import timezone

    source.merged_into, source.merged_at = target, timezone.now()
    source.save(update_fields=["merged_into", "merged_at"])
    audit.record(actor=actor, action="program.merge", target=source, unit=source.owner_unit,
                 detail={"into": target.pk, "into_name": target.name, "plans": plan_ids,
                         "set_codes": target.set_codes})
    return target


# --- plans ---------------------------------------------------------------------------------------


def _check_plan(*, number: str, date: dt.date, issuing_unit: OrgUnit, period_start: dt.date,
                period_end: dt.date) -> str:
    try:
        number = numbers.check_number(number, kind="KH")
    except ValueError:
        _refuse("number", _("Số kế hoạch phải có dạng “340/KH-CAT-XDPTBVANTQ”: số, “/KH-”, "
                            "rồi chữ viết tắt của cơ quan ban hành."))
    for field, day in (("date", date), ("period_start", period_start), ("period_end", period_end)):
        _check_year(day.year, field)
    if period_end < period_start:
        _refuse("period_end", _("Ngày kết thúc phải sau ngày bắt đầu."))
    if period_end.year - period_start.year > MAX_PLAN_YEARS:
        _refuse("period_end", _("Kế hoạch dài quá %(n)s năm.") % {"n": MAX_PLAN_YEARS})
    if not issuing_unit.exists_on(date):
        _refuse("issuing_unit", _("Đơn vị ban hành không tồn tại vào ngày ban hành kế hoạch."))
    if issuing_unit.level == Level.GRASSROOTS:
        _refuse("issuing_unit", _("Đơn vị cơ sở không ban hành kế hoạch."))
    return number


@transaction.atomic
def create_plan(*, actor, program: Program, number: str, date: dt.date, issuing_unit: OrgUnit,
                period_start: dt.date, period_end: dt.date, title: str = "", aims: str = "",
                demo_note: str = "") -> Plan:
    _require_manager(actor, issuing_unit)
    if program.merged_into_id:
        _refuse("program", _("Mô hình đã hợp nhất vào “%(name)s”; chọn mô hình đó.")
                % {"name": program.merged_into.name})
    number = _check_plan(number=number, date=date, issuing_unit=issuing_unit,
                         period_start=period_start, period_end=period_end)
    if Plan.objects.filter(issuing_unit=issuing_unit, number=number).exists():
        _refuse("number", _("Đơn vị này đã có kế hoạch số %(number)s.") % {"number": number})
    plan = Plan.objects.create(
        program=program, number=number, date=date, issuing_unit=issuing_unit,
        period_start=period_start, period_end=period_end,
        title=_clean_text(title, field="title", limit=500, required=False),
        aims=_clean_text(aims, field="aims", limit=8000, required=False),
        demo_note=demo_note, created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(actor=actor, action="plan.create", target=plan, unit=issuing_unit,
                 detail={"number": number, "program": program.pk})
    return plan


@transaction.atomic
def update_plan(*, actor, plan: Plan, number: str, date: dt.date, period_start: dt.date,
                period_end: dt.date, title: str = "", aims: str = "") -> Plan:
    _require_manager(actor, plan.issuing_unit)
    number = _check_plan(number=number, date=date, issuing_unit=plan.issuing_unit,
                         period_start=period_start, period_end=period_end)
    clash = Plan.objects.filter(issuing_unit=plan.issuing_unit, number=number).exclude(pk=plan.pk)
    if clash.exists():
        _refuse("number", _("Đơn vị này đã có kế hoạch số %(number)s.") % {"number": number})
    before = {"number": plan.number, "date": plan.date.isoformat(),
              "period": [plan.period_start.isoformat(), plan.period_end.isoformat()]}
    plan.number, plan.date = number, date
    plan.period_start, plan.period_end = period_start, period_end
    plan.title = _clean_text(title, field="title", limit=500, required=False)
    plan.aims = _clean_text(aims, field="aims", limit=8000, required=False)
    plan.save()
    audit.record(actor=actor, action="plan.update", target=plan, unit=plan.issuing_unit,
                 detail={"before": before})
    return plan


@transaction.atomic
def enrol_unit(*, actor, plan: Plan, unit: OrgUnit, target_year: int,
               stage: str = Enrolment.Stage.REPLICATION) -> Enrolment:
    """`unit` must exist on the plan's date and lie under the issuing unit (the old wards of an
    old province for an old plan)."""
    _require_manager(actor, plan.issuing_unit)
    scope.require_write(actor, unit)
    _check_year(target_year, "target_year")
    if target_year < plan.date.year:
        _refuse("target_year", _("Năm phấn đấu đạt không được trước năm ban hành kế hoạch."))
    if stage not in Enrolment.Stage.values:
        _refuse("stage", _("Giai đoạn không hợp lệ."))
    if not unit.exists_on(plan.date):
        _refuse("unit", _("Đơn vị không tồn tại vào ngày ban hành kế hoạch (%(day)s).")
                % {"day": f"{plan.date:%d/%m/%Y}"})
    if unit.pk == plan.issuing_unit_id or not _under(unit=unit, ancestor=plan.issuing_unit):
        _refuse("unit", _("Đơn vị không thuộc đơn vị ban hành kế hoạch."))
    if Enrolment.objects.filter(plan=plan, unit=unit).exists():
        _refuse("unit", _("Đơn vị đã có trong kế hoạch."))
    enrolment = Enrolment.objects.create(plan=plan, unit=unit, target_year=target_year,
                                         stage=stage)
    audit.record(actor=actor, action="plan.enrol", target=enrolment, unit=unit,
                 detail={"plan": plan.pk, "target_year": target_year, "stage": stage})
    return enrolment


@transaction.atomic
def remove_enrolment(*, actor, enrolment: Enrolment) -> None:
    _require_manager(actor, enrolment.plan.issuing_unit)
    detail = {"plan": enrolment.plan_id, "unit": enrolment.unit_id,
              "target_year": enrolment.target_year,
              "steps": list(enrolment.steps.values_list("step", flat=True))}
    audit.record(actor=actor, action="plan.unenrol", target=enrolment, unit=enrolment.unit,
                 detail=detail)
    enrolment.delete()


@transaction.atomic
def set_target(*, actor, plan: Plan, year: int, kind: str, value: int) -> Target:
    """Add or change the target of one year."""
    _require_manager(actor, plan.issuing_unit)
    _check_year(year)
    if kind not in Target.Kind.values:
        _refuse("kind", _("Loại chỉ tiêu không hợp lệ."))
    if value < 0 or value > 100_000:
        _refuse("value", _("Chỉ tiêu phải từ 0 đến 100.000."))
    if kind == Target.Kind.PERCENT and value > 100:
        _refuse("value", _("Tỷ lệ không được vượt quá 100%."))
    target, created = Target.objects.update_or_create(
        plan=plan, year=year, defaults={"kind": kind, "value": value}
    )
    audit.record(actor=actor, action="plan.target", target=target, unit=plan.issuing_unit,
                 detail={"year": year, "kind": kind, "value": value, "created": created})
    return target


@transaction.atomic
def remove_target(*, actor, target: Target) -> None:
    _require_manager(actor, target.plan.issuing_unit)
    audit.record(actor=actor, action="plan.target_remove", target=target,
                 unit=target.plan.issuing_unit,
                 detail={"year": target.year, "kind": target.kind, "value": target.value})
    target.delete()


@transaction.atomic
def record_step(*, actor, enrolment: Enrolment, step: str, done_on: dt.date | None,
                document_number: str = "") -> ChecklistStep | None:
    """Mark a required step done (date and document number) or, with no date, not done.
    Writers of the enrolled unit may do it (a ward officer for their own ward)."""
    scope.require_write(actor, enrolment.unit)
    if step not in Step.values:
        _refuse("step", _("Bước không hợp lệ."))
    if done_on is None:
        deleted, _rows = ChecklistStep.objects.filter(enrolment=enrolment, step=step).delete()
        if deleted:
            audit.record(actor=actor, action="plan.step_clear", target=enrolment,
                         unit=enrolment.unit, detail={"step": step})
        return None
    _check_year(done_on.year, "done_on")
    document_number = _clean_text(document_number, field="document_number", limit=64,
                                  required=False)
    row, _created = ChecklistStep.objects.update_or_create(
        enrolment=enrolment, step=step,
        defaults={"done_on": done_on, "document_number": document_number,
                  "recorded_by": actor if getattr(actor, "pk", None) else None},
    )
    audit.record(actor=actor, action="plan.step", target=row, unit=enrolment.unit,
                 detail={"step": step, "done_on": done_on.isoformat(),
                         "document_number": document_number})
    return row


# --- committees, money, merit --------------------------------------------------------------------


@transaction.atomic
def add_committee(*, actor, plan: Plan, kind: str, name: str,
                  decision_number: str = "") -> Committee:
    _require_manager(actor, plan.issuing_unit)
    if kind not in Committee.Kind.values:
        _refuse("kind", _("Loại không hợp lệ."))
    committee = Committee.objects.create(
        plan=plan, kind=kind, name=_clean_text(name, field="name", limit=300),
        decision_number=_clean_text(decision_number, field="decision_number", limit=64,
                                    required=False),
    )
    audit.record(actor=actor, action="plan.committee", target=committee, unit=plan.issuing_unit,
                 detail={"kind": kind, "name": committee.name})
    return committee


@transaction.atomic
def add_member(*, actor, committee: Committee, name: str, position: str,
               role: str) -> CommitteeMember:
    _require_manager(actor, committee.plan.issuing_unit)
    if committee.members.count() >= 200:
        _refuse(None, _("Ban/tổ đã có 200 thành viên."))
    member = CommitteeMember.objects.create(
        committee=committee,
        name=_clean_text(name, field="name", limit=200),
        position=_clean_text(position, field="position", limit=200, required=False),
        role=_clean_text(role, field="role", limit=100),
        order=committee.members.count(),
    )
    audit.record(actor=actor, action="plan.committee_member", target=member,
                 unit=committee.plan.issuing_unit,
                 detail={"committee": committee.pk, "name": member.name, "role": member.role})
    return member


@transaction.atomic
def remove_member(*, actor, member: CommitteeMember) -> None:
    """A member recorded by mistake (or who left) leaves the committee; the audit keeps who."""
    committee = member.committee
    _require_manager(actor, committee.plan.issuing_unit)
    audit.record(actor=actor, action="plan.committee_member_remove", target=member,
                 unit=committee.plan.issuing_unit,
                 detail={"committee": committee.pk, "name": member.name, "role": member.role})
    member.delete()


@transaction.atomic
def add_budget_line(*, actor, plan: Plan, year: int, amount: int, purpose: str,
                    unit: OrgUnit | None = None, demo_note: str = "") -> BudgetLine:
    _require_manager(actor, plan.issuing_unit)
    _check_year(year)
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_VND:
        _refuse("amount", _("Số tiền phải là số đồng nguyên từ 0 đến 1.000.000.000.000.000."))
    if unit is not None:
        scope.require_write(actor, unit)
        if not _under(unit=unit, ancestor=plan.issuing_unit):
            _refuse("unit", _("Đơn vị không thuộc đơn vị ban hành kế hoạch."))
    try:
        with transaction.atomic():
            line = BudgetLine.objects.create(
                plan=plan, year=year, amount=amount, unit=unit, demo_note=demo_note,
                purpose=_clean_text(purpose, field="purpose", limit=500),
            )
    except IntegrityError:  # the database's own bound, should the check above ever drift
        _refuse("amount", _("Số tiền không hợp lệ."))
    audit.record(actor=actor, action="plan.budget", target=line, unit=plan.issuing_unit,
                 detail={"year": year, "amount": amount, "unit": unit.pk if unit else None})
    return line


@transaction.atomic
def add_award(*, actor, plan: Plan, kind: str, title: str, recipient: str,
              decision_number: str, decision_date: dt.date, issuing_body: str,
              demo_note: str = "") -> Award:
    _require_manager(actor, plan.issuing_unit)
    if kind not in Award.Kind.values:
        _refuse("kind", _("Đối tượng khen thưởng không hợp lệ."))
    if title not in Award.Title.values:
        _refuse("title", _("Hình thức khen thưởng không hợp lệ."))
    try:
        decision_number = numbers.check_number(decision_number, kind="QĐ")
    except ValueError:
        _refuse("decision_number", _("Số quyết định phải có dạng “123/QĐ-CAT”."))
    _check_year(decision_date.year, "decision_date")
    award = Award.objects.create(
        plan=plan, kind=kind, title=title, decision_number=decision_number,
        decision_date=decision_date, demo_note=demo_note,
        recipient=_clean_text(recipient, field="recipient", limit=300),
        issuing_body=_clean_text(issuing_body, field="issuing_body", limit=200),
    )
    audit.record(actor=actor, action="plan.award", target=award, unit=plan.issuing_unit,
                 detail={"kind": kind, "title": title, "recipient": award.recipient,
                         "decision_number": decision_number})
    return award


@transaction.atomic
def create_plan_with(*, actor, program: Program, number: str, date: dt.date,
                     issuing_unit: OrgUnit, period_start: dt.date, period_end: dt.date,
                     title: str = "", aims: str = "",
                     enrolments: list[tuple[OrgUnit, int, str]] = (),
                     targets: list[tuple[int, str, int]] = ()) -> Plan:
    """A plan with its units and targets at once (the API): all of it or nothing."""
    plan = create_plan(actor=actor, program=program, number=number, date=date,
                       issuing_unit=issuing_unit, period_start=period_start,
                       period_end=period_end, title=title, aims=aims)
    for index, (unit, target_year, stage) in enumerate(enrolments):
        try:
            enrol_unit(actor=actor, plan=plan, unit=unit, target_year=target_year, stage=stage)
        except ProgramInputError as error:
            raise ProgramInputError([{**e, "field": f"units.{index}.{e['field'] or 'code'}"}
                                     for e in error.errors]) from None
    for index, (year, kind, value) in enumerate(targets):
        try:
            set_target(actor=actor, plan=plan, year=year, kind=kind, value=value)
        except ProgramInputError as error:
            raise ProgramInputError([{**e, "field": f"targets.{index}.{e['field'] or 'value'}"}
                                     for e in error.errors]) from None
    return plan


@transaction.atomic
def remove_budget_line(*, actor, line: BudgetLine) -> None:
    _require_manager(actor, line.plan.issuing_unit)
    audit.record(actor=actor, action="plan.budget_remove", target=line,
                 unit=line.plan.issuing_unit,
                 detail={"year": line.year, "amount": line.amount, "purpose": line.purpose,
                         "unit": line.unit_id})
    line.delete()


@transaction.atomic
def remove_award(*, actor, award: Award) -> None:
    _require_manager(actor, award.plan.issuing_unit)
    audit.record(actor=actor, action="plan.award_remove", target=award,
                 unit=award.plan.issuing_unit,
                 detail={"kind": award.kind, "title": award.title, "recipient": award.recipient,
                         "decision_number": award.decision_number})
    award.delete()
