"""Vietnamese text helpers that need no database."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics, so "duc xuan" matches "Phường Đức Xuân".

    "đ" is a letter of its own, not a d with a mark, so NFD leaves it alone: map it by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
