import datetime as dt

from kieumau.indicators import selectors
from kieumau.indicators.demo import set_demo_values
from tests.conftest import BEFORE_MERGER, client_for, unit


def months(year, **values):
    return {f"{year}-{m:02d}": values for m in range(1, 7)}


def test_small_changes_get_a_plain_note(users, catalogue):
    thai_hoa = unit("16939")
    set_demo_values(unit=thai_hoa, month_values={"2026-01": {"toi_pham_ttxh": 1}})
    set_demo_values(unit=thai_hoa, month_values={"2025-08": {"toi_pham_ttxh": 2}})
    response = client_for(users.thaihoa).get(
        "/indicators/compare/?unit=16939&from=2025-08&to=2026-01"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "dao động ngẫu nhiên" in page


def test_previous_year_includes_the_wards_that_merged(users, catalogue):
    # Thái Hòa was formed on 1 July 2025 from Hòa Hiếu, Quang Phong and Long Sơn.
    thai_hoa = unit("16939")
    for code in ("16939", "16993", "17003"):
        set_demo_values(unit=unit(code, BEFORE_MERGER), month_values=months(2025, toi_pham_ttxh=10))
    set_demo_values(
        unit=thai_hoa, month_values={f"2026-{m:02d}": {"toi_pham_ttxh": 5} for m in range(1, 7)}
    )
    result = selectors.compare_same_period(
        users.nghean, unit=thai_hoa, first=dt.date(2026, 1, 1), last=dt.date(2026, 6, 1)
    )
    row = next(r for r in result.rows if r.indicator.code == "toi_pham_ttxh")
    assert (row.previous, row.current) == (180, 30)
    assert row.comparison.notable and row.comparison.change == -150
    assert len(result.units) == 4


def test_only_count_indicators_summed_over_months_are_compared(users, catalogue):
    result = selectors.compare_same_period(
        users.nghean, unit=unit("16939"), first=dt.date(2026, 1, 1), last=dt.date(2026, 6, 1)
    )
    codes = {row.indicator.code for row in result.rows}
    assert "toi_pham_ttxh" in codes
    assert "to_lien_gia_pccc" not in codes and "nghi_quyet_dang_uy" not in codes


def test_missing_data_is_said_not_zeroed(users, catalogue):
    set_demo_values(unit=unit("16939"), month_values={"2026-03": {"chay_no": 2}})
    response = client_for(users.thaihoa).get(
        "/indicators/compare/?unit=16939&from=2026-01&to=2026-06"
    )
    assert "Thiếu số liệu" in response.content.decode()


def test_it_checks_scope(users, catalogue):
    url = "/indicators/compare/?unit=16939&from=2026-01&to=2026-06"
    assert client_for(users.thainguyen).get(url).status_code == 404
    assert client_for(users.inspector).get(url).status_code == 200
