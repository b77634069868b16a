"""What the review report says: every number read from the selectors the pages read.

`review_context` returns the dict the Word template is rendered with. Sections a scope has no data
for say so in words ("Không có …") rather than leaving an empty table.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kieumau.core.dates import today
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

MAX_UNITS_LISTED = 400
MAX_LINES = 60


def _lines(text: str, *, limit: int = MAX_LINES) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()][:limit]


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def header(*, unit: OrgUnit, last: dt.date, options) -> dict:
    """Issuing body, number, place and date (Nghị định 30/2020)."""
    parent = tree.parent_on(unit, min(last, today())) or tree.parent_on(unit, unit.a_day_it_existed())
    issued = today()
    province = unit
    for ancestor in tree.ancestors(unit, unit.a_day_it_existed()):
        if ancestor.level == "province":
            province = ancestor
    return {
        "parent_body": parent.police_name if parent is not None else "Bộ Công an",
        "issuing_body": unit.police_name,
        "number": options.number or "…/BC-…",
        "place": options.place or province.name.replace("Tỉnh ", "").replace("Thành phố ", ""),
        "day": f"{issued.day:02d}", "month": f"{issued.month:02d}", "year": str(issued.year),
        "signer_title": options.signer_title or _("Thủ trưởng đơn vị"),
        "signer_name": options.signer_name or "",
        "recipients": _lines(options.recipients) or [_("Như trên"), _("Lưu: VT")],
        "proposals": _lines(options.proposals) or [_(
            "(Đề xuất, kiến nghị của đơn vị: lãnh đạo bổ sung trước khi ký.)")],
    }


def review_context(*, user, unit: OrgUnit, first: dt.date, last: dt.date, options) -> dict:
    """The report of `unit` over first..last, or of the plan numbered `options.plan` (whose
    issuing unit then issues it). `images` (PNG charts) ride along under "_images"."""
    from kieumau.reports import charts, figures

    plan = figures.plan_by_number(user, options.plan) if options.plan else None
    if plan is not None:
        unit = plan.issuing_unit
    context = header(unit=unit, last=last, options=options)
    context |= figures.review_figures(user=user, unit=unit, first=first, last=last,
                                      options=options, plan=plan)
    counts = context.get("standing_counts") or []
    context["_images"] = {"standing_chart": charts.bar_chart(
        [(row["label"], row["count"]) for row in counts])} if counts else {}
    context.setdefault("standing_chart", "")
    context.setdefault("title", _("Kết quả thực hiện phong trào xây dựng Công an xã, phường kiểu "
                                  "mẫu từ %(first)s đến %(last)s") % {"first": _d(first),
                                                                        "last": _d(last)})
    return context
