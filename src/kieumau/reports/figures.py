"""The numbers of the review report, each read from the selector its page reads.

Standing, progress and the criteria most often unmet come from `dashboards.selectors.scorecard`
(the dashboard's one function); trends from `dashboards.trends`; roadmap, checklist, budget and
awards from `programs.selectors`; inspections and recommendations from `inspections.selectors`.
A test puts the report beside the dashboard and finds the same numbers.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kieumau.core.money import format_vnd
from kieumau.dashboards import selectors as dashboard_selectors
from kieumau.dashboards.standings import Standing
from kieumau.dashboards.trends import indicator_trends
from kieumau.inspections import selectors as inspection_selectors
from kieumau.orgunits.models import OrgUnit
from kieumau.programs import selectors as program_selectors
from kieumau.programs.models import Plan

MAX_UNITS_LISTED = 400
MAX_ROWS = 200


def standing_labels() -> dict[str, str]:
    return {
        Standing.RECOGNISED: _("Đã công nhận"),
        Standing.QUALIFIES: _("Đủ điều kiện, chờ công nhận"),
        Standing.IN_PROGRESS: _("Đang thực hiện"),
        Standing.NOT_STARTED: _("Chưa đánh giá"),
    }


class UnknownPlan(LookupError):
    """No plan with that number in the user's scope."""


def plan_by_number(user, number: str) -> Plan:
    found = list(program_selectors.plans_for(user).filter(number=number.strip()[:64])[:2])
    if len(found) != 1:
        raise UnknownPlan(number)
    return found[0]


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:,.2f}"


def scorecard_for(user, *, unit: OrgUnit, as_of: dt.date, set_code: str = ""):
    """The dashboard's scorecard of `unit` on `as_of` (None when no set applies there)."""
    code = set_code or dashboard_selectors.default_set_code(user, unit=unit, as_of=as_of)
    if not code:
        return None
    try:
        criteria_set = dashboard_selectors.version_for(set_code=code, year=as_of.year)
        return dashboard_selectors.scorecard(user, unit=unit, as_of=as_of,
                                             criteria_set=criteria_set)
    except dashboard_selectors.UnknownSet:
        return None


def review_figures(*, user, unit: OrgUnit, first: dt.date, last: dt.date, options,
                   plan: Plan | None = None) -> dict:
    as_of = last
    context: dict = {}
    card = scorecard_for(user, unit=unit, as_of=as_of, set_code=options.set_code)
    labels = standing_labels()
    if plan is not None:
        context |= _plan_sections(user, plan=plan, as_of=as_of, labels=labels)
    else:
        context["aims"] = [_("Phạm vi: %(unit)s; thời gian: từ %(first)s đến %(last)s.") % {
            "unit": unit.police_name, "first": _d(first), "last": _d(last)}]
        context["opening"] = _("Báo cáo kết quả thực hiện phong trào trong phạm vi %(unit)s.") % {
            "unit": unit.police_name}
    if card is not None:
        counts = card.by_standing
        context["standing_counts"] = [
            {"label": labels[key], "count": counts[key]} for key in counts]
        context["units_summary"] = _(
            "Theo bộ tiêu chí %(set)s, kỳ %(first)s–%(last)s: %(met)d/%(total)d đơn vị cấp xã đạt "
            "(%(recognised)d đã công nhận, %(qualifies)d đủ điều kiện), %(progress)d đang thực "
            "hiện, %(none)d chưa đánh giá."
        ) % {"set": card.criteria_set.title, "first": _d(card.period_start),
             "last": _d(card.period_end), "met": card.met_title, "total": card.commune_count,
             "recognised": counts[Standing.RECOGNISED], "qualifies": counts[Standing.QUALIFIES],
             "progress": counts[Standing.IN_PROGRESS], "none": counts[Standing.NOT_STARTED]}
        if plan is None:
            context["units"] = [
                {"index": i, "name": row.police_name, "standing": labels[row.standing],
                 "progress": row.progress or "—"}
                for i, row in enumerate(card.communes[:MAX_UNITS_LISTED], start=1)]
            more = card.commune_count - MAX_UNITS_LISTED
            context["units_more"] = _("… và %(n)d đơn vị khác (xem bảng Excel kèm theo).") % {
                "n": more} if more > 0 else ""
        context["set_name"] = f"{card.criteria_set.title} ({card.criteria_set.version})"
        context["reconstructed_note"] = _(
            "Lưu ý: bộ tiêu chí này được dựng lại từ nguồn công khai, chưa phải văn bản gốc."
        ) if card.criteria_set.reconstructed else ""
        context["criteria"] = [{"code": row.code, "title": row.title, "unmet": row.unmet}
                               for row in card.criteria]
        most = card.most_unmet[:3]
        context["most_unmet"] = ", ".join(f"{row.code} ({row.unmet})" for row in most) or _(
            "không có")
        context["standing_counts_raw"] = counts
    context.setdefault("units", [])
    context.setdefault("units_more", "")
    context.setdefault("set_name", "—")
    context.setdefault("reconstructed_note", "")
    context.setdefault("criteria", [])
    context.setdefault("most_unmet", _("không có"))
    context.setdefault("units_summary", _("Chưa có bộ tiêu chí nào áp dụng trong phạm vi này."))
    context.setdefault("standing_counts", [])
    context |= _trends(user, unit=unit, as_of=as_of)
    context |= _inspections(user, unit=unit, plan=plan, first=first, last=last, as_of=as_of)
    if plan is None:
        context |= {"budget_total": format_vnd(sum(
            row.amount for row in program_selectors.budget_totals(user, unit=unit))),
            "budget": [], "awards_summary": _("Xem báo cáo theo từng kế hoạch."), "awards": []}
    return context


