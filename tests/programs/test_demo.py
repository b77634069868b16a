"""The demo plans and inspection, as `kieumau demo` loads them (programmes need only the accounts
and the criteria sets; the inspection needs the programmes)."""

import datetime as dt
import io

import pytest

from kieumau.inspections import selectors as inspection_selectors
from kieumau.programs import selectors
from kieumau.programs.models import Plan
from tests.conftest import unit


@pytest.fixture
def demo(db):
    from kieumau.accounts.models import User
    from kieumau.criteria.demo import load_demo as load_criteria
    from kieumau.demo.data import ensure_demo_accounts
    from kieumau.indicators.demo import load_demo as load_indicators
    from kieumau.inspections.demo import load_demo as load_inspections
    from kieumau.programs.demo import load_demo as load_programs

    out = io.StringIO()
    ensure_demo_accounts(today=dt.date(2026, 11, 23))
    load_indicators(stdout=out)
    load_criteria(stdout=out)
    for _ in range(2):  # idempotent
        load_programs(stdout=out)
        load_inspections(stdout=out)
    return {u.username: u for u in User.objects.all()}


def test_bac_giang_plan_340_with_its_pilots_budget_and_awards(demo):
    bo = demo["demo-bo"]
    plan = Plan.objects.get(number="340/KH-CAT-XDPTBVANTQ")
    assert (plan.date, plan.period_start, plan.period_end) == (
        dt.date(2021, 11, 5), dt.date(2021, 11, 1), dt.date(2022, 10, 31))
    names = sorted(e.unit.name for e in selectors.enrolments_of(bo, plan=plan))
    assert names == ["Phường Trần Phú", "Thị trấn Đồi Ngô", "Xã Hợp Đức"]
    assert [t.amount for t in selectors.budget_totals(bo, plan=plan)] == [750_000_000]
    counts = selectors.award_counts(bo, plan=plan)
    assert (counts.collective, counts.individual) == (15, 16)


def test_nghe_an_plan_has_16_wards_and_thai_hoas_four_show_04_of_04(demo):
    officer = demo["demo-nghean"]
    plan = Plan.objects.get(number="156/KH-CAT-PV05")
    assert selectors.enrolments_of(officer, plan=plan).count() == 16
    counts = {c.step: c for c in selectors.checklist_counts(officer, plan=plan)}
    assert counts["party_resolution"].done == 4
    assert plan.demo_note  # the number is not from the sources


def test_bac_kan_targets(demo):
    officer = demo["demo-thainguyen"]
    plan = Plan.objects.get(number="25/KH-CAT-PV05")
    years = {e.unit.name: e.target_year for e in selectors.enrolments_of(officer, plan=plan)}
    assert years == {"Phường Đức Xuân": 2023, "Phường Xuất Hóa": 2024, "Phường Sông Cầu": 2024}


def test_demo_thaihoa_sees_one_overdue_and_one_due_soon(demo):
    from kieumau.core.dates import today

    ward = demo["demo-thaihoa"]
    found = list(inspection_selectors.open_recommendations(ward, as_of=today(),
                                                           unit=unit("16939", today())))
    assert [r.overdue for r in found] == [True, False]
    assert 0 < (found[1].due_on - today()).days <= 14
    assert inspection_selectors.overdue_recommendations(ward, as_of=today()).count() == 1
