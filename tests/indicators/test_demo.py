import io

import pytest

from kieumau.indicators.demo import load_demo, set_demo_values
from kieumau.indicators.models import Indicator, IndicatorValueChange
from kieumau.indicators.services import ValuesRejected
from tests.conftest import BEFORE_MERGER, unit


def test_demo_loads_catalogue_idempotently(db):
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    assert Indicator.objects.count() == 30


def test_set_demo_values_is_idempotent(catalogue):
    values = {"2023-01": {"toi_pham_ttxh": 3, "to_lien_gia_pccc": 6}}
    old_duc_xuan = unit("01840", BEFORE_MERGER)
    first = set_demo_values(unit=old_duc_xuan, month_values=values)
    second = set_demo_values(unit=old_duc_xuan, month_values=values)
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert IndicatorValueChange.objects.count() == 2


def test_values_only_for_months_the_unit_existed(catalogue):
    with pytest.raises(ValuesRejected) as raised:
        set_demo_values(unit=unit("01840"), month_values={"2023-01": {"toi_pham_ttxh": 3}})
    assert "không tồn tại vào tháng 2023-01" in raised.value.errors[0].message
