"""Publishing a month's resident figures to the monthly indicators that criteria sets read.

The live figures are the tallies (`selectors.satisfaction_by_month`, `request_counts_by_month`),
updated by every answer and request. The indicator values are the unit's official monthly
report: an officer publishes them (page "Người dân" of the unit, or `kieumau manage
citizens_publish`), through `indicators.services.set_values`, so the usual audit, history and
locks of approved assessments apply.

Mapping: khao_sat_phieu = answers; khao_sat_hai_long = satisfied answers; phan_anh_tiep_nhan =
requests received that month; phan_anh_da_xu_ly = those of them handled by their deadline.
"""

import datetime as dt

from django.utils.translation import gettext as _

from kieumau.citizens import selectors
from kieumau.indicators import services as indicator_services
from kieumau.indicators.models import Indicator, Source
from kieumau.orgunits.models import OrgUnit

CODES = ("khao_sat_phieu", "khao_sat_hai_long", "phan_anh_tiep_nhan", "phan_anh_da_xu_ly")
NOTE = "Người dân: khảo sát và phản ánh (kieumau.citizens)"


class FeedUnavailable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def month_figures(actor, *, unit: OrgUnit, month: dt.date) -> dict[str, int]:
    satisfaction = selectors.satisfaction_by_month(actor, unit=unit, first=month, last=month)
    counts = selectors.request_counts_by_month(actor, unit=unit, first=month, last=month)
    return {
        "khao_sat_phieu": sum(row.answers for row in satisfaction),
        "khao_sat_hai_long": sum(row.satisfied for row in satisfaction),
        "phan_anh_tiep_nhan": sum(row.received for row in counts),
        "phan_anh_da_xu_ly": sum(row.on_time for row in counts),
    }


def publish_month(*, actor, unit: OrgUnit, month: dt.date) -> indicator_services.SaveResult:
    """Write the four values of `month` for `unit`; ValuesRejected/ValuesLocked as set_values."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    if len(indicators) != len(CODES):
        indicator_services.load_indicators(actor=actor)
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    if len(indicators) != len(CODES):
        raise FeedUnavailable(_("Danh mục chỉ số thiếu chỉ số khảo sát, phản ánh."))
    figures = month_figures(actor, unit=unit, month=month)
    rows = [indicator_services.ValueInput(unit, indicators[code], month, figures[code], ref=code)
            for code in CODES]
    return indicator_services.set_values(actor=actor, rows=rows, source=Source.API, note=NOTE)
