"""Writing programmes and plans: validation, permissions, audit, merge, checklist, money, merit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts.scope import NotVisible
from kieumau.core.models import AuditEvent
from kieumau.programs import selectors, services
from kieumau.programs.models import Plan
from kieumau.programs.services import ProgramInputError
from tests.conftest import unit
from tests.programs.conftest import PLAN_DAY, enrol, make_plan, make_program


def fields(error) -> list:
    return [e["field"] for e in error.value.errors]


def test_plan_number_must_have_the_official_form(users, program):
    with pytest.raises(ProgramInputError) as error:
        make_plan(users, program, number="KH 125")
    assert fields(error) == ["number"]
    assert "340/KH-CAT-XDPTBVANTQ" in error.value.errors[0]["message"]


def test_plan_number_is_normalised_and_unique_per_issuing_unit(users, program):
    plan = make_plan(users, program, number="125 / kh-cat-pv05")
    assert plan.number == "125/KH-CAT-PV05"
    with pytest.raises(ProgramInputError) as error:
        make_plan(users, program, number="125/KH-CAT-PV05")
    assert fields(error) == ["number"]


def test_period_must_end_after_it_starts(users, program):
    from kieumau.programs.services import create_plan

    with pytest.raises(ProgramInputError) as error:
        create_plan(actor=users.nghean, program=program, number="1/KH-CAT", date=PLAN_DAY,
                    issuing_unit=unit("40", PLAN_DAY), period_start=PLAN_DAY,
                    period_end=PLAN_DAY - dt.timedelta(days=1))
    assert fields(error) == ["period_end"]


def test_a_one_day_plan_is_allowed(users, program):
    from kieumau.programs.services import create_plan

    plan = create_plan(actor=users.nghean, program=program, number="1/KH-CAT", date=PLAN_DAY,
                       issuing_unit=unit("40", PLAN_DAY), period_start=PLAN_DAY,
                       period_end=PLAN_DAY)
    assert plan.period_start == plan.period_end


def test_plan_creation_is_audited(users, program):
    plan = make_plan(users, program)
    event = AuditEvent.objects.get(action="plan.create")
    assert (event.object_id, event.actor, event.detail["number"]) == (
        str(plan.pk), users.nghean, "125/KH-CAT-PV05")


@pytest.mark.parametrize(("who", "error"), [
    ("inspector", PermissionDenied), ("viewer", PermissionDenied), ("thaihoa", NotVisible),
    ("thainguyen", NotVisible),
])
def test_only_province_and_ministry_officers_in_scope_create_plans(users, program, who, error):
    with pytest.raises(error):
        make_plan(users, program, actor=getattr(users, who))
    assert not Plan.objects.exists()


def test_viewer_in_scope_gets_403(users, manual_set):
    program = make_program(users, actor=users.thainguyen, owner="19", name="Thái Nguyên")
    with pytest.raises(PermissionDenied):
        make_plan(users, program, actor=users.viewer, issuing="19")


def test_enrolled_unit_must_exist_on_the_plans_date(users, program):
    plan = make_plan(users, program, day=dt.date(2025, 8, 1))
    from kieumau.programs.services import enrol_unit

    with pytest.raises(ProgramInputError) as error:
        enrol_unit(actor=users.nghean, plan=plan, unit=unit("16939", dt.date(2024, 1, 1)),
                   target_year=2026)
    assert fields(error) == ["unit"]


def test_enrolled_unit_must_lie_under_the_issuing_unit(users, program):
    plan = make_plan(users, program)
    from kieumau.programs.services import enrol_unit

    with pytest.raises(ProgramInputError) as error:
        enrol_unit(actor=users.ministry, plan=plan, unit=unit("01840", PLAN_DAY),
                   target_year=2024)
    assert fields(error) == ["unit"]


def test_a_unit_is_enrolled_once(users, plan):
    with pytest.raises(ProgramInputError):
        enrol(users, plan, "16939", 2025)


def test_target_year_cannot_precede_the_plan(users, program):
    plan = make_plan(users, program)
    with pytest.raises(ProgramInputError) as error:
        enrol(users, plan, "16939", 2022)
    assert fields(error) == ["target_year"]
    assert enrol(users, plan, "16939", 2023).target_year == 2023


def test_percent_target_is_bounded_at_100(users, plan):
    assert services.set_target(actor=users.nghean, plan=plan, year=2030, kind="percent",
                               value=100).value == 100
    with pytest.raises(ProgramInputError):
        services.set_target(actor=users.nghean, plan=plan, year=2030, kind="percent", value=101)


def test_setting_a_target_again_changes_it(users, plan):
    services.set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=16)
    services.set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=12)
    assert [(t.year, t.value) for t in selectors.targets_of(users.nghean, plan=plan)] == [
        (2023, 12)]


def test_checklist_counts_read_04_of_04(users, plan):
    steps = ("party_resolution", "committee_plan")
    for enrolment in selectors.enrolments_of(users.nghean, plan=plan):
        services.record_step(actor=users.nghean, enrolment=enrolment, step=steps[0],
                             done_on=dt.date(2023, 3, 15), document_number="05-NQ/ĐU")
    first = selectors.enrolments_of(users.nghean, plan=plan).first()
    services.record_step(actor=users.nghean, enrolment=first, step=steps[1],
                         done_on=dt.date(2023, 3, 20))
    counts = {c.step: c.ratio for c in selectors.checklist_counts(users.nghean, plan=plan)}
    assert counts == {"party_resolution": "04/04", "committee_plan": "01/04",
                      "steering_committee": "00/04", "registration": "00/04"}


def test_ward_officer_records_their_own_wards_step_but_not_anothers(users, plan):
    enrolments = {e.unit.code: e for e in selectors.enrolments_of(users.nghean, plan=plan)}
    services.record_step(actor=users.thaihoa, enrolment=enrolments["16939"],
                         step="registration", done_on=dt.date(2023, 3, 30))
    with pytest.raises(NotVisible):  # Quang Tiến went to phường Tây Hiếu, not Thái Hòa
        services.record_step(actor=users.thaihoa, enrolment=enrolments["16994"],
                             step="registration", done_on=dt.date(2023, 3, 30))


def test_clearing_a_step_makes_it_not_done(users, plan):
    enrolment = selectors.enrolments_of(users.nghean, plan=plan).first()
    services.record_step(actor=users.nghean, enrolment=enrolment, step="registration",
                         done_on=dt.date(2023, 3, 30))
    services.record_step(actor=users.nghean, enrolment=enrolment, step="registration",
                         done_on=None)
    counts = {c.step: c.done for c in selectors.checklist_counts(users.nghean, plan=plan)}
    assert counts["registration"] == 0


def test_budget_totals_by_program_and_year(users, plan):
    for year, amount in ((2023, 750_000_000), (2023, 250_000_000), (2024, 1)):
        services.add_budget_line(actor=users.nghean, plan=plan, year=year, amount=amount,
                                 purpose="Hỗ trợ xây dựng mô hình")
    other = make_plan(users, plan.program, number="126/KH-CAT-PV05")
    services.add_budget_line(actor=users.nghean, plan=other, year=2023, amount=5,
                             purpose="Khác")
    totals = [(t.program_id, t.year, t.amount)
              for t in selectors.budget_totals(users.nghean, program=plan.program)]
    assert totals == [(plan.program_id, 2023, 1_000_000_005), (plan.program_id, 2024, 1)]
    assert selectors.budget_totals(users.thainguyen, program=plan.program) == []


@pytest.mark.parametrize("amount", [-1, 10**15 + 1])
def test_budget_amount_is_bounded(users, plan, amount):
    with pytest.raises(ProgramInputError) as error:
        services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=amount,
                                 purpose="x")
    assert fields(error) == ["amount"]


def test_budget_amount_bounds_are_inclusive(users, plan):
    for amount in (0, 10**15):
        line = services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=amount,
                                        purpose="x")
        line.refresh_from_db()
        assert line.amount == amount


def test_award_counts_per_plan(users, plan):
    for kind, n in (("collective", 2), ("individual", 3)):
        for i in range(n):
            services.add_award(actor=users.nghean, plan=plan, kind=kind, title="giay_khen",
                               recipient=f"Người {i}", decision_number="15/qđ-cat",
                               decision_date=dt.date(2023, 12, 1),
                               issuing_body="Giám đốc Công an tỉnh")
    counts = selectors.award_counts(users.nghean, plan=plan)
    assert (counts.collective, counts.individual) == (2, 3)


def test_award_decision_number_must_be_a_decision(users, plan):
    with pytest.raises(ProgramInputError) as error:
        services.add_award(actor=users.nghean, plan=plan, kind="individual", title="bang_khen",
                           recipient="A", decision_number="15/KH-CAT",
                           decision_date=dt.date(2023, 12, 1), issuing_body="B")
    assert fields(error) == ["decision_number"]


def test_committee_with_members(users, plan):
    committee = services.add_committee(actor=users.nghean, plan=plan, kind="steering",
                                       name="Ban chỉ đạo xây dựng mô hình")
    services.add_member(actor=users.nghean, committee=committee, name="Nguyễn Văn A",
                        position="Phó Giám đốc", role="Trưởng ban")
    services.add_member(actor=users.nghean, committee=committee, name="Trần Văn B",
                        position="", role="Thành viên")
    assert [(m.name, m.role, m.order) for m in committee.members.all()] == [
        ("Nguyễn Văn A", "Trưởng ban", 0), ("Trần Văn B", "Thành viên", 1)]


def test_merging_programs_moves_plans_and_keeps_the_merged_one(users, plan, manual_set):
    other = make_program(users, name="Cải cách hành chính", codes=())
    second = make_plan(users, other, number="7/KH-CAT-PV05")
    enrol(users, second, "16939", 2024)
    services.merge_programs(actor=users.nghean, source=other, target=plan.program)
    other.refresh_from_db()
    assert other.merged_into == plan.program
    assert set(selectors.plans_for(users.nghean, program=plan.program)) == {plan, second}
    assert selectors.enrolments_of(users.nghean, plan=second).count() == 1
    event = AuditEvent.objects.get(action="program.merge")
    assert event.detail["plans"] == [second.pk]


def test_a_merged_program_takes_no_new_plans_and_cannot_merge_again(users, plan):
    other = make_program(users, name="Cải cách hành chính", codes=())
    services.merge_programs(actor=users.nghean, source=other, target=plan.program)
    with pytest.raises(ProgramInputError):
        make_plan(users, other, number="8/KH-CAT")
    with pytest.raises(ProgramInputError):
        services.merge_programs(actor=users.nghean, source=other, target=plan.program)


def test_a_program_cannot_merge_into_itself(users, program):
    with pytest.raises(ProgramInputError):
        services.merge_programs(actor=users.nghean, source=program, target=program)


def test_unknown_criteria_set_code_is_refused(users, manual_set):
    with pytest.raises(ProgramInputError) as error:
        make_program(users, codes=("khong-co",))
    assert fields(error) == ["set_codes"]


def test_a_national_program_is_read_below_but_changed_only_by_its_owner(users, manual_set):
    national = make_program(users, actor=users.ministry, owner="BCA", name="Toàn quốc")
    assert national in selectors.programs_for(users.nghean)
    assert national in selectors.programs_for(users.thaihoa)
    with pytest.raises(NotVisible):
        services.update_program(actor=users.nghean, program=national, name="x", set_codes=[])
    plan = make_plan(users, national)  # a province plans under the national programme
    assert plan.program == national


def test_removing_a_budget_line_is_audited_and_leaves_the_total(users, plan):
    keep = services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=5,
                                    purpose="Giữ")
    wrong = services.add_budget_line(actor=users.nghean, plan=plan, year=2023, amount=7,
                                     purpose="Nhập nhầm")
    services.remove_budget_line(actor=users.nghean, line=wrong)
    assert [t.amount for t in selectors.budget_totals(users.nghean, plan=plan)] == [keep.amount]
    assert AuditEvent.objects.get(action="plan.budget_remove").detail["amount"] == 7


def test_removing_an_award_changes_the_count(users, plan):
    award = services.add_award(actor=users.nghean, plan=plan, kind="individual",
                               title="bang_khen", recipient="A", decision_number="1/QĐ-CAT",
                               decision_date=dt.date(2023, 12, 1), issuing_body="B")
    services.remove_award(actor=users.nghean, award=award)
    assert selectors.award_counts(users.nghean, plan=plan).individual == 0
    with pytest.raises(PermissionDenied):
        services.remove_award(actor=users.inspector, award=award)


def test_a_committee_member_is_removed_by_the_plans_managers_and_audited(users, plan):
    from kieumau.programs.models import CommitteeMember

    committee = services.add_committee(actor=users.nghean, plan=plan, kind="steering",
                                       name="Ban chỉ đạo")
    member = services.add_member(actor=users.nghean, committee=committee, name="Lê Văn C",
                                 position="Phó Giám đốc", role="Trưởng ban")
    with pytest.raises(PermissionDenied):  # sees the plan, manages nothing
        services.remove_member(actor=users.inspector, member=member)
    with pytest.raises(NotVisible):
        services.remove_member(actor=users.thainguyen, member=member)
    assert CommitteeMember.objects.filter(pk=member.pk).exists()
    services.remove_member(actor=users.nghean, member=member)
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    removed = AuditEvent.objects.get(action="plan.committee_member_remove")
    assert removed.detail == {"committee": committee.pk, "name": "Lê Văn C", "role": "Trưởng ban"}
