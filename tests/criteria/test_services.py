"""Saving and editing sets: validation with Vietnamese messages, in place or as a new revision."""

import dataclasses
from decimal import Decimal

import pytest

from kieumau.core.models import AuditEvent
from kieumau.criteria import selectors, services
from kieumau.criteria.models import CriteriaSet, Criterion, SetStatus
from kieumau.criteria.validation import InvalidSet
from tests.criteria.factories import small_spec


@pytest.fixture
def in_use(monkeypatch):
    """Marks sets as used by an assessment until the assessments app provides real ones."""
    used: set[int] = set()
    monkeypatch.setattr(CriteriaSet, "in_use", property(lambda s: s.pk in used))
    return used


@pytest.fixture
def draft(indicators, users):
    return services.create_set(actor=users.ministry, spec=small_spec())


def key_of(criteria_set, code):
    return criteria_set.criteria.get(code=code).pk


def problems(excinfo):
    return [p.message for p in excinfo.value.problems]


def test_created_set_keeps_its_groups_and_criteria(draft):
    spec = selectors.spec_of(selectors.get_set_by_pk(draft.pk))
    assert spec == small_spec()
    assert draft.version == "2025"
    assert draft.status == SetStatus.DRAFT


def test_creating_is_audited(draft, users):
    event = AuditEvent.objects.get(action="criteria_set.created")
    assert event.actor == users.ministry
    assert event.object_id == str(draft.pk)


def test_unknown_indicator_gives_vietnamese_message_with_position(draft, users):
    key = key_of(draft, "TC 2")
    with pytest.raises(InvalidSet) as caught:
        services.update_criterion(
            actor=users.ministry,
            criteria_set=draft,
            key=key,
            changes={"expression": "tin_bao_da_xu_ly / tin_bao_x >= 1"},
        )
    assert problems(caught) == ["Biểu thức TC 2, vị trí 20: không có chỉ số «tin_bao_x»"]
    assert caught.value.problems[0].criterion == "TC 2"
    assert caught.value.problems[0].field == "expression"


def test_bad_syntax_gives_vietnamese_message_with_position(draft, users):
    with pytest.raises(InvalidSet) as caught:
        services.update_criterion(
            actor=users.ministry,
            criteria_set=draft,
            key=key_of(draft, "TC 2"),
            changes={"expression": "tin_bao_da_xu_ly >="},
        )
    assert problems(caught)[0].startswith("Biểu thức TC 2, vị trí 20: biểu thức kết thúc")


