"""English is available through the language switch; Vietnamese stays the default.

The English catalogues are src/kieumau/locale/en/LC_MESSAGES/django.po and, for apps that keep their
own, src/kieumau/<app>/locale/en/LC_MESSAGES/django.po (msgids are Vietnamese), each with its
compiled django.mo committed beside it so a fresh machine needs no gettext.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import kieumau
from tests.conftest import client_for

PACKAGE = Path(kieumau.__file__).resolve().parent
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))
HOW_TO_FIX = (
    "run, from src/kieumau (or from src/kieumau/<app> for an app with its own locale/): "
    "`KIEUMAU_DEBUG=1 ../../.venv/bin/kieumau manage makemessages -l en "
    "--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench`, "
    "translate every empty msgstr (and clear any '#, fuzzy' flag) in {po}, then "
    "`KIEUMAU_DEBUG=1 ../../.venv/bin/kieumau manage compilemessages` and commit django.po and "
    "django.mo"
)


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """LocaleMiddleware leaves the last request's language active in this thread."""
    yield
    translation.deactivate()


def english_client(user):
    client = client_for(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


# --- pages -------------------------------------------------------------------------------------


def test_home_page_is_in_english_after_choosing_english(users):
    html = english_client(users.thaihoa).get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign out" in html
    assert "Look up units" in html
    assert "Đăng xuất" not in html


def test_unit_browser_is_in_english_after_choosing_english(users):
    html = english_client(users.nghean).get("/units/").content.decode()
    assert "Organisation tree" in html
    assert "All levels" in html
    assert re.search(r"\d+ units on ", html)
    assert "Cây tổ chức" not in html


def test_vietnamese_is_the_default_for_a_new_session(users):
    html = client_for(users.thaihoa).get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng xuất" in html
    assert "Sign out" not in html


def test_api_error_for_a_missing_unit_is_still_a_json_message(users):
    response = english_client(users.ministry).get("/api/orgunits/99999")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail.strip()


# --- the catalogue -----------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text.strip()[1:-1])


def read_po(path: Path) -> list[dict]:
    """A tiny .po reader: one dict per entry with msgid, msgid_plural, msgstr / msgstr[N] and
    flags (from `#,` lines). Obsolete `#~` entries are skipped like every other comment."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    return entries


def test_the_main_catalogue_is_found():
    assert PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(PACKAGE)))
def test_every_message_has_an_english_translation(po):
    untranslated = [
        entry["msgid"]
        for entry in read_po(po)
        if entry["msgid"]  # the header
        and (
            "fuzzy" in entry["flags"]
            or not all(value for key, value in entry.items() if key.startswith("msgstr"))
        )
    ]
    assert not untranslated, (
        f"{len(untranslated)} message(s) have no English translation, e.g. {untranslated[:5]}; "
        + HOW_TO_FIX.format(po=po)
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(PACKAGE)))
def test_compiled_catalogue_matches_the_po(po):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry["msgid"]
        for entry in read_po(po)
        if entry["msgid"]
        and "msgid_plural" not in entry
        and compiled.gettext(entry["msgid"]) != entry["msgstr"]
    ]
    assert not stale, (
        f"django.mo is older than django.po ({len(stale)} message(s) differ, e.g. {stale[:3]}); "
        + HOW_TO_FIX.format(po=po)
    )
