from decimal import Decimal

from django import template

from kieumau.indicators.validation import format_value

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """1234.5 → "1.234,5"; empty for None."""
    if value is None or value == "":
        return ""
    text = format_value(Decimal(value))
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    shown = ".".join([whole, *groups]) + ("," + fraction if fraction else "")
    return "-" + shown if negative else shown


@register.filter
def input_number(value) -> str:
    """The value as typed back into a field: no thousands separator, decimal comma."""
    if value is None or value == "":
        return ""
    return format_value(Decimal(value)).replace(".", ",")


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    shown = vn_number(value)
    return "+" + shown if Decimal(value) > 0 else shown.replace("-", "−")


@register.filter
def signed_z(value) -> str:
    """A z-score with two decimals, a decimal comma and a true minus sign."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}".replace(".", ",")
    return (
        text.replace("-", "−") if text.startswith("-") else "+" + text if Decimal(value) else text
    )
