"""Every error code of the rule language has a Vietnamese message with a 1-based position."""

import pytest

from kieumau.criteria.messages import rule_error_message
from kieumau.criteria.rules import RuleError, compile_rule

KNOWN = {"tin_bao_da_xu_ly", "tin_bao_tiep_nhan", "toi_pham_ttxh"}

CASES = [
    ("tin_bao_da_xu_ly # 1", "vị trí 18: ký tự «#» không dùng được trong biểu thức"),
    ("tin_bao_da_xu_ly >= >= 1", "vị trí 21: không chờ đợi «>=» ở đây"),
    ("(tin_bao_da_xu_ly >= 1", "vị trí 23: biểu thức kết thúc khi còn thiếu"),
    ("1 < toi_pham_ttxh < 5", "vị trí 19: không được nối hai phép so sánh («<»"),
    ("median(toi_pham_ttxh) > 1", "vị trí 1: không có hàm «median»"),
    ("pct(toi_pham_ttxh) > 1", "vị trí 1: hàm pct() cần 2 đối số, đang có 1"),
    ("min(toi_pham_ttxh) > 1", "vị trí 1: hàm min() cần ít nhất 2 đối số, đang có 1"),
    ("sum(1) > 1", "vị trí 5: hàm sum() chỉ nhận một mã chỉ số làm đối số"),
    ("tin_bao_x >= 1", "vị trí 1: không có chỉ số «tin_bao_x»"),
    ("tin_bao_da_xu_ly", "vị trí 1: cần một điều kiện (phép so sánh như «>= 1»)"),
    ("(toi_pham_ttxh > 1) + 1 > 2", "vị trí 2: cần một con số nhưng ở đây là một điều kiện"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rule_errors_read_in_vietnamese(text, expected):
    with pytest.raises(RuleError) as caught:
        compile_rule(text, known_indicators=KNOWN)
    message = rule_error_message(caught.value, criterion_code="TC 5")
    assert message.startswith("Biểu thức TC 5, ")
    assert expected in message


def test_too_deep_rules_are_explained():
    with pytest.raises(RuleError) as caught:
        compile_rule("(" * 60 + "1" + ")" * 60 + " > 0", known_indicators=KNOWN)
    assert "lồng nhau quá 40 cấp" in rule_error_message(caught.value, criterion_code="TC 1")
