"""The offline map: points from vietnamadminunits, projected north-up, drawn escaped (no DB)."""

import datetime as dt
from types import SimpleNamespace

from kieumau.dashboards import geo


def test_todays_and_old_communes_have_their_own_points():
    today = geo.place_of(code="16939", valid_to=None)  # phường Thái Hòa (Nghệ An)
    old = geo.place_of(code="16939", valid_to=dt.date(2025, 6, 30))  # old phường Hòa Hiếu
    assert today is not None and old is not None and today != old
    assert 19 < today.lat < 20 and 105 < today.lon < 106


def test_an_unknown_code_has_no_point():
    assert geo.place_of(code="99999", valid_to=None) is None


def test_projection_keeps_north_up_and_fits_the_width():
    north, south = geo.Place(22.0, 105.0), geo.Place(10.0, 106.0)
    frame = geo.project([("n", north), ("s", south)])
    by_key = {p.key: p for p in frame.points}
    assert by_key["n"].y < by_key["s"].y
    assert all(0 <= p.x <= frame.width and 0 <= p.y <= frame.height for p in frame.points)
    assert frame.width <= geo.WIDTH + 0.1


def test_marks_escape_names_and_carry_the_standing_class():
    row = SimpleNamespace(name='<b>"Phường"</b>', standing="qualifies")
    frame = geo.Frame(100, 100, [geo.Point(1.0, 2.0, key=row)], [(5.0, 6.0, "A&B")])
    marks = geo.svg_marks(frame, names={"qualifies": "Đạt, chờ công nhận"})
    assert 'class="st-qualifies"' in marks and "<b>" not in marks
    assert "&lt;b&gt;&quot;Phường&quot;&lt;/b&gt;: Đạt, chờ công nhận" in marks
    assert ">A&amp;B</text>" in marks
