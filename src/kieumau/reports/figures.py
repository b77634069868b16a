"""The numbers of the review report, read from the product's selectors.

Interim: standing from a live bulk evaluation of the communes in scope; the dashboards' selectors
replace it once they exist, so the report and the dashboard read one function.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.assessments.evaluation import evaluate_set
from kieumau.criteria import selectors as criteria_selectors
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

DEFAULT_SET = "phuong-kieu-mau"
MAX_UNITS_LISTED = 400


def communes_in(user, unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    if unit.level == "commune":
        return [unit]
    return list(tree.descendants(units=scope.visible_units(user), root=unit, day=day,
                                 level="commune").order_by("name_folded", "code"))


def review_figures(*, user, unit: OrgUnit, first: dt.date, last: dt.date, options) -> dict:
    day = last
    communes = communes_in(user, unit, day)
    code = options.set_code or DEFAULT_SET
    criteria_set = (criteria_selectors.latest_revision(code=code, year=last.year)
                    or criteria_selectors.versions_of(code).first())
    rows, criteria_rows, most_unmet = [], [], ""
    if criteria_set is not None and communes:
        start, end = criteria_set.period_ending_in(last.year)
        evaluations = evaluate_set(criteria_set=criteria_set, unit_ids=[u.pk for u in communes],
                                   period_start=start, period_end=end)
        unmet = Counter()
        per_criterion = {}
        for index, commune in enumerate(communes, start=1):
            result = evaluations[commune.pk]
            for item in result.results:
                counts = per_criterion.setdefault(item.criterion.code, [item.criterion, 0, 0, 0])
                slot = {"met": 1, "not_met": 2}.get(item.status, 3)
                counts[slot] += 1
                if item.status == "not_met":
                    unmet[item.criterion.code] += 1
            if index <= MAX_UNITS_LISTED:
                rows.append({"index": index, "name": commune.police_name,
                             "standing": result.outcome.label,
                             "progress": f"{result.outcome.met}/{result.outcome.total}"})
        criteria_rows = [{"code": c.code, "title": c.title, "met": met, "unmet": not_met,
                          "no_data": other} for c, met, not_met, other in per_criterion.values()]
        most_unmet = ", ".join(f"{code} ({count})" for code, count in unmet.most_common(3))
    return {
        "opening": _("Báo cáo kết quả thực hiện phong trào trong phạm vi %(unit)s.")
        % {"unit": unit.police_name},
        "aims": [_("Thời gian: từ %(first)s đến %(last)s.") % {
            "first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}],
        "units_summary": _("%(n)d đơn vị cấp xã trong phạm vi.") % {"n": len(communes)},
        "units": rows,
        "units_more": "",
        "standing_chart": "",
        "set_name": criteria_set.title if criteria_set else "—",
        "reconstructed_note": _(
            "Bộ tiêu chí này được dựng lại từ nguồn công khai, chưa phải văn bản gốc."
        ) if criteria_set is not None and criteria_set.reconstructed else "",
        "criteria": criteria_rows,
        "most_unmet": most_unmet or _("không có"),
        "comparison_note": "",
        "indicators": [],
        "inspections_summary": _("Không có đợt kiểm tra nào trong kỳ."),
        "findings": [],
        "recommendations": [],
        "budget_total": "0 đ",
        "budget": [],
        "awards_summary": _("Không có khen thưởng trong kỳ."),
        "awards": [],
    }
