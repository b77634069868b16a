"""What other domains read off the models: periods, "in use", compiled rules, child sets."""

import datetime as dt

import pytest

from kieumau.criteria import selectors, services
from kieumau.criteria.models import CriteriaSet
from tests.criteria.factories import shipped, small_spec


def test_in_use_follows_the_assessments_relation(indicators, users):
    criteria_set = services.create_set(actor=users.ministry, spec=small_spec())
    relation = CriteriaSet._meta.get_field("assessments")
    assert relation.related_model._meta.label == "assessments.Assessment"
    assert criteria_set.in_use is False


def test_period_ending_in_a_year(catalog):
    assert shipped("tt124-xa", "2022").period_ending_in(2024) == (
        dt.date(2023, 11, 16),
        dt.date(2024, 11, 15),
    )
    assert shipped("phuong-kieu-mau", "2024").period_ending_in(2024) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )


def test_period_containing_a_day(catalog):
    commune = shipped("tt124-xa", "2022")
    assert commune.period_containing(dt.date(2024, 11, 16)) == (
        dt.date(2024, 11, 16),
        dt.date(2025, 11, 15),
    )


def test_compiled_rule_reads_the_catalogue_when_not_given_it(catalog, django_assert_num_queries):
    criterion = shipped("phuong-kieu-mau", "2024").criteria.get(code="TC 16")
    with django_assert_num_queries(1):
        rule = criterion.compiled_rule()
    assert rule.references == {("toi_pham_ttxh", None, 0), ("toi_pham_ttxh", None, 1)}
    with django_assert_num_queries(0):
        assert criterion.compiled_rule() is rule


def test_compiled_rules_of_a_set_share_one_catalogue(catalog):
    criteria_set = selectors.get_set(code="phuong-kieu-mau", version="2024")
    rules = criteria_set.compiled_rules(known_indicators=selectors.indicator_codes())
    assert len(rules) == 12


def test_a_manual_criterion_has_no_rule(catalog):
    criterion = shipped("phuong-kieu-mau", "2024").criteria.get(code="TC 4")
    with pytest.raises(ValueError):
        criterion.compiled_rule(known_indicators=set())


def test_current_set_prefers_the_newest_published_round(catalog, users):
    draft = services.start_new_round(
        actor=users.ministry, criteria_set=shipped("phuong-kieu-mau", "2024"), year=2025
    )
    assert selectors.get_set(code="phuong-kieu-mau").version == "2024"
    services.publish_set(actor=users.ministry, criteria_set=draft)
    assert selectors.get_set(code="phuong-kieu-mau").version == "2025"


def test_sets_for_a_kind(catalog):
    codes = {s.code for s in selectors.sets_for_kind(kind="phuong")}
    assert codes == {"phuong-kieu-mau", "tt124-xa", "phong-trao-qd510", "bac-giang-tan-tuy"}
