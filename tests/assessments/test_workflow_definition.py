"""The workflow as data: the shipped default, and the checks any edited workflow must pass."""

import pytest
from hypothesis import event, given, target
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


# --- generated definitions --------------------------------------------------------------------
# The generator builds definitions that are valid by construction, so every example reaches the
# assertions (no example is refused and thrown away); `broken` then breaks exactly one rule.

CODES = ["draft", "submitted", "returned", "approved", "recognised", "x"]
ACTIONS = ["submit", "approve", "return", "unlock", "recognise"]
names = st.from_regex(r"[A-Za-zÀ-ỹ][A-Za-zÀ-ỹ ]{0,8}", fullmatch=True)


@st.composite
def valid_definitions(draw):
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True))
    stages = []
    for index, code in enumerate(codes):
        locked = index > 0 and draw(st.booleans())
        editable_by = None if locked else draw(st.sampled_from([*EDITORS, None]))
        stages.append(
            {"code": code, "name_vi": draw(names), "editable_by": editable_by, "locked": locked}
        )
    moves = draw(
        st.lists(
            st.tuples(st.sampled_from(codes), st.sampled_from(codes), st.sampled_from(ACTIONS)),
            max_size=8,
            unique_by=lambda move: (move[0], move[2]),
        )
    )
    transitions = [
        {
            "from": source,
            "to": target,
            "action": action,
            "name_vi": draw(names),
            "who": draw(st.sampled_from(WHO)),
            "comment_required": draw(st.booleans()),
        }
        for source, target, action in moves
    ]
    return stages, transitions


@given(valid_definitions())
def test_a_valid_definition_is_read_as_written(generated):
    stages, transitions = generated
    definition = parse_definition(stages=stages, transitions=transitions)
    event(f"{len(definition.steps)} steps")
    target(len(definition.steps), label="steps")
    assert [s.code for s in definition.stages] == [s["code"] for s in stages]
    assert [s.name_vi for s in definition.stages] == [s["name_vi"].strip() for s in stages]
    assert [(s.locked, s.editable_by) for s in definition.stages] == [
        (s["locked"], s["editable_by"]) for s in stages
    ]
    assert definition.initial.code == stages[0]["code"] and not definition.initial.locked
    assert [
        (s.source, s.target, s.action, s.who, s.comment_required) for s in definition.steps
    ] == [(t["from"], t["to"], t["action"], t["who"], t["comment_required"]) for t in transitions]
    for item in transitions:
        step = definition.step(stage=item["from"], action=item["action"])
        assert step is not None and step.target == item["to"]
        assert step in definition.steps_from(item["from"])
    assert definition.actions == list(dict.fromkeys(t["action"] for t in transitions))


def _duplicate_code(stages, transitions, draw):
    stages.append({**stages[0], "name_vi": "Lặp"})
    return "codes must be unique"


def _lock_the_first(stages, transitions, draw):
    stages[0] = {**stages[0], "locked": True, "editable_by": None}
    return "initial\\) stage cannot be locked"


def _editable_and_locked(stages, transitions, draw):
    index = draw(st.integers(0, len(stages) - 1))
    stages[index] = {**stages[index], "locked": True, "editable_by": draw(st.sampled_from(EDITORS))}
    return "locked stage cannot be editable"


def _unknown_stage(stages, transitions, draw):
    end = draw(st.sampled_from(["from", "to"]))
    transitions.append(
        {
            "from": stages[0]["code"],
            "to": stages[0]["code"],
            "action": "other",
            "name_vi": "Đi",
            "who": "unit",
            end: "nowhere",
        }
    )
    return "unknown stage 'nowhere'"


def _bad_who(stages, transitions, draw):
    transitions.append(
        {
            "from": stages[0]["code"],
            "to": stages[0]["code"],
            "action": "other",
            "name_vi": "Đi",
            "who": draw(st.sampled_from(["anyone", None, "ministry"])),
        }
    )
    return "who must be one of"


def _same_action_twice(stages, transitions, draw):
    step = {
        "from": stages[0]["code"],
        "to": stages[0]["code"],
        "action": "other",
        "name_vi": "Đi",
        "who": "unit",
    }
    transitions += [step, {**step, "name_vi": "Lại"}]
    return "action 'other' twice"


def _blank_name(stages, transitions, draw):
    index = draw(st.integers(0, len(stages) - 1))
    stages[index] = {**stages[index], "name_vi": draw(st.sampled_from(["", "   ", None]))}
    return "name_vi must be a non-empty string"


def _bad_editor(stages, transitions, draw):
    stages[-1] = {**stages[-1], "locked": False, "editable_by": "someone"}
    return "editable_by must be"


BREAKERS = [
    _duplicate_code,
    _lock_the_first,
    _editable_and_locked,
    _unknown_stage,
    _bad_who,
    _same_action_twice,
    _blank_name,
    _bad_editor,
]


@given(valid_definitions(), st.sampled_from(BREAKERS), st.data())
def test_breaking_any_one_rule_is_refused_with_its_reason(generated, breaker, data):
    stages, transitions = (list(part) for part in generated)
    reason = breaker(stages, transitions, data.draw)
    event(breaker.__name__)
    with pytest.raises(WorkflowDefinitionError, match=reason):
        parse_definition(stages=stages, transitions=transitions)


@given(st.sampled_from([*EDITORS, None]), st.booleans(), st.sets(st.sampled_from(WHO)))
def test_nobody_edits_a_locked_stage_and_editors_need_the_capacity(editable_by, locked, caps):
    side = may_edit(Stage("s", "S", None if locked else editable_by, locked), frozenset(caps))
    if locked:
        assert side is None
    elif side == "unit":
        assert "unit" in caps
    elif side == "reviewer":
        assert "level_above" in caps
