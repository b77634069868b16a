"""Builders for programme tests, all through the services: a small manual criteria set for wards,
Nghệ An's programme and a 2023 plan enrolling the four wards of old thị xã Thái Hòa, and official
(approved) results that qualify or not."""

import datetime as dt

import pytest

from tests.conftest import unit

PLAN_DAY = dt.date(2023, 3, 1)
# Old wards of thị xã Thái Hòa on the plan's date: Hòa Hiếu, Quang Phong, Long Sơn, Quang Tiến.
THAI_HOA_OLD = ("16939", "16993", "17003", "16994")


@pytest.fixture
def manual_set(users):
    """"phuong-tay": two manual criteria for wards, yearly rounds from 2022."""
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import CriterionSpec, GroupSpec, SetSpec
    from kieumau.indicators.services import load_indicators

    load_indicators()
    spec = SetSpec(
        code="phuong-tay", year=2022, title="Phường thử (thủ công)", applies_to_kinds=("phuong",),
        groups=(GroupSpec(code="I", title="Xây dựng lực lượng"),),
        criteria=(CriterionSpec(code="TC 1", title="Có nghị quyết", group="I"),
                  CriterionSpec(code="TC 2", title="Trụ sở đạt chuẩn", group="I")),
    )
    return create_set(actor=users.ministry, spec=spec, status="published")


def make_program(users, *, name="Công an phường kiểu mẫu (Nghệ An)", codes=("phuong-tay",),
                 actor=None, owner="40"):
    from kieumau.programs.services import create_program

    return create_program(actor=actor or users.nghean, owner_unit=unit(owner), name=name,
                          set_codes=list(codes))


def make_plan(users, program, *, number="125/KH-CAT-PV05", day=PLAN_DAY, actor=None,
              issuing="40", end=dt.date(2025, 12, 31)):
    from kieumau.programs.services import create_plan

    return create_plan(actor=actor or users.nghean, program=program, number=number, date=day,
                       issuing_unit=unit(issuing, day), period_start=day, period_end=end,
                       title="Xây dựng Công an phường kiểu mẫu")


def enrol(users, plan, code, target_year, *, actor=None, stage="pilot"):
    from kieumau.programs.services import enrol_unit

    return enrol_unit(actor=actor or users.nghean, plan=plan, unit=unit(code, plan.date),
                      target_year=target_year, stage=stage)


@pytest.fixture
def program(users, manual_set):
    return make_program(users)


@pytest.fixture
def plan(users, program):
    """Nghệ An 125/KH-CAT-PV05 (demo number), 01/03/2023, Thái Hòa's four old wards."""
    made = make_plan(users, program)
    for code, year in zip(THAI_HOA_OLD, (2023, 2023, 2024, 2024), strict=True):
        enrol(users, made, code, year)
    return made


def official_result(users, criteria_set, *, code: str, year: int, met: bool):
    """An approved assessment of the ward carrying `code` at the end of `year`: both criteria
    met, or TC 2 not met."""
    from kieumau.assessments.services import JudgementInput, create_assessment, save_judgements
    from kieumau.assessments.workflow import apply_transition

    ward = unit(code, dt.date(year, 12, 31))
    assessment = create_assessment(actor=users.thaihoa, unit=ward, criteria_set=criteria_set,
                                   year=year)
    items = [JudgementInput(criterion_id=criteria_set.criteria.get(code=c).pk, status=s,
                            comment="")
             for c, s in (("TC 1", "met"), ("TC 2", "met" if met else "not_met"))]
    save_judgements(actor=users.thaihoa, assessment=assessment,
                    expected_revision=assessment.revision, items=items)
    for actor, action in ((users.thaihoa, "submit"), (users.nghean, "approve")):
        apply_transition(actor=actor, assessment=assessment, action=action,
                         expected_revision=assessment.revision, comment="", recognition=None)
    assessment.refresh_from_db()
    return assessment
