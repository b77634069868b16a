"""Demo data of this domain, loaded by `kieumau demo` after the tree and the demo accounts."""

import datetime as dt

from kieumau.indicators import services
from kieumau.indicators.models import Indicator, Source
from kieumau.indicators.months import parse_month


def load_demo(*, stdout) -> None:
    """Idempotent: re-running `kieumau demo` must not duplicate anything."""
    result = services.load_indicators()
    stdout.write(
        f"Danh mục chỉ số: {result.created} mới, {result.updated} cập nhật, "
        f"{result.unchanged} không đổi.\n"
    )


def set_demo_values(
    *, unit, month_values: dict, actor=None, note: str = "dữ liệu demo"
) -> services.SaveResult:
    """Store demo values: {"2023-01" or date(2023, 1, 1): {"toi_pham_ttxh": 3, …}, …}.

    Idempotent (unchanged values are skipped). Goes through the same checks as any save but
    not through scope, so demo loaders need no account; `actor` is recorded when given.
    """
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    rows = []
    for month, values in month_values.items():
        day = month if isinstance(month, dt.date) else parse_month(month)
        for code, value in values.items():
            rows.append(
                services.ValueInput(unit, indicators[code], day, value, ref=(day.isoformat(), code))
            )
    return services._apply(actor=actor, rows=rows, source=Source.FORM, note=note)
