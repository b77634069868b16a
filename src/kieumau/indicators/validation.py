"""Turning what a person typed (in a form, a spreadsheet cell or JSON) into a value, or a reason.

The messages name the bad input but not the place: callers prefix "Dòng 7, cột x: " or the field.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_ABS = Decimal(10) ** 14  # max_digits 18 with 4 decimal places
QUANTUM = Decimal("0.0001")


class BadValue(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(raw) -> str:
    text = str(raw).strip()
    return text if len(text) <= 40 else text[:39] + "…"


# "1.234" or "12.345.678": digits grouped by thousands with dots, as Vietnamese write them.
_GROUPED_BY_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_number(raw, *, percent_sign: bool = True) -> Decimal | None:
    """A number from a cell or a JSON value; None for empty; BadValue for text that is no number.

    A trailing "%" is read only when `percent_sign` (an indicator measured in percent)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Decimal(int(raw))
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if text.endswith("%"):
            if not percent_sign:
                raise BadValue(
                    _("«%(raw)s»: chỉ số này không tính bằng phần trăm; bỏ dấu %%")
                    % {"raw": shown(raw)}
                )
            text = text[:-1]
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")  # 12,5 as Vietnamese write it
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise BadValue(_("«%(raw)s» không phải là số") % {"raw": shown(raw)}) from None
    if not number.is_finite():
        raise BadValue(_("«%(raw)s» không phải là số") % {"raw": shown(raw)})
    return number


def clean_value(raw, *, value_type: str) -> Decimal | None:
    """The value to store for an indicator of `value_type`, or None for an empty input."""
    if isinstance(raw, bool) and value_type != "flag":
        # TRUE/FALSE in a spreadsheet, true/false in JSON: only a yes/no indicator takes them.
        raise BadValue(
            _("«%(raw)s»: cần một số, không phải giá trị đúng/sai")
            % {"raw": "TRUE" if raw else "FALSE"}
        )
    if value_type == "count" and isinstance(raw, str):
        text = raw.strip()
        if _GROUPED_BY_DOTS.match(text):
            raise BadValue(
                _(
                    "«%(raw)s»: số đếm không dùng dấu chấm; nếu ý bạn là %(number)s, "
                    "hãy nhập %(number)s"
                )
                % {"raw": shown(raw), "number": text.replace(".", "")}
            )
    number = parse_number(raw, percent_sign=value_type == "percent")
    if number is None:
        return None
    if abs(number) >= MAX_ABS:
        raise BadValue(_("«%(raw)s»: số quá lớn") % {"raw": shown(raw)})
    if number != number.quantize(QUANTUM):
        raise BadValue(_("«%(raw)s»: tối đa 4 chữ số sau dấu thập phân") % {"raw": shown(raw)})
    if value_type == "count":
        if number < 0 or number != number.to_integral_value():
            raise BadValue(_("«%(raw)s»: số đếm phải là số nguyên không âm") % {"raw": shown(raw)})
    elif value_type == "percent":
        if not 0 <= number <= 100:
            raise BadValue(_("«%(raw)s»: tỉ lệ phải từ 0 đến 100") % {"raw": shown(raw)})
    elif value_type == "flag":
        if number not in (0, 1):
            raise BadValue(_("«%(raw)s»: chỉ nhận 0 (không) hoặc 1 (có)") % {"raw": shown(raw)})
    elif number < 0:
        raise BadValue(_("«%(raw)s»: phải là số không âm") % {"raw": shown(raw)})
    return number.quantize(QUANTUM)


def cached_cleaner():
    """`clean_value` remembering its answers: an import of 100,000 cells holds few distinct ones."""
    answers: dict[tuple[object, str], Decimal | None | BadValue] = {}

    def clean(raw, value_type: str) -> Decimal | None:
        key = (type(raw), raw, value_type)
        try:
            answer = answers[key]
        except KeyError:
            try:
                answer = clean_value(raw, value_type=value_type)
            except BadValue as bad:
                answer = bad
            answers[key] = answer
        except TypeError:  # unhashable input
            return clean_value(raw, value_type=value_type)
        if isinstance(answer, BadValue):
            raise BadValue(answer.message)  # a fresh one: re-raising one object grows its traceback
        return answer

    return clean


def format_value(value: Decimal | None) -> str:
    """12.0000 → "12", 12.5000 → "12.5"; empty for None (no data)."""
    if value is None:
        return ""
    text = format(value.quantize(QUANTUM), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
