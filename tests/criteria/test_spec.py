"""The YAML form of a set: shape errors name their key; export → load gives the same set."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kieumau.criteria import loading, selectors, services
from kieumau.criteria.exports import to_yaml
from kieumau.criteria.models import CriteriaSet
from kieumau.criteria.spec import (
    CriterionSpec,
    GradeBandSpec,
    GroupSpec,
    SetSpec,
    SpecError,
    dump_yaml,
    load_yaml,
)
from tests.criteria.factories import small_spec


def test_shape_errors_name_the_key():
    with pytest.raises(SpecError) as caught:
        load_yaml("code: x\nyear: 2024\ntitle: T\ncriteria:\n- code: TC 1\n  points: nhiều\n")
    assert caught.value.errors == [
        ("criteria[0].title", "bắt buộc"),
        ("criteria[0].points", "phải là số"),
    ]


def test_bad_yaml_names_the_line():
    with pytest.raises(SpecError) as caught:
        load_yaml("code: x\n  year: [\n")
    assert caught.value.errors[0][0].startswith("dòng ")


def test_every_shipped_set_round_trips_through_yaml(catalog):
    for criteria_set in CriteriaSet.objects.all():
        spec = selectors.spec_of(selectors.get_set_by_pk(criteria_set.pk))
        assert load_yaml(to_yaml(selectors.get_set_by_pk(criteria_set.pk))) == spec


def test_export_then_load_gives_an_identical_set(indicators, users):
    spec = small_spec(
        outcome_rule="points",
        grade_bands=(
            GradeBandSpec(name="khá", min_points=Decimal("70.5")),
            GradeBandSpec(name="yếu", min_points=Decimal(0), passing=False),
        ),
        criteria=tuple(
            CriterionSpec(
                **{**c.__dict__, "points": Decimal("12.25"), "guidance": "Dòng 1\nDòng 2"}
            )
            for c in small_spec().criteria
        ),
    )
    created = services.create_set(actor=users.ministry, spec=spec)
    exported = to_yaml(selectors.get_set_by_pk(created.pk))
    before = selectors.spec_of(selectors.get_set_by_pk(created.pk))
    CriteriaSet.objects.filter(pk=created.pk).delete()

    (loaded,) = loading.load_specs(specs=[load_yaml(exported)])
    assert loaded.action == "created"
    again = selectors.get_set(code=spec.code, version=spec.version)
    assert selectors.spec_of(again) == before
    assert to_yaml(again) == exported


def test_loading_a_second_revision_supersedes_the_first(indicators, users):
    services.create_set(actor=users.ministry, spec=small_spec())
    loading.load_specs(specs=[small_spec(revision=2, title="Sửa đổi")])
    first, second = CriteriaSet.objects.order_by("revision")
    assert (first.status, second.supersedes) == ("superseded", first)


def test_a_file_that_differs_is_kept_unless_asked(indicators, users):
    services.create_set(actor=users.ministry, spec=small_spec())
    (kept,) = loading.load_specs(specs=[small_spec(title="Khác")])
    assert kept.action == "differs"
    assert CriteriaSet.objects.get().title == "Bộ tiêu chí thử nghiệm"
    (updated,) = loading.load_specs(specs=[small_spec(title="Khác")], update=True)
    assert updated.action == "updated"
    assert CriteriaSet.objects.get().title == "Khác"


# --- property: any well-formed spec survives dump → load ------------------------------------------

text = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
decimals = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def specs(draw):
    groups = draw(
        st.lists(
            st.builds(GroupSpec, code=text, title=text), max_size=3, unique_by=lambda g: g.code
        )
    )
    group_codes = [None] + [g.code for g in groups]
    criteria = draw(
        st.lists(
            st.builds(
                CriterionSpec,
                code=text,
                title=text,
                guidance=st.text(max_size=40).map(str.strip),
                points=st.none() | decimals,
                evidence_required=st.booleans(),
                group=st.sampled_from(group_codes),
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda c: c.code,
        )
    )
    return SetSpec(
        code="x",
        year=draw(st.integers(2000, 2100)),
        title=draw(text),
        revision=draw(st.integers(1, 5)),
        applies_to_kinds=("xa",),
        groups=tuple(groups),
        criteria=tuple(criteria),
        source_note=draw(st.text(max_size=80).map(str.strip)),
    ).normalized()


@settings(max_examples=200, deadline=None)
@given(spec=specs())
def test_any_spec_survives_dump_and_load(spec):
    assert load_yaml(dump_yaml(spec)) == spec
