"""Where communes are, for a map drawn with no tile server: points from the `vietnamadminunits`
package (MIT; the latitude and longitude of the 3,321 communes of today and of the 10,040 before
2025), projected onto a plain SVG canvas. No Django here.

The package's data is an SQLite file inside it; it is read once per process (only the columns
needed, never through the package's parsers, which pull in heavy geometry libraries).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NEW_TREE = dt.date(2025, 7, 1)  # the communes of today's tree began on this day
WIDTH = 600.0  # SVG user units; the height follows the shape of the area shown
MARGIN = 12.0


@dataclass(frozen=True, slots=True)
class Place:
    lat: float
    lon: float


@cache
def _coordinates() -> tuple[dict[str, Place], dict[str, Place], dict[str, tuple[str, Place]]]:
    """(today's communes by code, the old communes by code, provinces by code)."""
    # find_spec locates the package without running its __init__ (which loads shapely, geopy).
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("vietnamadminunits is not installed (pip install -e .)")
    file = Path(spec.submodule_search_locations[0]) / "data" / "dataset.db"
    connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        new = {
            code: Place(lat, lon)
            for code, lat, lon in connection.execute(
                "SELECT wardCode, wardLat, wardLon FROM admin_units WHERE wardLat IS NOT NULL"
            )
        }
        old = {
            code: Place(lat, lon)
            for code, lat, lon in connection.execute(
                "SELECT wardCode, wardLat, wardLon FROM admin_units_legacy "
                "WHERE wardLat IS NOT NULL"
            )
        }
        provinces = {
            code: (name, Place(lat, lon))
            for code, name, lat, lon in connection.execute(
                "SELECT DISTINCT provinceCode, provinceShort, provinceLat, provinceLon "
                "FROM admin_units"
            )
        }
    finally:
        connection.close()
    return new, old, provinces


def place_of(*, code: str, valid_to: dt.date | None) -> Place | None:
    """The commune's point: a unit that ended before the 2025 reform is looked up among the old
    communes, any other among today's (falling back to the other list: a code may be in one)."""
    new, old, _provinces = _coordinates()
    first, second = (old, new) if valid_to is not None and valid_to < NEW_TREE else (new, old)
    return first.get(code) or second.get(code)


def province_places() -> dict[str, tuple[str, Place]]:
    return _coordinates()[2]


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    key: object  # what the caller gave for this point (a commune row)


@dataclass(frozen=True, slots=True)
class Frame:
    width: float
    height: float
    points: list[Point]
    labels: list[tuple[float, float, str]]


def project(
    items: list[tuple[object, Place]], *, labels: list[tuple[str, Place]] = ()
) -> Frame:
    """Equirectangular projection scaled by the cosine of the middle latitude, fitted into
    WIDTH; north up. Labels outside the points' box are dropped."""
    if not items:
        return Frame(WIDTH, WIDTH / 2, [], [])
    lats = [place.lat for _key, place in items]
    lons = [place.lon for _key, place in items]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    squash = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squash, 0.02)
    span_y = max(north - south, 0.02)
    scale = (WIDTH - 2 * MARGIN) / max(span_x, span_y / 1.8)  # at most 1.8 times as tall as wide
    width = span_x * scale + 2 * MARGIN
    height = span_y * scale + 2 * MARGIN

    def at(place: Place) -> tuple[float, float]:
        return (
            round(MARGIN + (place.lon - west) * squash * scale, 1),
            round(MARGIN + (north - place.lat) * scale, 1),
        )

    points = [Point(*at(place), key=key) for key, place in items]
    shown = [
        (*at(place), name)
        for name, place in labels
        if south <= place.lat <= north and west <= place.lon <= east
    ]
    return Frame(round(width, 1), round(height, 1), points, shown)


def svg_marks(frame: Frame, *, names: dict[str, str]) -> str:
    """The map's labels and circles as SVG markup, built in one pass (a template loop over 3,321
    points costs more than the rest of the national page): each circle carries its standing as a
    class (coloured by CSS, no inline style) and a <title> naming the commune and its standing.
    Every text is escaped."""
    from html import escape

    radius = "2.2" if len(frame.points) > 400 else "5"
    parts = [
        f'<text x="{x}" y="{y}" class="map-label">{escape(name)}</text>'
        for x, y, name in frame.labels
    ]
    for point in frame.points:
        row = point.key
        parts.append(
            f'<circle cx="{point.x}" cy="{point.y}" r="{radius}" class="st-{escape(row.standing)}">'
            f"<title>{escape(row.name)}: {escape(names.get(row.standing, ''))}</title></circle>"
        )
    return "".join(parts)
