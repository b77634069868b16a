"""Builders for dashboard tests: the assessment tests' small ward set ("phuong-thu", calendar
year) and assessments moved through the real services."""

import datetime as dt

import pytest

from tests.assessments.conftest import (  # noqa: F401 - _media and ward_set are fixtures
    _media,
    enter_value,
    open_assessment,
    ward_set,
)

ROUND_DAY = dt.date(2025, 12, 31)  # the 2025 round, on today's tree


@pytest.fixture
def reports_handled(users):
    """Thái Hòa, and the three old wards it was formed from, handled crime reports in 2025 and
    2026: TC 3 (computed) is met in both rounds."""
    from tests.conftest import BEFORE_MERGER, unit

    entries = [(unit("16939"), dt.date(2025, 8, 1)), (unit("16939"), dt.date(2026, 3, 1))]
    entries += [(unit(code, BEFORE_MERGER), dt.date(2025, 3, 1))
                for code in ("16939", "16993", "17003")]
    for ward, month in entries:
        enter_value(users.thaihoa, ward, "tin_bao_tiep_nhan", month, 2)
        enter_value(users.thaihoa, ward, "tin_bao_da_xu_ly", month, 2)


def thai_hoa(users, ward_set, year=2025):  # noqa: F811
    return open_assessment(users, ward_set, code="16939", year=year)


def thai_hoa_lost_a_criterion(users, ward_set):  # noqa: F811
    """Thái Hòa's ward qualified in 2025 and, on review, missed TC 2 in 2026 (with
    `reports_handled`, TC 3 is met in both rounds): a unit that lost a criterion."""
    from tests.assessments.conftest import approved, judge, step, submitted

    approved(thai_hoa(users, ward_set, year=2025), users)
    this_year = thai_hoa(users, ward_set, year=2026)
    submitted(this_year, users)
    judge(this_year, users.nghean, tc1="met", tc2="not_met")  # the review finds TC 2 unmet
    step(this_year, users.nghean, "approve")
    return this_year
