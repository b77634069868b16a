"""The shipped lists: procedures with statutory deadlines, default request categories. No Django."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


@dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    name: str
    deadline: int | None  # working days; None: no statutory deadline
    note: str = ""


@dataclass(frozen=True, slots=True)
class DefaultCategory:
    code: str
    name: str
    deadline_days: int


@cache
def procedures() -> tuple[Procedure, ...]:
    entries = yaml.safe_load((CATALOG_DIR / "procedures.yaml").read_text(encoding="utf-8"))
    return tuple(Procedure(code=str(e["code"]), name=str(e["name"]), deadline=e.get("deadline"),
                           note=str(e.get("note") or "")) for e in entries)


def procedure_codes() -> frozenset[str]:
    return frozenset(p.code for p in procedures())


@cache
def default_categories() -> tuple[DefaultCategory, ...]:
    entries = yaml.safe_load((CATALOG_DIR / "request_categories.yaml").read_text(encoding="utf-8"))
    return tuple(DefaultCategory(code=str(e["code"]), name=str(e["name"]),
                                 deadline_days=int(e["deadline_days"])) for e in entries)
