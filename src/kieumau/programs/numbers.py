"""Official document numbers (Nghị định 30/2020/NĐ-CP): "340/KH-CAT-XDPTBVANTQ", "2878/QĐ-BCA".

The number, a slash, the type code (KH plan, QĐ decision, …), then the issuing body's
abbreviation in parts joined by hyphens. No Django import.
"""

import re

_FORM = re.compile(r"^(?P<number>\d{1,6})/(?P<kind>[A-ZĐ]{2,4})-(?P<body>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")


def normalise(text: str) -> str:
    """Upper case, no spaces around the separators ("340 / kh-cat" -> "340/KH-CAT")."""
    return re.sub(r"\s*([/-])\s*", r"\1", text.strip()).upper()


def check_number(text: str, *, kind: str) -> str:
    """The normalised number if it has the official form with type code `kind`; else ValueError."""
    number = normalise(text)
    match = _FORM.match(number)
    if match is None or match["kind"] != kind or int(match["number"]) == 0:
        raise ValueError(number)
    return number