def _plan_sections(user, *, plan: Plan, as_of: dt.date, labels) -> dict:
    progress = program_selectors.unit_progress(user, plan=plan, as_of=as_of)
    roadmap = program_selectors.roadmap(user, plan=plan, as_of=as_of, progress=progress)
    steps = program_selectors.checklist_counts(user, plan=plan)
    lines = list(program_selectors.budget_lines_of(user, plan=plan).order_by("year", "pk"))
    awards = list(program_selectors.awards_of(user, plan=plan).order_by("decision_date", "pk"))
    counts = program_selectors.award_counts(user, plan=plan)
    aims = [line.strip() for line in (plan.aims or "").splitlines() if line.strip()]
    aims.append(_("Thời gian thực hiện: từ %(first)s đến %(last)s.") % {
        "first": _d(plan.period_start), "last": _d(plan.period_end)})
    aims += [_("%(label)s: %(ratio)s đơn vị.") % {"label": s.label, "ratio": s.ratio}
             for s in steps]
    aims += [_("Năm %(year)d: chỉ tiêu %(target)s, đạt %(actual)s.") % {
        "year": r.year, "target": r.target_label or "—",
        "actual": "—" if r.actual is None else r.actual} for r in roadmap if r.target_label]
    units = []
    for index, item in enumerate(progress, start=1):
        if item.lost:
            standing = _("Đã đạt năm %(year)s, chưa duy trì") % {"year": item.first_qualified}
        elif item.qualifies_now:
            standing = _("Đạt")
        else:
            standing = _("Chưa đạt (mục tiêu %(year)d)") % {"year": item.enrolment.target_year}
        progress_text = f"{item.met}/{item.total}" if item.total else "—"
        units.append({"index": index, "name": item.unit.police_name, "standing": standing,
                      "progress": progress_text})
    return {
        "title": _("Sơ kết, tổng kết thực hiện Kế hoạch số %(number)s ngày %(date)s") % {
            "number": plan.number, "date": _d(plan.date)},
        "opening": _("Thực hiện Kế hoạch số %(number)s ngày %(date)s của %(unit)s%(title)s, "
                     "kết quả như sau.") % {
            "number": plan.number, "date": _d(plan.date), "unit": plan.issuing_unit.police_name,
            "title": f" về {plan.title}" if plan.title else ""},
        "aims": aims,
        "units": units,
        "budget_total": format_vnd(sum(line.amount for line in lines)),
        "budget": [{"purpose": line.purpose, "unit": line.unit.police_name if line.unit_id else "",
                    "year": line.year, "amount": format_vnd(line.amount)}
                   for line in lines[:MAX_ROWS]],
        "awards_summary": _("%(collective)d tập thể, %(individual)d cá nhân được khen thưởng.")
        % {"collective": counts.collective, "individual": counts.individual},
        "awards": [{"title": award.get_title_display(), "recipient": award.recipient,
                    "decision": f"{award.decision_number} ({_d(award.decision_date)})",
                    "body": award.issuing_body} for award in awards[:MAX_ROWS]],
        "roadmap": roadmap,
    }


def _trends(user, *, unit: OrgUnit, as_of: dt.date) -> dict:
    trends = indicator_trends(user, unit=unit, as_of=as_of)
    rows = []
    for row in trends.rows:
        comparison = row.comparison
        if comparison.change == 0:
            note = _("Không thay đổi.")
        elif comparison.notable:
            note = _("Tăng rõ rệt.") if comparison.change > 0 else _("Giảm rõ rệt.")
        else:
            note = _("Trong dao động ngẫu nhiên (|z| < 2).")
        rows.append({"name": row.indicator.name, "current": _number(row.current),
                     "previous": _number(row.previous),
                     "change": ("+" if comparison.change > 0 else "") + _number(comparison.change),
                     "note": note})
    return {
        "indicators": rows,
        "comparison_note": _(
            "12 tháng từ %(first)s đến %(last)s so với cùng kỳ năm trước; một thay đổi chỉ được "
            "coi là thật khi |z| ≥ 2 (z = 2(√kỳ này − √cùng kỳ))."
        ) % {"first": trends.first.strftime("%m/%Y"), "last": trends.last.strftime("%m/%Y")},
    }


def _inspections(user, *, unit: OrgUnit, plan: Plan | None, first: dt.date, last: dt.date,
                 as_of: dt.date) -> dict:
    inspections = inspection_selectors.inspections_for(user, unit=None if plan else unit,
                                                       plan=plan)
    inspections = list(inspections.filter(date__gte=first, date__lte=last)[:MAX_ROWS])
    findings = []
    for inspection in inspections:
        for visit in inspection_selectors.visits_of(user, inspection=inspection):
            for finding in visit.findings.all():
                findings.append(f"{visit.unit.police_name} ({finding.get_kind_display()}): "
                                f"{finding.text}")
    open_recs = inspection_selectors.open_recommendations(user, as_of=as_of,
                                                          unit=None if plan else unit)
    if plan is not None:
        open_recs = open_recs.filter(inspection__plan=plan)
    recommendations = [{"text": rec.text, "unit": rec.unit.police_name, "due": _d(rec.due_on),
                        "status": rec.get_status_display() + (_(" (quá hạn)") if rec.overdue
                                                              else "")}
                       for rec in open_recs[:MAX_ROWS]]
    return {
        "inspections_summary": _("%(n)d đợt kiểm tra, khảo sát trong kỳ.") % {
            "n": len(inspections)} if inspections else _("Không có đợt kiểm tra nào trong kỳ."),
        "findings": findings[:MAX_ROWS],
        "recommendations": recommendations,
    }