def test_a_rejected_save_changes_nothing(draft, users):
    rows = list(Criterion.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidSet):
        services.update_criterion(
            actor=users.ministry,
            criteria_set=draft,
            key=key_of(draft, "TC 2"),
            changes={"expression": "tin_bao_x >= 1", "title": "Đổi tên"},
        )
    assert list(Criterion.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.count() == events


def test_every_problem_is_reported_at_once(indicators, users):
    spec = small_spec(title="", applies_to_kinds=("lang",), outcome_rule="at_least", min_met=9)
    with pytest.raises(InvalidSet) as caught:
        services.create_set(actor=users.ministry, spec=spec)
    fields = {p.field for p in caught.value.problems}
    assert {"title", "applies_to_kinds", "min_met"} <= fields
    assert not CriteriaSet.objects.exists()


def test_editing_an_unused_set_edits_in_place(draft, users):
    key = key_of(draft, "TC 1")
    saved = services.update_criterion(
        actor=users.ministry, criteria_set=draft, key=key, changes={"title": "Trụ sở mới"}
    )
    assert saved.pk == draft.pk
    assert saved.version == "2025"
    assert Criterion.objects.get(pk=key).title == "Trụ sở mới"
    event = AuditEvent.objects.get(action="criteria_set.updated")
    assert event.detail["changes"]["changed"] == {"TC 1": ["title"]}


def test_editing_a_set_in_use_creates_a_new_revision(draft, users, in_use):
    in_use.add(draft.pk)
    saved = services.update_criterion(
        actor=users.ministry,
        criteria_set=draft,
        key=key_of(draft, "TC 1"),
        changes={"title": "Trụ sở mới"},
    )
    assert saved.pk != draft.pk
    assert (saved.version, saved.revision, saved.supersedes_id) == ("2025.2", 2, draft.pk)
    assert saved.criteria.get(code="TC 1").title == "Trụ sở mới"
    assert AuditEvent.objects.filter(
        action="criteria_set.revised", object_id=str(saved.pk)
    ).exists()


def test_a_new_revision_leaves_the_old_one_intact(draft, users, in_use):
    before = selectors.spec_of(selectors.get_set_by_pk(draft.pk))
    rows = list(Criterion.objects.filter(criteria_set=draft).order_by("pk").values())
    in_use.add(draft.pk)
    services.remove_criterion(actor=users.ministry, criteria_set=draft, key=key_of(draft, "TC 3"))
    draft.refresh_from_db()
    assert draft.status == SetStatus.SUPERSEDED
    assert selectors.spec_of(selectors.get_set_by_pk(draft.pk)) == before
    assert list(Criterion.objects.filter(criteria_set=draft).order_by("pk").values()) == rows


def test_a_superseded_revision_cannot_be_edited(draft, users, in_use):
    in_use.add(draft.pk)
    services.update_set_fields(actor=users.ministry, criteria_set=draft, changes={"title": "Mới"})
    with pytest.raises(services.SetSuperseded):
        services.update_set_fields(actor=users.ministry, criteria_set=draft, changes={"title": "X"})


def test_third_revision_follows_the_second(draft, users, in_use):
    in_use.add(draft.pk)
    second = services.update_set_fields(
        actor=users.ministry, criteria_set=draft, changes={"title": "Hai"}
    )
    in_use.add(second.pk)
    third = services.update_set_fields(
        actor=users.ministry, criteria_set=second, changes={"title": "Ba"}
    )
    assert third.version == "2025.3"
    assert third.supersedes == second
    assert selectors.get_set(code="thu-nghiem").pk == third.pk


def test_saving_the_same_content_changes_nothing(draft, users, in_use):
    in_use.add(draft.pk)
    spec = selectors.spec_of(selectors.get_set_by_pk(draft.pk))
    saved = services.save_set(actor=users.ministry, criteria_set=draft, spec=spec)
    assert saved.pk == draft.pk
    assert CriteriaSet.objects.count() == 1


def test_adding_a_criterion_puts_it_in_its_group(draft, users):
    new = dataclasses.replace(small_spec().criteria[0], code="TC 4", title="Mới", group="I")
    saved = services.add_criterion(actor=users.ministry, criteria_set=draft, criterion=new)
    spec = selectors.spec_of(selectors.get_set_by_pk(saved.pk))
    assert [c.code for c in spec.criteria] == ["TC 1", "TC 2", "TC 4", "TC 3"]


def test_criterion_codes_must_be_unique(draft, users):
    new = dataclasses.replace(small_spec().criteria[0], title="Trùng")
    with pytest.raises(InvalidSet) as caught:
        services.add_criterion(actor=users.ministry, criteria_set=draft, criterion=new)
    assert problems(caught) == ["Mã tiêu chí «TC 1» bị trùng."]


def test_codes_can_be_swapped_in_place(draft, users):
    spec = selectors.spec_of(selectors.get_set_by_pk(draft.pk))
    one, two, three = spec.criteria
    swapped = spec.replace(
        criteria=(
            dataclasses.replace(one, code="TC 2"),
            dataclasses.replace(two, code="TC 1"),
            three,
        )
    )
    services.save_set(actor=users.ministry, criteria_set=draft, spec=swapped)
    assert Criterion.objects.get(pk=one.key).code == "TC 2"
    assert Criterion.objects.get(pk=two.key).code == "TC 1"


def test_points_sets_need_points_on_every_criterion(indicators, users):
    spec = small_spec(outcome_rule="points", grade_bands=())
    with pytest.raises(InvalidSet) as caught:
        services.create_set(actor=users.ministry, spec=spec)
    messages = problems(caught)
    assert "Bộ tiêu chí chấm điểm cần ít nhất một mức xếp loại." in messages
    assert "TC 1: bộ tiêu chí chấm điểm cần số điểm của mỗi tiêu chí." in messages


def test_child_coverage_must_name_an_existing_set(indicators, users):
    coverage = dataclasses.replace(
        small_spec().criteria[0],
        kind="child_coverage",
        child_kinds=("khu_dan_cu",),
        child_sets=("khong-co",),
        child_min_share=Decimal("0.7"),
    )
    spec = small_spec(criteria=(coverage,))
    with pytest.raises(InvalidSet) as caught:
        services.create_set(actor=users.ministry, spec=spec)
    assert problems(caught) == ["TC 1: không có bộ tiêu chí «khong-co»."]


def test_changing_kind_to_manual_drops_the_expression(draft, users):
    key = key_of(draft, "TC 2")
    services.update_criterion(
        actor=users.ministry, criteria_set=draft, key=key, changes={"kind": "manual"}
    )
    assert Criterion.objects.get(pk=key).expression == ""


def test_publishing_a_draft(draft, users):
    services.publish_set(actor=users.ministry, criteria_set=draft)
    draft.refresh_from_db()
    assert draft.status == SetStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="criteria_set.published").count() == 1


def test_a_new_round_is_a_draft_copy_for_another_year(draft, users):
    new = services.start_new_round(actor=users.ministry, criteria_set=draft, year=2026)
    assert (new.version, new.status) == ("2026", SetStatus.DRAFT)
    old_spec = selectors.spec_of(selectors.get_set_by_pk(draft.pk))
    assert selectors.spec_of(selectors.get_set_by_pk(new.pk)) == old_spec.replace(year=2026)


def test_a_round_cannot_be_started_twice(draft, users):
    services.start_new_round(actor=users.ministry, criteria_set=draft, year=2026)
    with pytest.raises(InvalidSet):
        services.start_new_round(actor=users.ministry, criteria_set=draft, year=2026)
