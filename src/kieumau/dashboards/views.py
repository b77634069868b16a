"""Dashboard pages: a unit's dashboard with drill-down, and the home page ("what needs me now")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kieumau.citizens.selectors import satisfaction_by_month
from kieumau.core.dates import today
from kieumau.core.http import as_of_from
from kieumau.dashboards import gaps, geo, selectors, trends
from kieumau.dashboards import home as home_selectors
from kieumau.dashboards.standings import Standing

STANDING_NAMES = {
    Standing.RECOGNISED: _("Đã công nhận"),
    Standing.QUALIFIES: _("Đạt, chờ công nhận"),
    Standing.IN_PROGRESS: _("Đang thực hiện"),
    Standing.NOT_STARTED: _("Chưa bắt đầu"),
}
LIST_LIMIT = 400  # above this many communes the page lists them by the units under it instead
LOST_SHOWN = 20  # units that lost a criterion listed on the page; the export has them all


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/home.html", {"needs": home_selectors.needs_me(request.user)})


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home_unit = request.user.home_unit
    if home_unit is None:
        return redirect("home")
    return redirect(reverse("dashboards:unit", args=[home_unit.code]))


@require_GET
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    as_of, bad_date = as_of_from(request)
    set_code = request.GET.get("set", "").strip()[:64]
    bad_range = ""
    try:
        card = selectors.dashboard(request.user, code=code, as_of=as_of, set_code=set_code)
    except selectors.BadDate as error:
        bad_range, as_of = str(error), today()
        card = selectors.dashboard(request.user, code=code, as_of=as_of, set_code=set_code)
    frame, unmapped = selectors.commune_map(card)
    lost = selectors.lost_criteria(request.user, card=card)
    context = {
        "card": card,
        "as_of": as_of,
        "bad_date": bad_date,
        "bad_range": bad_range,
        "set_choices": selectors.set_choices(),
        "standings": [(s.value, STANDING_NAMES[s], card.by_standing[s]) for s in Standing],
        "standing_names": {s.value: STANDING_NAMES[s] for s in Standing},
        "children": selectors.children_rows(request.user, card=card),
        "overdue": selectors.overdue_recommendations(request.user, unit=card.unit, as_of=as_of),
        "roadmaps": selectors.roadmaps(request.user, unit=card.unit, as_of=as_of),
        "lost": lost[:LOST_SHOWN],
        "lost_count": len(lost),
        "lost_more": max(0, len(lost) - LOST_SHOWN),
        "indicator": request.GET.get("indicator", "").strip()[:64],
        "map": frame,
        "map_marks": mark_safe(  # noqa: S308 - built by geo.svg_marks, every text escaped
            geo.svg_marks(frame, names={s.value: str(STANDING_NAMES[s]) for s in Standing})
        ),
        "unmapped": unmapped,
        "list_communes": card.commune_count <= LIST_LIMIT,
        "query": f"as_of={as_of.isoformat()}&set={card.criteria_set.code}",
    }
    return render(request, "dashboards/unit.html", context)


@require_GET
def plan_gaps(request: HttpRequest, pk: int) -> HttpResponse:
    from kieumau.programs.selectors import get_plan

    as_of, bad_date = as_of_from(request)
    plan = get_plan(request.user, pk)
    result = gaps.plan_gaps(request.user, plan=plan, as_of=as_of)
    return render(request, "dashboards/gaps.html",
                  {"result": result, "plan": plan, "as_of": as_of, "bad_date": bad_date})


@require_GET
def unit_trends(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard's indicator trends, loaded after the page (a national sum reads millions of
    monthly values; the standings must not wait for it)."""
    from kieumau.orgunits.selectors import unit_for

    as_of, _bad = as_of_from(request)
    unit = unit_for(request.user, code=code, as_of=as_of)
    trend = trends.indicator_trends(request.user, unit=unit, as_of=as_of)
    context = {
        # Residents' satisfaction, month by month with the answers behind each figure (issue 9).
        "satisfaction": satisfaction_by_month(request.user, unit=unit, first=trend.first,
                                              last=as_of),
        "unit": unit,
        "as_of": as_of,
        "set_code": request.GET.get("set", "").strip()[:64],
        "trends": trend,
        "trend": trend.row(request.GET.get("indicator")),
    }
    return render(request, "dashboards/_trends.html", context)
