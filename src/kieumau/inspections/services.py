"""Recording inspections and following up their recommendations; each change audited.

Recording (inspection, team, visits, findings, recommendations): ministry admins, province
officers and inspectors, within scope. An inspector's `can_write` stays false, so nothing here
lets them change assessed data. Progress on a recommendation may also be recorded by any writer
of the responsible unit (a ward officer reporting what they did).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.accounts.models import Role
from kieumau.core import audit
from kieumau.core.dates import today
from kieumau.inspections.models import (
    Finding,
    Inspection,
    InspectionMember,
    Recommendation,
    Visit,
)
from kieumau.orgunits.models import Level, OrgUnit, Reach

RECORDER_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.PROVINCE_OFFICER, Role.INSPECTOR})
MAX_ROWS = 200  # members, visits, findings or recommendations of one inspection


class InspectionInputError(ValueError):
    """Input refused; `errors` is a list of {"field", "message"} in Vietnamese."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def _refuse(field: str | None, message: str):
    raise InspectionInputError([{"field": field, "message": message}])


def can_record(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "role", None) in RECORDER_ROLES)


def require_recorder(user, unit: OrgUnit) -> None:
    """403 for roles that do not record inspections; 404 outside scope."""
    if not can_record(user):
        raise PermissionDenied("inspection recorders only")
    if not scope.can_see_unit(user, unit):
        raise scope.NotVisible("not found")


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(field, _("Không được để trống."))
    if len(value) > limit:
        _refuse(field, _("Dài quá %(n)s ký tự.") % {"n": limit})
    return value


def _check_day(day: dt.date, field: str) -> None:
    if not 2000 <= day.year <= 2100:
        _refuse(field, _("Ngày phải trong các năm 2000–2100."))


