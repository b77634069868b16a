"""Properties of the distance to a threshold: adding what it says closes the gap, and no less
would. Pure: rules compiled and evaluated without a database."""

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kieumau.assessments.evaluation import IndicatorInfo, distance_to_threshold
from kieumau.criteria import rules

CATALOGUE = {
    "tin_bao_tiep_nhan": IndicatorInfo("Tin báo đã tiếp nhận", "tin", "sum", "count"),
    "tin_bao_da_xu_ly": IndicatorInfo("Tin báo đã giải quyết", "tin", "sum", "count"),
    "khao_sat_phieu": IndicatorInfo("Phiếu khảo sát", "phiếu", "sum", "count"),
    "khao_sat_hai_long": IndicatorInfo("Phiếu hài lòng", "phiếu", "sum", "count"),
    "toi_pham_ttxh": IndicatorInfo("Số vụ phạm tội về TTXH", "vụ", "sum", "count"),
    "to_lien_gia_pccc": IndicatorInfo("Tổ liên gia", "tổ", "last", "count"),
}


class Values:
    def __init__(self, current: dict, previous: dict | None = None) -> None:
        self.current, self.previous = current, previous or {}

    def value(self, *, code, aggregation, years_back):
        found = (self.current if years_back == 0 else self.previous).get(code)
        return None if found is None else Decimal(found)

    def plus(self, code: str, amount: int) -> "Values":
        return Values({**self.current, code: self.current[code] + amount}, self.previous)


def evaluate(text: str, values: Values):
    rule = rules.compile_rule(text, known_indicators=CATALOGUE)
    return rule, rule.evaluate(values)


def gap(text: str, values: Values) -> tuple[str, int]:
    rule, outcome = evaluate(text, values)
    assert outcome.status == "not_met"
    phrase = distance_to_threshold(outcome, expr=rule.expr, catalogue=CATALOGUE)
    match = re.fullmatch(r"(còn thiếu|cần giảm thêm) (\d+) (\S+)", phrase)
    assert match, phrase
    sign = 1 if match[1] == "còn thiếu" else -1
    return match[3], sign * int(match[2])


@given(received=st.integers(1, 500), short=st.integers(1, 50))
def test_handling_every_report_gap_is_exactly_the_reports_left(received, short):
    handled = max(received - short, 0)
    values = Values({"tin_bao_tiep_nhan": received, "tin_bao_da_xu_ly": handled})
    text = "tin_bao_da_xu_ly >= tin_bao_tiep_nhan"
    unit, step = gap(text, values)
    assert (unit, step) == ("tin", received - handled)
    assert evaluate(text, values.plus("tin_bao_da_xu_ly", step))[1].status == "met"


@given(surveyed=st.integers(1, 1000), satisfied_share=st.integers(0, 89))
def test_satisfaction_gap_is_the_fewest_answers_that_reach_the_threshold(surveyed, satisfied_share):
    satisfied = surveyed * satisfied_share // 100
    values = Values({"khao_sat_phieu": surveyed, "khao_sat_hai_long": satisfied})
    text = "pct(khao_sat_hai_long, khao_sat_phieu) >= 90"
    if evaluate(text, values)[1].status == "met":
        return
    unit, step = gap(text, values)
    assert unit == "phiếu" and step > 0
    assert evaluate(text, values.plus("khao_sat_hai_long", step))[1].status == "met"
    assert evaluate(text, values.plus("khao_sat_hai_long", step - 1))[1].status == "not_met"


@given(previous=st.integers(0, 100), extra=st.integers(0, 30))
def test_crime_gap_says_how_many_fewer_cases_beat_last_year(previous, extra):
    values = Values({"toi_pham_ttxh": previous + extra}, {"toi_pham_ttxh": previous})
    text = "toi_pham_ttxh < prev_year(toi_pham_ttxh)"
    unit, step = gap(text, values)
    assert unit == "vụ" and step == -(extra + 1)
    assert evaluate(text, values.plus("toi_pham_ttxh", step))[1].status == "met"


@given(groups=st.integers(0, 5), points=st.integers(0, 12))
def test_each_failing_part_of_an_and_gets_its_own_gap(groups, points):
    values = Values({"to_lien_gia_pccc": groups, "tin_bao_tiep_nhan": points})
    rule, outcome = evaluate("to_lien_gia_pccc >= 6 and tin_bao_tiep_nhan >= 6", values)
    phrase = distance_to_threshold(outcome, expr=rule.expr, catalogue=CATALOGUE)
    parts = phrase.split("; ")
    assert parts[0] == f"còn thiếu {6 - groups} tổ"
    assert len(parts) == (2 if points < 6 else 1)


def test_no_gap_for_a_rule_with_or():
    values = Values({"to_lien_gia_pccc": 1, "tin_bao_tiep_nhan": 1})
    rule, outcome = evaluate("to_lien_gia_pccc >= 6 or tin_bao_tiep_nhan >= 6", values)
    assert distance_to_threshold(outcome, expr=rule.expr, catalogue=CATALOGUE) is None
