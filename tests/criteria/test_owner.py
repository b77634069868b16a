"""A province's own set (Bắc Giang's plan 340) applies only within that province and the province
that succeeded it (Bắc Ninh, from 2025-07-01); national sets apply everywhere."""

import datetime as dt

import pytest

from kieumau.assessments import standing
from kieumau.assessments.errors import AssessmentInputError
from kieumau.assessments.services import create_assessment
from kieumau.criteria import loading, selectors, services
from kieumau.criteria.models import CriteriaSet
from kieumau.criteria.spec import OwnerSpec, dump_yaml, load_yaml
from kieumau.criteria.validation import InvalidSet
from tests.conftest import BEFORE_MERGER, TODAY, client_for, unit

BAC_GIANG = "bac-giang-tan-tuy"
OLD_BAC_GIANG = ("24", dt.date(2021, 11, 5))


def own_set() -> CriteriaSet:
    return CriteriaSet.objects.get(code=BAC_GIANG)


def test_the_shipped_bac_giang_set_belongs_to_the_old_province(catalog):
    assert own_set().owner == unit(*OLD_BAC_GIANG)
    assert own_set().owner.level == "province"


def test_national_sets_have_no_owner(catalog):
    assert CriteriaSet.objects.exclude(code=BAC_GIANG).filter(owner__isnull=False).count() == 0


def test_thai_hoa_is_not_offered_the_bac_giang_set(catalog):
    codes = {s.code for s in selectors.sets_for_unit(unit("16939"))}
    assert "phuong-kieu-mau" in codes
    assert BAC_GIANG not in codes


def test_old_tran_phu_is_offered_the_bac_giang_set(catalog):
    assert BAC_GIANG in {s.code for s in selectors.sets_for_unit(unit("07213", BEFORE_MERGER))}


def test_todays_phuong_bac_giang_is_offered_it_through_the_successor(catalog):
    assert BAC_GIANG in {s.code for s in selectors.sets_for_unit(unit("07210"))}


def test_sets_for_unit_takes_few_queries(catalog, django_assert_max_num_queries):
    ward = unit("07210")
    with django_assert_max_num_queries(3):
        found = selectors.sets_for_unit(ward)
    assert BAC_GIANG in {s.code for s in found}


def test_thai_hoa_standing_does_not_evaluate_the_bac_giang_set(catalog, users):
    found = standing.unit_standing(users.ministry, unit=unit("16939"), as_of=TODAY)
    codes = [s.code for s in found]
    assert "phuong-kieu-mau" in codes
    assert BAC_GIANG not in codes


def test_phuong_bac_giang_standing_evaluates_it(catalog, users):
    found = standing.unit_standing(users.ministry, unit=unit("07210"), as_of=TODAY)
    assert BAC_GIANG in [s.code for s in found]


def test_unit_page_of_thai_hoa_does_not_show_the_bac_giang_set(catalog, users):
    response = client_for(users.nghean).get(
        "/assessments/units/16939/standing/?as_of=2026-11-23", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "340/KH" not in response.content.decode()
    assert own_set().title not in response.content.decode()


def test_new_assessment_form_of_thai_hoa_does_not_offer_it(catalog, users):
    response = client_for(users.thaihoa).get("/assessments/new/")
    body = response.content.decode()
    assert response.status_code == 200
    assert CriteriaSet.objects.filter(code="phuong-kieu-mau").first().title in body
    assert own_set().title not in body


def test_creating_an_assessment_under_another_provinces_set_is_refused(catalog, users):
    with pytest.raises(AssessmentInputError) as error:
        create_assessment(
            actor=users.ministry, unit=unit("16939"), criteria_set=own_set(), year=2026
        )
    assert "riêng" in str(error.value.errors[0]["message"])


def test_an_assessment_of_old_tran_phu_under_it_can_be_opened(catalog, users):
    ward = unit("07213", BEFORE_MERGER)
    assessment = create_assessment(
        actor=users.ministry, unit=ward, criteria_set=own_set(), year=2022
    )
    assert assessment.unit == ward


def test_yaml_round_trip_keeps_the_owner(catalog):
    spec = selectors.spec_of(selectors.get_set_by_pk(own_set().pk))
    assert spec.owner == OwnerSpec(code="24", as_of=dt.date(2021, 11, 5))
    assert "owner:" in dump_yaml(spec)
    assert load_yaml(dump_yaml(spec)) == spec


def test_an_owner_no_unit_carried_is_refused(catalog, users):
    spec = selectors.spec_of(selectors.get_set_by_pk(own_set().pk))
    spec = spec.replace(code="bo-rieng", owner=OwnerSpec(code="99", as_of=dt.date(2021, 1, 1)))
    with pytest.raises(InvalidSet) as error:
        services.create_set(actor=users.ministry, spec=spec)
    assert [p.field for p in error.value.problems] == ["owner"]


def test_loading_over_a_set_without_owner_sets_it(catalog):
    CriteriaSet.objects.filter(code=BAC_GIANG).update(owner=None)
    again = {r.code: r.action for r in loading.load_catalog()}
    assert again[BAC_GIANG] == "updated"
    assert own_set().owner == unit(*OLD_BAC_GIANG)
    assert {a for c, a in again.items() if c != BAC_GIANG} == {"unchanged"}
