"""The workflow as data: the shipped default, and the checks any edited workflow must pass."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kieumau.assessments.workflow import (
    EDITORS,
    WHO,
    Stage,
    WorkflowDefinitionError,
    may_edit,
    parse_definition,
    read_yaml,
)


def default():
    data = read_yaml()
    return parse_definition(
        stages=data["stages"],
        transitions=data["transitions"],
        recogniser_level=data["recogniser_level"],
    )


def test_default_workflow_has_the_five_stages():
    assert [s.code for s in default().stages] == [
        "draft",
        "submitted",
        "returned",
        "approved",
        "recognised",
    ]


def test_default_workflow_locks_approved_and_recognised():
    assert {s.code for s in default().stages if s.locked} == {"approved", "recognised"}


def test_only_the_level_above_locks_and_unlocks():
    definition = default()
    locked = {s.code for s in definition.stages if s.locked}
    for step in definition.steps:
        if (step.source in locked) != (step.target in locked):
            assert step.who == "level_above", step


def test_return_and_unlock_need_a_comment():
    definition = default()
    assert {s.action for s in definition.steps if s.comment_required} == {"return", "unlock"}


def test_every_stage_is_reachable_from_draft():
    definition = default()
    seen, frontier = {"draft"}, ["draft"]
    while frontier:
        for step in definition.steps_from(frontier.pop()):
            if step.target not in seen:
                seen.add(step.target)
                frontier.append(step.target)
    assert seen == {s.code for s in definition.stages}


def test_unknown_stage_in_a_transition_is_named():
    with pytest.raises(WorkflowDefinitionError, match="unknown stage 'nowhere'"):
        parse_definition(
            stages=[{"code": "draft", "name_vi": "Nháp", "editable_by": "unit", "locked": False}],
            transitions=[
                {"from": "draft", "to": "nowhere", "action": "go", "name_vi": "Đi", "who": "unit"}
            ],
        )


def test_a_locked_stage_cannot_be_editable():
    with pytest.raises(WorkflowDefinitionError, match="locked stage cannot be editable"):
        parse_definition(
            stages=[
                {"code": "a", "name_vi": "A", "editable_by": None, "locked": False},
                {"code": "b", "name_vi": "B", "editable_by": "unit", "locked": True},
            ],
            transitions=[],
        )


codes = st.sampled_from(["draft", "submitted", "returned", "approved", "x"])
stage_items = st.fixed_dictionaries(
    {
        "code": codes,
        "name_vi": st.text(min_size=0, max_size=5),
        "editable_by": st.sampled_from([*EDITORS, None, "someone"]),
        "locked": st.booleans(),
    }
)
step_items = st.fixed_dictionaries(
    {
        "from": codes,
        "to": codes,
        "action": st.sampled_from(["submit", "approve", ""]),
        "name_vi": st.just("Bước"),
        "who": st.sampled_from([*WHO, "anyone"]),
        "comment_required": st.booleans(),
    }
)


@given(st.lists(stage_items, max_size=5), st.lists(step_items, max_size=6))
def test_a_definition_is_refused_or_holds_together(stages, transitions):
    try:
        definition = parse_definition(stages=stages, transitions=transitions)
    except WorkflowDefinitionError:
        return
    known = {s.code for s in definition.stages}
    assert len(known) == len(definition.stages)
    assert not definition.initial.locked
    pairs = [(s.source, s.action) for s in definition.steps]
    assert len(set(pairs)) == len(pairs)
    for step in definition.steps:
        assert {step.source, step.target} <= known and step.who in WHO
    for stage in definition.stages:
        assert not (stage.locked and stage.editable_by)


@given(st.sampled_from([*EDITORS, None]), st.booleans(), st.sets(st.sampled_from(WHO)))
def test_nobody_edits_a_locked_stage_and_editors_need_the_capacity(editable_by, locked, caps):
    side = may_edit(Stage("s", "S", None if locked else editable_by, locked), frozenset(caps))
    if locked:
        assert side is None
    elif side == "unit":
        assert "unit" in caps
    elif side == "reviewer":
        assert "level_above" in caps
