import datetime as dt

from django import template
from django.urls import reverse

from kieumau.core.money import format_vnd

register = template.Library()


@register.simple_tag
def unit_url(unit, as_of: dt.date | None = None) -> str:
    """A link to the unit that stays right although its code is reused by a later unit."""
    day = as_of if as_of is not None and unit.exists_on(as_of) else unit.a_day_it_existed()
    return f"{reverse('orgunits:detail', args=[unit.code])}?as_of={day.isoformat()}"


@register.filter
def vn_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


@register.filter
def vnd(amount: int | None) -> str:
    """750000000 -> "750.000.000 đ" (kieumau.core.money.format_vnd)."""
    return format_vnd(amount)
