"""Recording inspections and following up recommendations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kieumau.accounts.scope import NotVisible
from kieumau.core.models import AuditEvent
from kieumau.inspections import selectors, services
from kieumau.inspections.services import InspectionInputError
from tests.conftest import unit
from tests.inspections.conftest import VISIT_DAY, make_inspection, recommend


def test_inspector_records_an_inspection_and_it_is_audited(users, inspection):
    assert inspection.created_by == users.inspector
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inspection.create", "inspection.member", "inspection.visit",
            "inspection.finding"} <= actions


def test_inspector_still_cannot_change_assessed_data(users, inspection):
    from kieumau.accounts.scope import require_write

    assert not users.inspector.can_write
    with pytest.raises(PermissionDenied):
        require_write(users.inspector, unit("16939"))


@pytest.mark.parametrize(("who", "error"), [
    ("viewer", PermissionDenied), ("thaihoa", PermissionDenied), ("thainguyen", NotVisible)])
def test_who_may_not_record(users, who, error):
    with pytest.raises(error):
        make_inspection(users, actor=getattr(users, who))


def test_visited_unit_must_exist_on_the_inspection_date(users, inspection):
    with pytest.raises(InspectionInputError) as caught:
        services.add_visit(actor=users.inspector, inspection=inspection, unit=unit("16939"))
    assert caught.value.errors[0]["field"] == "unit"


def test_a_unit_is_visited_once(users, inspection):
    with pytest.raises(InspectionInputError):
        services.add_visit(actor=users.inspector, inspection=inspection,
                           unit=unit("16939", VISIT_DAY))


def test_recommendation_due_date_not_before_the_visit(users, inspection):
    with pytest.raises(InspectionInputError):
        recommend(users, inspection, due=VISIT_DAY - dt.timedelta(days=1))
    assert recommend(users, inspection, due=VISIT_DAY).due_on == VISIT_DAY


def test_overdue_is_strictly_after_the_due_date(users, inspection):
    due = dt.date(2023, 6, 30)
    recommend(users, inspection, due=due)
    assert selectors.overdue_recommendations(users.nghean, as_of=due).count() == 0
    assert selectors.overdue_recommendations(users.nghean,
                                             as_of=due + dt.timedelta(days=1)).count() == 1


def test_the_overdue_count_is_the_number_of_overdue_recommendations(users, inspection):
    """What the dashboard API answers (a count in SQL) against the list the pages show, on
    both sides of the due date, for a user in scope and one outside it."""
    from tests.conftest import unit

    due = dt.date(2023, 6, 30)
    recommend(users, inspection, due=due)
    for as_of, expected in ((due, 0), (due + dt.timedelta(days=1), 1)):
        for user in (users.nghean, users.thainguyen):
            counted = selectors.overdue_count(user, as_of=as_of, unit=unit("16939"))
            listed = selectors.overdue_recommendations(user, as_of=as_of, unit=unit("16939"))
            assert counted == listed.count() == (expected if user is users.nghean else 0)


def test_done_and_dropped_are_never_overdue(users, inspection):
    first, second = recommend(users, inspection), recommend(users, inspection)
    services.update_recommendation(actor=users.thaihoa, recommendation=first, status="done",
                                   resolution_note="Đã sửa xong", resolved_on=dt.date(2023, 6, 1))
    services.update_recommendation(actor=users.nghean, recommendation=second, status="dropped",
                                   resolution_note="Không còn cần")
    assert selectors.overdue_recommendations(users.nghean, as_of=dt.date(2024, 1, 1)).count() == 0


def test_in_progress_still_counts_as_overdue(users, inspection):
    item = recommend(users, inspection)
    services.update_recommendation(actor=users.thaihoa, recommendation=item,
                                   status="in_progress", resolution_note="Đang làm")
    assert selectors.overdue_recommendations(users.nghean, as_of=dt.date(2024, 1, 1)).count() == 1


def test_closing_needs_a_note(users, inspection):
    item = recommend(users, inspection)
    with pytest.raises(InspectionInputError) as caught:
        services.update_recommendation(actor=users.thaihoa, recommendation=item, status="done")
    assert caught.value.errors[0]["field"] == "resolution_note"


def test_recommendations_to_an_old_ward_show_under_todays_ward(users, inspection):
    recommend(users, inspection)  # to phường Hòa Hiếu, now part of phường Thái Hòa
    overdue = selectors.overdue_recommendations(users.thaihoa, as_of=dt.date(2024, 1, 1),
                                                unit=unit("16939"))
    assert [r.unit.name for r in overdue] == ["Phường Hoà Hiếu"]


def test_overdue_is_scoped(users, inspection):
    recommend(users, inspection)
    day = dt.date(2024, 1, 1)
    assert selectors.overdue_recommendations(users.thainguyen, as_of=day).count() == 0
    assert selectors.overdue_recommendations(users.ministry, as_of=day).count() == 1
    assert selectors.overdue_recommendations(users.ministry, as_of=day,
                                             unit=unit("19")).count() == 0


def test_viewer_cannot_update_a_recommendation(users):
    day = dt.date(2026, 1, 10)
    inspection = make_inspection(users, actor=users.thainguyen, owner="19", day=day)
    item = recommend(users, inspection, code="01840", actor=users.thainguyen, day=day,
                     due=dt.date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.update_recommendation(actor=users.viewer, recommendation=item,
                                       status="in_progress")


def test_the_ward_sees_its_findings_but_not_the_inspection(users, inspection):
    assert selectors.findings_for_unit(users.thaihoa, unit=unit("16939")).count() == 1
    assert selectors.inspections_for(users.thaihoa).count() == 0
    assert selectors.inspections_for(users.nghean, unit=unit("16939")).count() == 1


def test_a_member_and_a_finding_recorded_by_mistake_are_removed_and_audited(users, inspection):
    from kieumau.inspections.models import Finding, InspectionMember

    member = InspectionMember.objects.get(inspection=inspection)
    finding = Finding.objects.get(visit__inspection=inspection)
    with pytest.raises(PermissionDenied):  # the ward sees the finding, cannot record
        services.remove_finding(actor=users.thaihoa, finding=finding)
    with pytest.raises(NotVisible):  # another province's officer does not see the team
        services.remove_member(actor=users.thainguyen, member=member)
    services.remove_member(actor=users.nghean, member=member)
    services.remove_finding(actor=users.inspector, finding=finding)
    assert not InspectionMember.objects.filter(inspection=inspection).exists()
    assert not Finding.objects.filter(visit__inspection=inspection).exists()
    removed = AuditEvent.objects.get(action="inspection.finding_remove")
    assert removed.detail["text"] == "Trụ sở chưa đạt chuẩn" and removed.actor == users.inspector
    assert AuditEvent.objects.get(action="inspection.member_remove").detail["name"] == "Lê Văn C"
