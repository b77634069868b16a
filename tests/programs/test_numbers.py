"""Official document numbers: "340/KH-CAT-XDPTBVANTQ"."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.programs.numbers import check_number


@pytest.mark.parametrize(("text", "kind", "normalised"), [
    ("340/KH-CAT-XDPTBVANTQ", "KH", "340/KH-CAT-XDPTBVANTQ"),
    ("556/KH-BCA-V05", "KH", "556/KH-BCA-V05"),
    (" 42 / kh-bca-v05 ", "KH", "42/KH-BCA-V05"),
    ("2878/QĐ-BCA", "QĐ", "2878/QĐ-BCA"),
    ("12/qđ-cat", "QĐ", "12/QĐ-CAT"),
])
def test_official_forms_are_accepted(text, kind, normalised):
    assert check_number(text, kind=kind) == normalised


@pytest.mark.parametrize(("text", "kind"), [
    ("340/KH", "KH"), ("KH-CAT-XDPTBVANTQ", "KH"), ("340-KH-CAT", "KH"), ("340/QĐ-CAT", "KH"),
    ("0/KH-CAT", "KH"), ("1234567/KH-CAT", "KH"), ("340/KH-CAT-", "KH"), ("340/KH-CAT X", "KH"),
    ("", "KH"), ("2878/KH-BCA", "QĐ"),
])
def test_other_forms_are_refused(text, kind):
    with pytest.raises(ValueError):
        check_number(text, kind=kind)


@given(st.integers(min_value=1, max_value=999_999), st.from_regex(r"[A-Z]{2,6}", fullmatch=True))
def test_any_number_and_body_round_trips(number, body):
    text = f"{number}/KH-{body}"
    assert check_number(text, kind="KH") == text
