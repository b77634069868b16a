"""Pages of a unit's standing: every set (an htmx fragment on the unit page), and one set's
criteria for one year. The orgunits app does not import assessments: the unit page loads the
fragment from here."""


from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kieumau.assessments import standing
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.core.http import as_of_from, wants_fragment
from kieumau.orgunits import selectors as unit_selectors


@require_GET
def unit_standing(request: HttpRequest, code: str) -> HttpResponse:
    as_of, bad_date = as_of_from(request)
    unit = unit_selectors.unit_for(request.user, code=code, as_of=as_of)
    context = {
        "unit": unit,
        "as_of": as_of,
        "bad_date": bad_date,
        "standings": standing.unit_standing(request.user, unit=unit, as_of=as_of),
    }
    fragment = wants_fragment(request)
    template = "assessments/standing.html#standing" if fragment else "assessments/standing.html"
    return render(request, template, context)


@require_GET
def unit_set_standing(request: HttpRequest, code: str, set_code: str) -> HttpResponse:
    raw_year = request.GET.get("year", "").strip()
    try:
        year = bounds.parse_year(raw_year)
    except ValueError:
        year = today().year
    version = request.GET.get("version", "").strip() or None
    context = {"code": code, "set_code": set_code, "year": year, "bad_year": None}
    if raw_year and str(year) != raw_year:
        context["bad_year"] = raw_year
    try:
        context["result"] = standing.result_for_year(
            request.user, code=code, set_code=set_code, year=year, version=version
        )
    except standing.UnknownSet as error:
        context["problem"] = error.message
        return render(request, "assessments/standing_set.html", context, status=404)
    return render(request, "assessments/standing_set.html", context)
