"""VND: whole đồng, dots between thousands, parsed back exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.core.money import MoneyError, format_vnd, parse_vnd

LIMIT = 10**15


@pytest.mark.parametrize(("amount", "shown"), [
    (750_000_000, "750.000.000 đ"), (0, "0 đ"), (999, "999 đ"), (1000, "1.000 đ"),
    (10**15, "1.000.000.000.000.000 đ"), (None, "–"),
])
def test_format(amount, shown):
    assert format_vnd(amount) == shown


@pytest.mark.parametrize("text", ["750.000.000", "750000000", "750 000 000", "750.000.000 đ",
                                  " 750.000.000đ "])
def test_parse_accepts_the_ways_people_write_it(text):
    assert parse_vnd(text, maximum=LIMIT) == 750_000_000


@pytest.mark.parametrize("text", ["75.00", "-1", "1,5", "7500.000", "", "abc", "1.000,50",
                                  "1.0000"])
def test_parse_refuses_anything_but_whole_dong(text):
    with pytest.raises(MoneyError) as caught:
        parse_vnd(text, maximum=LIMIT)
    assert caught.value.kind == "format"


def test_the_bound_is_inclusive():
    assert parse_vnd("1000", maximum=1000) == 1000
    with pytest.raises(MoneyError) as caught:
        parse_vnd("1001", maximum=1000)
    assert caught.value.kind == "too_large"


@given(st.integers(min_value=0, max_value=LIMIT))
def test_what_is_shown_parses_back(amount):
    assert parse_vnd(format_vnd(amount), maximum=LIMIT) == amount


def test_template_filter_uses_the_same_helper():
    from kieumau.core.templatetags.kieumau import vnd

    assert vnd(750_000_000) == "750.000.000 đ"
