"""Indicator trends of a dashboard: twelve months against the same months a year before, summed
over the communes in scope with the former units rolled up, and the Poisson z-score."""

import datetime as dt

from kieumau.dashboards import trends
from tests.assessments.conftest import enter_value
from tests.conftest import BEFORE_MERGER, client_for, unit

AS_OF = dt.date(2026, 7, 15)  # twelve months 07/2025 – 06/2026 against 07/2024 – 06/2025


def crimes(users, code, day, month, value):
    enter_value(users.nghean, unit(code, day), "toi_pham_ttxh", month, value)


def test_counts_sum_the_communes_and_their_former_units(users, ward_set):
    crimes(users, "16939", BEFORE_MERGER, dt.date(2024, 9, 1), 30)  # old Hòa Hiếu, a year before
    crimes(users, "16939", AS_OF, dt.date(2025, 9, 1), 10)  # today's Thái Hòa
    result = trends.indicator_trends(users.nghean, unit=unit("40", AS_OF), as_of=AS_OF)
    row = result.row("toi_pham_ttxh")
    assert (row.previous, row.current) == (30, 10)
    assert row.comparison.notable and row.comparison.direction == "down"
    assert (result.first, result.last) == (dt.date(2025, 7, 1), dt.date(2026, 6, 1))


def test_a_small_change_is_not_notable(users, ward_set):
    crimes(users, "16939", BEFORE_MERGER, dt.date(2024, 9, 1), 2)
    crimes(users, "16939", AS_OF, dt.date(2025, 9, 1), 1)
    row = trends.indicator_trends(users.nghean, unit=unit("40", AS_OF), as_of=AS_OF).row(
        "toi_pham_ttxh")
    assert not row.comparison.notable


def test_values_out_of_scope_are_not_counted(users, ward_set):
    crimes(users, "16939", AS_OF, dt.date(2025, 9, 1), 10)
    result = trends.indicator_trends(users.thainguyen, unit=unit("BCA"), as_of=AS_OF)
    assert result.row("toi_pham_ttxh") is None


def test_trends_fragment_draws_a_chart_table_and_checks_scope(users, ward_set):
    crimes(users, "16939", AS_OF, dt.date(2025, 9, 1), 10)
    response = client_for(users.nghean).get("/dashboards/40/trends/?as_of=2026-07-15")
    assert response.status_code == 200
    assert 'data-canvas="chart-trend"' in response.text and "−100" not in response.text
    assert client_for(users.thainguyen).get("/dashboards/40/trends/").status_code == 404


def test_a_residents_answer_lands_in_the_dashboards_satisfaction_table(users):
    from tests.citizens.conftest import answer
    from tests.conftest import client_for

    assert answer().status_code == 302
    html = client_for(users.nghean).get("/dashboards/40/trends/").content.decode()
    table = html[html.index('id="dashboard-satisfaction"'):]
    import re

    assert re.search(r"<td>1</td>\s*<td>100[.,]0%", table), table[:600]
    assert "chưa đủ tin cậy" in table  # one answer is fewer than the stated minimum