@transaction.atomic
def create_inspection(*, actor, owner_unit: OrgUnit, title: str, date: dt.date,
                      kind: str = Inspection.Kind.INSPECTION, plan=None, summary: str = "",
                      demo_note: str = "") -> Inspection:
    require_recorder(actor, owner_unit)
    _check_day(date, "date")
    if kind not in Inspection.Kind.values:
        _refuse("kind", _("Loại không hợp lệ."))
    if not owner_unit.exists_on(date):
        _refuse("owner_unit", _("Đơn vị tổ chức không tồn tại vào ngày kiểm tra."))
    if plan is not None and not scope.can_see_unit(actor, plan.issuing_unit):
        raise scope.NotVisible("not found")
    inspection = Inspection.objects.create(
        owner_unit=owner_unit, plan=plan, kind=kind, date=date, demo_note=demo_note,
        title=_text(title, field="title", limit=300),
        summary=_text(summary, field="summary", limit=8000, required=False),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(actor=actor, action="inspection.create", target=inspection, unit=owner_unit,
                 detail={"title": inspection.title, "date": date.isoformat(),
                         "plan": plan.pk if plan else None})
    return inspection


@transaction.atomic
def add_member(*, actor, inspection: Inspection, name: str, position: str = "",
               role: str) -> InspectionMember:
    require_recorder(actor, inspection.owner_unit)
    count = inspection.members.count()
    if count >= MAX_ROWS:
        _refuse(None, _("Đoàn đã có %(n)s thành viên.") % {"n": MAX_ROWS})
    member = InspectionMember.objects.create(
        inspection=inspection, order=count,
        name=_text(name, field="name", limit=200),
        position=_text(position, field="position", limit=200, required=False),
        role=_text(role, field="role", limit=100),
    )
    audit.record(actor=actor, action="inspection.member", target=member,
                 unit=inspection.owner_unit, detail={"name": member.name, "role": member.role})
    return member


@transaction.atomic
def add_visit(*, actor, inspection: Inspection, unit: OrgUnit, difficulties: str = "") -> Visit:
    """A unit visited: it must exist on the inspection's date and lie under the owner unit."""
    require_recorder(actor, inspection.owner_unit)
    require_recorder(actor, unit)
    if unit.level not in (Level.COMMUNE, Level.DISTRICT, Level.GRASSROOTS, Level.PROVINCE):
        _refuse("unit", _("Đơn vị không hợp lệ."))
    if not unit.exists_on(inspection.date):
        _refuse("unit", _("Đơn vị không tồn tại vào ngày kiểm tra (%(day)s).")
                % {"day": f"{inspection.date:%d/%m/%Y}"})
    if not Reach.objects.filter(ancestor=inspection.owner_unit, unit=unit).exists():
        _refuse("unit", _("Đơn vị không thuộc đơn vị tổ chức đoàn kiểm tra."))
    if inspection.visits.filter(unit=unit).exists():
        _refuse("unit", _("Đơn vị đã có trong đoàn kiểm tra này."))
    if inspection.visits.count() >= MAX_ROWS:
        _refuse("unit", _("Đoàn đã kiểm tra %(n)s đơn vị.") % {"n": MAX_ROWS})
    visit = Visit.objects.create(
        inspection=inspection, unit=unit,
        difficulties=_text(difficulties, field="difficulties", limit=8000, required=False),
    )
    audit.record(actor=actor, action="inspection.visit", target=visit, unit=unit,
                 detail={"inspection": inspection.pk})
    return visit


@transaction.atomic
def add_finding(*, actor, visit: Visit, kind: str, text: str,
                criterion_code: str = "") -> Finding:
    require_recorder(actor, visit.inspection.owner_unit)
    if kind not in Finding.Kind.values:
        _refuse("kind", _("Loại nhận xét không hợp lệ."))
    if visit.findings.count() >= MAX_ROWS:
        _refuse(None, _("Đã có %(n)s nhận xét cho đơn vị này.") % {"n": MAX_ROWS})
    finding = Finding.objects.create(
        visit=visit, kind=kind, text=_text(text, field="text", limit=4000),
        criterion_code=_text(criterion_code, field="criterion_code", limit=32, required=False),
    )
    audit.record(actor=actor, action="inspection.finding", target=finding, unit=visit.unit,
                 detail={"kind": kind, "criterion": finding.criterion_code})
    return finding


@transaction.atomic
def remove_member(*, actor, member: InspectionMember) -> None:
    """A member recorded by mistake leaves the team; the audit keeps who it was."""
    inspection = member.inspection
    require_recorder(actor, inspection.owner_unit)
    audit.record(actor=actor, action="inspection.member_remove", target=member,
                 unit=inspection.owner_unit,
                 detail={"inspection": inspection.pk, "name": member.name, "role": member.role})
    member.delete()


@transaction.atomic
def remove_finding(*, actor, finding: Finding) -> None:
    """A finding recorded by mistake (or against the wrong unit) is removed; the audit keeps
    its text."""
    visit = finding.visit
    require_recorder(actor, visit.inspection.owner_unit)
    audit.record(actor=actor, action="inspection.finding_remove", target=finding, unit=visit.unit,
                 detail={"inspection": visit.inspection_id, "kind": finding.kind,
                         "text": finding.text, "criterion": finding.criterion_code})
    finding.delete()


@transaction.atomic
def add_recommendation(*, actor, inspection: Inspection, unit: OrgUnit, text: str,
                       due_on: dt.date) -> Recommendation:
    """A recommendation to `unit` (a visited unit, or the owner unit itself, or a unit under it)."""
    require_recorder(actor, inspection.owner_unit)
    require_recorder(actor, unit)
    _check_day(due_on, "due_on")
    if due_on < inspection.date:
        _refuse("due_on", _("Hạn thực hiện không được trước ngày kiểm tra."))
    if not Reach.objects.filter(ancestor=inspection.owner_unit, unit=unit).exists():
        _refuse("unit", _("Đơn vị không thuộc đơn vị tổ chức đoàn kiểm tra."))
    if inspection.recommendations.count() >= MAX_ROWS:
        _refuse(None, _("Đoàn đã có %(n)s kiến nghị.") % {"n": MAX_ROWS})
    recommendation = Recommendation.objects.create(
        inspection=inspection, unit=unit, due_on=due_on,
        text=_text(text, field="text", limit=4000),
        updated_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(actor=actor, action="recommendation.create", target=recommendation, unit=unit,
                 detail={"inspection": inspection.pk, "due_on": due_on.isoformat()})
    return recommendation


@transaction.atomic
def update_recommendation(*, actor, recommendation: Recommendation, status: str,
                          resolution_note: str = "",
                          resolved_on: dt.date | None = None) -> Recommendation:
    """Record progress. Done or dropped needs a note saying what was done (or why not)."""
    unit = recommendation.unit
    if not (can_record(actor) or getattr(actor, "can_write", False)):
        raise PermissionDenied("read-only role")
    if not scope.can_see_unit(actor, unit):
        raise scope.NotVisible("not found")
    if status not in Recommendation.Status.values:
        _refuse("status", _("Tình trạng không hợp lệ."))
    note = _text(resolution_note, field="resolution_note", limit=4000, required=False)
    closing = status in (Recommendation.Status.DONE, Recommendation.Status.DROPPED)
    if closing and not note:
        _refuse("resolution_note", _("Ghi rõ kết quả thực hiện (hoặc lý do không thực hiện)."))
    if closing:
        resolved_on = resolved_on or today()
        _check_day(resolved_on, "resolved_on")
    else:
        resolved_on = None
    before = {"status": recommendation.status, "note": recommendation.resolution_note}
    recommendation.status, recommendation.resolution_note = status, note
    recommendation.resolved_on = resolved_on
    recommendation.updated_by = actor if getattr(actor, "pk", None) else None
    recommendation.save()
    audit.record(actor=actor, action="recommendation.update", target=recommendation, unit=unit,
                 detail={"before": before, "status": status,
                         "resolved_on": resolved_on.isoformat() if resolved_on else None})
    return recommendation
