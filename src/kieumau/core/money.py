"""Money in Vietnamese đồng: whole đồng only, shown with dots between thousands ("750.000.000 đ").

No Django import: used by templates, exports and the API alike.
"""

import re

_GROUPED = re.compile(r"^\d{1,3}([.\s]\d{3})+$")


def format_vnd(amount: int | None) -> str:
    """750000000 -> "750.000.000 đ"; None -> "–"."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")


class MoneyError(ValueError):
    """`kind` is "format" (not whole đồng) or "too_large"; callers word the message."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def parse_vnd(text: str, *, maximum: int) -> int:
    """"750.000.000", "750 000 000", "750000000 đ" -> 750000000.

    Raises MoneyError for anything else: a decimal part, a sign, a misplaced separator
    ("75.00"), or more than `maximum`.
    """
    cleaned = text.strip().removesuffix("đồng").removesuffix("đ").removesuffix("VND").strip()
    if cleaned.isdigit():
        digits = cleaned
    elif _GROUPED.match(cleaned):
        digits = re.sub(r"[.\s]", "", cleaned)
    else:
        raise MoneyError("format")
    amount = int(digits)
    if amount > maximum:
        raise MoneyError("too_large")
    return amount
