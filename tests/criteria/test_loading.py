"""Loading the shipped sets from YAML: counts, compiled expressions, idempotence."""

from decimal import Decimal

from kieumau.core.models import AuditEvent
from kieumau.criteria import loading, selectors
from kieumau.criteria.models import CriteriaSet, Criterion, CriterionKind
from tests.criteria.factories import shipped

EXPECTED = {
    ("phuong-kieu-mau", "2023"),
    ("phuong-kieu-mau", "2024"),
    ("tt124-xa", "2022"),
    ("tt124-khu-dan-cu", "2022"),
    ("tt124-co-quan", "2022"),
    ("tt124-doanh-nghiep", "2022"),
    ("tt124-truong-hoc", "2022"),
    ("phong-trao-qd510", "2022"),
    ("bac-giang-tan-tuy", "2021"),
}


def test_every_shipped_set_is_loaded(catalog):
    assert set(CriteriaSet.objects.values_list("code", "version")) == EXPECTED
    assert {(r.code, r.version) for r in catalog} == EXPECTED
    assert {r.action for r in catalog} == {"created"}


def test_loading_again_changes_nothing(catalog):
    rows = list(Criterion.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    again = loading.load_catalog()
    assert {r.action for r in again} == {"unchanged"}
    assert list(Criterion.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.count() == events


def test_model_ward_2023_has_22_criteria(catalog):
    assert shipped("phuong-kieu-mau", "2023").criteria.count() == 22


def test_model_ward_2024_has_20_criteria_in_six_areas(catalog):
    ward = shipped("phuong-kieu-mau", "2024")
    assert ward.criteria.count() == 20
    assert ward.groups.count() == 6
    assert all(c.group_id for c in ward.criteria.all())


def test_every_shipped_expression_compiles_against_the_catalogue(catalog):
    codes = selectors.indicator_codes()
    rules = Criterion.objects.filter(kind=CriterionKind.INDICATOR_RULE)
    assert rules.count() > 30
    for criterion in rules:
        assert criterion.compiled_rule(known_indicators=codes).indicators <= codes


def test_shipped_sets_say_they_are_reconstructed(catalog):
    for criteria_set in CriteriaSet.objects.all():
        assert criteria_set.reconstructed
        assert criteria_set.source_note


def test_tt124_commune_set_counts_children_of_four_kinds(catalog):
    commune = shipped("tt124-xa", "2022")
    assert commune.outcome_rule == "all"
    assert (commune.period_start_day, commune.period_start_month) == (16, 11)
    (coverage,) = commune.criteria.filter(kind=CriterionKind.CHILD_COVERAGE)
    assert set(coverage.child_kinds) == {"khu_dan_cu", "co_quan", "doanh_nghiep", "truong_hoc"}
    assert coverage.child_min_share == Decimal("0.7")
    assert selectors.child_set_for_kind(coverage, "khu_dan_cu") == "tt124-khu-dan-cu"
    assert selectors.child_set_for_kind(coverage, "truong_hoc") == "tt124-truong-hoc"


def test_residential_areas_are_assessed_from_1_november(catalog):
    areas = shipped("tt124-khu-dan-cu", "2022")
    assert (areas.period_start_day, areas.period_start_month) == (1, 11)
    assert str(areas.period_ending_in(2024)[0]) == "2023-11-01"


def test_movement_set_grades_by_points(catalog):
    movement = shipped("phong-trao-qd510", "2022")
    assert movement.outcome_rule == "points"
    assert [b["name"] for b in movement.grade_bands] == ["xuất sắc", "khá", "trung bình", "yếu"]
    assert sum(c.points for c in movement.criteria.all()) == 100
    assert "CHƯA XÁC NHẬN" in movement.source_note
