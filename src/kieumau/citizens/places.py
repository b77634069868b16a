"""Resolving a typed address to today's commune, offline, with `vietnamadminunits`' parser
(its data ship in the package; nothing is fetched). A failure is not an error: the request keeps
the text and the officer reads it."""

import datetime as dt
import logging

from kieumau.orgunits import tree
from kieumau.orgunits.models import Level, OrgUnit

log = logging.getLogger(__name__)
MAX_ADDRESS = 300


def parse_ward_code(address: str) -> str | None:
    """The post-2025 commune code the parser finds in `address`, or None."""
    text = (address or "").strip()
    if len(text) < 4 or len(text) > MAX_ADDRESS:
        return None
    from vietnamadminunits import parse_address  # loads its tables on first use (≈1 s)

    try:
        found = parse_address(text)
    except Exception:  # noqa: BLE001 - a parser failure means "not resolved", never a 500
        log.info("address not parsed", exc_info=True)
        return None
    code = getattr(found, "ward_code", None)
    return str(code) if code else None


def commune_for(address: str, *, day: dt.date) -> OrgUnit | None:
    code = parse_ward_code(address)
    if code is None:
        return None
    try:
        return tree.unit_by_code(units=OrgUnit.objects.filter(level=Level.COMMUNE), code=code,
                                 as_of=day)
    except tree.UnitNotFound:
        return None
