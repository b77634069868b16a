"""Vietnamese messages for errors of the rule language (rules.RuleError codes)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kieumau.criteria.rules import RuleError

_RULE_MESSAGES = {
    "bad_character": gettext_lazy("ký tự «%(character)s» không dùng được trong biểu thức"),
    "unexpected_token": gettext_lazy("không chờ đợi «%(token)s» ở đây"),
    "unexpected_end": gettext_lazy(
        "biểu thức kết thúc khi còn thiếu một số, một chỉ số hoặc dấu ngoặc đóng"
    ),
    "chained_comparison": gettext_lazy(
        "không được nối hai phép so sánh («%(op)s» đứng sau một phép so sánh khác); "
        "dùng «and» để ghép hai điều kiện"
    ),
    "unknown_function": gettext_lazy(
        "không có hàm «%(name)s» (các hàm dùng được: prev_year, sum, avg, last, pct, min, max, abs)"
    ),
    "bad_arity": gettext_lazy("hàm %(function)s() cần %(expected)s đối số, đang có %(given)s"),
    "bad_argument": gettext_lazy("hàm %(function)s() chỉ nhận một mã chỉ số làm đối số"),
    "too_deep": gettext_lazy("biểu thức lồng nhau quá %(limit)s cấp"),
    "unknown_indicator": gettext_lazy("không có chỉ số «%(name)s»"),
    "not_boolean": gettext_lazy(
        "cần một điều kiện (phép so sánh như «>= 1») nhưng ở đây là một con số"
    ),
    "not_number": gettext_lazy("cần một con số nhưng ở đây là một điều kiện"),
}


def _expected(params: dict) -> str:
    low, high = params.get("min"), params.get("max")
    if high is None:
        return _("ít nhất %(n)s") % {"n": low}
    if low == high:
        return str(low)
    return _("từ %(low)s đến %(high)s") % {"low": low, "high": high}


def rule_error_text(error: RuleError) -> str:
    """What is wrong, without where: "không có chỉ số «tin_bao_x»"."""
    template = _RULE_MESSAGES.get(error.code)
    if template is None:
        return str(error)
    params = {key: value for key, value in error.params.items()}
    if error.code == "bad_arity":
        params["expected"] = _expected(params)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(error)


def rule_error_message(error: RuleError, *, criterion_code: str) -> str:
    """E.g. "Biểu thức TC 5, vị trí 12: không có chỉ số «tin_bao_x»"; positions count characters
    from 1, as a person reading the expression would."""
    return _("Biểu thức %(code)s, vị trí %(position)s: %(message)s") % {
        "code": criterion_code,
        "position": error.position + 1,
        "message": rule_error_text(error),
    }
