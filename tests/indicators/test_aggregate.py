import datetime as dt
from decimal import Decimal

import pytest

from kieumau.indicators import selectors
from kieumau.indicators.demo import set_demo_values
from kieumau.orgunits.models import OrgUnit, valid_on
from tests.conftest import unit

YEAR = (dt.date(2025, 7, 1), dt.date(2026, 6, 30))


def fill(units, months: dict):
    for one in units:
        set_demo_values(unit=one, month_values=months)


@pytest.fixture
def thai_hoa(catalogue):
    one = unit("16939")
    fill(
        [one],
        {
            "2025-07": {"toi_pham_ttxh": 2, "khao_sat_phieu": 10, "to_lien_gia_pccc": 4},
            "2025-08": {"toi_pham_ttxh": 3, "khao_sat_phieu": 20, "to_lien_gia_pccc": 6},
            "2025-09": {"toi_pham_ttxh": 0},
            "2026-07": {"toi_pham_ttxh": 50, "to_lien_gia_pccc": 9},  # outside the period
        },
    )
    return one


def test_sum_adds_the_months(thai_hoa):
    result = selectors.aggregate_period(
        unit_ids=[thai_hoa.pk], codes=["toi_pham_ttxh"], start=YEAR[0], end=YEAR[1]
    )
    assert result == {(thai_hoa.pk, "toi_pham_ttxh"): Decimal(5)}


def test_last_takes_the_latest_month_with_data(thai_hoa):
    result = selectors.aggregate_period(
        unit_ids=[thai_hoa.pk], codes=["to_lien_gia_pccc"], start=YEAR[0], end=YEAR[1]
    )
    assert result == {(thai_hoa.pk, "to_lien_gia_pccc"): Decimal(6)}


def test_forced_average(thai_hoa):
    result = selectors.aggregate_period_as(
        unit_ids=[thai_hoa.pk],
        codes=["toi_pham_ttxh"],
        start=YEAR[0],
        end=YEAR[1],
        aggregation="avg",
    )
    assert result == {(thai_hoa.pk, "toi_pham_ttxh"): Decimal("1.6667")}


def test_forced_last_and_sum(thai_hoa):
    last = selectors.aggregate_period_as(
        unit_ids=[thai_hoa.pk],
        codes=["toi_pham_ttxh"],
        start=YEAR[0],
        end=YEAR[1],
        aggregation="last",
    )
    total = selectors.aggregate_period_as(
        unit_ids=[thai_hoa.pk],
        codes=["to_lien_gia_pccc"],
        start=YEAR[0],
        end=YEAR[1],
        aggregation="sum",
    )
    assert last == {(thai_hoa.pk, "toi_pham_ttxh"): Decimal(0)}
    assert total == {(thai_hoa.pk, "to_lien_gia_pccc"): Decimal(10)}


def test_codes_without_data_are_absent(thai_hoa):
    result = selectors.aggregate_period(
        unit_ids=[thai_hoa.pk], codes=["chay_no"], start=YEAR[0], end=YEAR[1]
    )
    assert result == {}


def test_cleared_values_do_not_count(thai_hoa):
    set_demo_values(unit=thai_hoa, month_values={"2025-08": {"to_lien_gia_pccc": None}})
    result = selectors.aggregate_period(
        unit_ids=[thai_hoa.pk], codes=["to_lien_gia_pccc"], start=YEAR[0], end=YEAR[1]
    )
    assert result == {(thai_hoa.pk, "to_lien_gia_pccc"): Decimal(4)}


def test_police_year_counts_december_to_november(catalogue):
    one = unit("16939")
    fill([one], {"2025-11": {"chay_no": 1}, "2025-12": {"chay_no": 2}, "2026-11": {"chay_no": 4}})
    result = selectors.aggregate_period(
        unit_ids=[one.pk], codes=["chay_no"], start=dt.date(2025, 11, 16), end=dt.date(2026, 11, 15)
    )
    assert result == {(one.pk, "chay_no"): Decimal(6)}


def test_query_count_does_not_grow_with_units(catalogue, django_assert_num_queries):
    communes = list(
        OrgUnit.objects.filter(valid_on(dt.date(2026, 1, 1)), level="commune").order_by("code")[:30]
    )
    months = {
        "2025-09": {"toi_pham_ttxh": 1, "khao_sat_phieu": 5, "to_lien_gia_pccc": 2},
        "2025-10": {"toi_pham_ttxh": 2, "khao_sat_phieu": 7, "to_lien_gia_pccc": 3},
    }
    fill(communes, months)
    codes = ["toi_pham_ttxh", "khao_sat_phieu", "to_lien_gia_pccc", "khao_sat_hai_long"]
    for size in (3, 30):
        ids = [c.pk for c in communes[:size]]
        with django_assert_num_queries(3):  # catalogue, sums, lasts
            result = selectors.aggregate_period(
                unit_ids=ids, codes=codes, start=YEAR[0], end=YEAR[1]
            )
        assert len(result) == size * 3
        assert result[(ids[-1], "to_lien_gia_pccc")] == 3
        with django_assert_num_queries(2):
            selectors.aggregate_period_as(
                unit_ids=ids, codes=codes, start=YEAR[0], end=YEAR[1], aggregation="last"
            )
