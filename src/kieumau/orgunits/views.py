
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kieumau.core.http import as_of_from, wants_fragment
from kieumau.orgunits import selectors, services
from kieumau.orgunits.forms import LocalUnitForm
from kieumau.orgunits.models import Level


def browse(request: HttpRequest) -> HttpResponse:
    as_of, bad_date = as_of_from(request)
    text = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if level not in Level.values:
        level = ""
    if not text and not level:
        units = selectors.default_listing(request.user, as_of=as_of)
    else:
        units = selectors.search_units(request.user, as_of=as_of, level=level or None, text=text)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    selectors.with_province_names(request.user, page.object_list, as_of=as_of)
    former = (
        selectors.former_units_named(request.user, text=text, as_of=as_of)
        if text and not level and page.number == 1
        else []
    )
    context = {"page": page, "as_of": as_of, "bad_date": bad_date, "q": text, "level": level,
               "levels": Level.choices, "former": former}
    template = "orgunits/browse.html#fragment" if wants_fragment(request) else "orgunits/browse.html"
    return render(request, template, context)


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    as_of, bad_date = as_of_from(request)
    unit = selectors.unit_for(request.user, code=code, as_of=as_of)
    context = {
        "unit": unit,
        "as_of": as_of,
        "bad_date": bad_date,
        "place": selectors.place_of(request.user, unit, as_of),
        "history": selectors.history_of(request.user, unit),
        "local_unit_form": LocalUnitForm(initial={"valid_from": as_of})
        if unit.level == "commune" and request.user.can_write and unit.exists_on(as_of)
        else None,
    }
    return render(request, "orgunits/unit_detail.html", context)


@require_POST
def register_child(request: HttpRequest, code: str) -> HttpResponse:
    """A commune registers a residential area, agency, enterprise or school under it."""
    as_of, _bad = as_of_from(request)
    parent = selectors.unit_for(request.user, code=code, as_of=as_of)
    form = LocalUnitForm(request.POST)
    if form.is_valid():
        try:
            child = services.register_local_unit(actor=request.user, parent=parent, **form.cleaned_data)
        except services.BadLocalUnit as bad:
            messages.error(request, bad.message)
        else:
            messages.success(request, _("Đã đăng ký %(name)s.") % {"name": child.name})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{request.path.rsplit('register/', 1)[0]}?as_of={as_of.isoformat()}")
