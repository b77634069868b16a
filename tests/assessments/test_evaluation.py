"""Evaluation of indicator rules: statuses, explanations with the numbers, distances, history."""

import datetime as dt
from decimal import Decimal

import pytest

from kieumau.assessments.evaluation import ManualJudgement, evaluate_set
from tests.conftest import BEFORE_MERGER, unit

Y2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


# --- builders shared with the other evaluation and standing tests -----------------------------


@pytest.fixture
def catalogue(db):
    """The indicator catalogue and every shipped criteria set, loaded through their services."""
    from kieumau.criteria.loading import ensure_indicator_catalogue, load_catalog

    ensure_indicator_catalogue()
    load_catalog()


def criteria_set(code: str, year: int):
    from kieumau.criteria.models import CriteriaSet

    return CriteriaSet.objects.filter(code=code, year=year).order_by("-revision").first()


def custom_set(actor, yaml_text: str):
    """A small published set written for one test, through the criteria services."""
    from kieumau.criteria.models import SetStatus
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import load_yaml

    return create_set(actor=actor, spec=load_yaml(yaml_text), status=SetStatus.PUBLISHED)


def rule_set(actor, *expressions: str, code: str = "thu-nghiem", applies_to: str = "phuong"):
    criteria = "\n".join(
        f"- code: TC {n}\n  title: Tiêu chí {n}\n  kind: indicator_rule\n  expression: {e}"
        for n, e in enumerate(expressions, 1)
    )
    return custom_set(
        actor,
        f"code: {code}\nyear: 2024\ntitle: Bộ thử nghiệm\n"
        f"applies_to: [{applies_to}]\ncriteria:\n{criteria}\n",
    )


def enter(actor, target, month: dt.date, **values) -> None:
    """Monthly values through the indicators service, as a commune would enter them."""
    from kieumau.indicators.models import Indicator
    from kieumau.indicators.services import ValueInput, set_values

    indicators = Indicator.objects.in_bulk(list(values), field_name="code")
    rows = [
        ValueInput(target, indicators[code], month, Decimal(value))
        for code, value in values.items()
    ]
    set_values(actor=actor, rows=rows, source="form")


def evaluate_one(criteria_set_, target, period, manual=None):
    result = evaluate_set(
        criteria_set=criteria_set_,
        unit_ids=[target.pk],
        period_start=period[0],
        period_end=period[1],
        manual=manual,
    )
    return result[target.pk]


def by_code(evaluation):
    return {r.criterion.code: r for r in evaluation.results}


# --- explanations and distances ------------------------------------------------------------------


def test_unmet_ratio_shows_the_numbers_and_the_actual_relation(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), tin_bao_tiep_nhan=100, tin_bao_da_xu_ly=98)
    rules = rule_set(users.ministry, "tin_bao_da_xu_ly >= tin_bao_tiep_nhan")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "not_met"
    assert result.explanation.startswith("Chưa đạt: 98 < 100")
    assert "Tin báo, tố giác về tội phạm đã tiếp nhận = 100" in result.explanation
    assert result.distance == "còn thiếu 2 tin"


def test_met_ratio_says_met(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), tin_bao_tiep_nhan=40, tin_bao_da_xu_ly=40)
    rules = rule_set(users.ministry, "tin_bao_da_xu_ly / tin_bao_tiep_nhan >= 100%")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "met"
    assert result.explanation.startswith("Đạt: 40 / 40 = 1 ≥ 100%")
    assert result.distance is None


def test_percentage_gap_is_counted_in_the_numerator(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 2, 1), khao_sat_phieu=200, khao_sat_hai_long=170)
    rules = rule_set(users.ministry, "pct(khao_sat_hai_long, khao_sat_phieu) >= 90")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "not_met"
    assert "= 85 < 90" in result.explanation
    assert result.distance == "còn thiếu 10 phiếu"


def test_threshold_on_a_count_says_how_many_are_missing(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 5, 1), to_lien_gia_pccc=4, diem_chua_chay_cong_cong=6)
    rules = rule_set(users.ministry, "to_lien_gia_pccc >= 6 and diem_chua_chay_cong_cong >= 6")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "not_met"
    assert result.explanation.startswith("Chưa đạt: 4 < 6; 6 ≥ 6")
    assert result.distance == "còn thiếu 2 tổ"


def test_missing_values_give_no_data_naming_the_indicator(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), tin_bao_da_xu_ly=5)
    rules = rule_set(users.ministry, "tin_bao_da_xu_ly >= tin_bao_tiep_nhan")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "no_data"
    assert result.explanation.startswith("Chưa đủ số liệu:")
    assert (
        "Chưa có số liệu “Tin báo, tố giác về tội phạm đã tiếp nhận” trong kỳ."
        in result.explanation
    )
    assert result.distance is None


def test_nothing_to_divide_by_is_no_data(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), tin_bao_tiep_nhan=0, tin_bao_da_xu_ly=0)
    rules = rule_set(users.ministry, "tin_bao_da_xu_ly / tin_bao_tiep_nhan >= 1")
    result = by_code(evaluate_one(rules, ward, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))))[
        "TC 1"
    ]
    assert result.status == "no_data"
    assert "Mẫu số bằng 0" in result.explanation


def test_zero_rule_says_how_many_to_remove(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2026, 3, 1), vu_viec_nghiem_trong=1)
    result = by_code(
        evaluate_one(
            rule_set(users.ministry, "vu_viec_nghiem_trong == 0"),
            ward,
            (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        )
    )["TC 1"]
    assert result.status == "not_met"
    assert result.explanation.startswith("Chưa đạt: 1 ≠ 0")
    assert result.distance == "cần bằng 0 vụ (hiện 1)"


# --- the same period of the year before ------------------------------------------------------


ROUND_2024 = (dt.date(2023, 11, 16), dt.date(2024, 11, 15))


def test_prev_year_compares_with_the_same_period_a_year_before(users, catalogue):
    ward = unit("16939", BEFORE_MERGER)  # old phường Hòa Hiếu
    enter(users.nghean, ward, dt.date(2023, 8, 1), toi_pham_ttxh=19)
    enter(users.nghean, ward, dt.date(2024, 8, 1), toi_pham_ttxh=12)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    period = ROUND_2024
    result = by_code(evaluate_one(rules, ward, period))["TC 1"]
    assert result.status == "met"
    assert result.explanation.startswith("Đạt: 12 < 19")
    assert "toi_pham_ttxh[năm trước]: Số vụ phạm tội về trật tự xã hội = 19" in result.explanation


def test_prev_year_not_met_says_how_many_fewer_cases_are_needed(users, catalogue):
    ward = unit("16939", BEFORE_MERGER)
    enter(users.nghean, ward, dt.date(2023, 8, 1), toi_pham_ttxh=19)
    enter(users.nghean, ward, dt.date(2024, 8, 1), toi_pham_ttxh=20)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, ward, ROUND_2024))
    assert result["TC 1"].status == "not_met"
    assert result["TC 1"].explanation.startswith("Chưa đạt: 20 ≥ 19")
    assert result["TC 1"].distance == "cần giảm thêm 2 vụ"


def test_prev_year_without_last_year_data_is_no_data(users, catalogue):
    ward = unit("16939", BEFORE_MERGER)
    enter(users.nghean, ward, dt.date(2024, 8, 1), toi_pham_ttxh=3)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, ward, ROUND_2024))
    assert result["TC 1"].status == "no_data"


# --- history rolls up over the units a ward was formed from ----------------------------------


def former_wards():
    return [unit(code, BEFORE_MERGER) for code in ("16939", "16993", "17003")]


def test_thai_hoa_is_compared_with_the_total_of_its_three_old_wards(users, catalogue):
    thai_hoa = unit("16939")
    for ward, before, during in zip(former_wards(), (5, 6, 8), (2, 1, 1), strict=True):
        enter(users.nghean, ward, dt.date(2024, 4, 1), toi_pham_ttxh=before)
        enter(users.nghean, ward, dt.date(2025, 3, 1), toi_pham_ttxh=during)
    enter(users.thaihoa, thai_hoa, dt.date(2025, 9, 1), toi_pham_ttxh=6)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, thai_hoa, Y2025))["TC 1"]
    assert result.status == "met"
    assert result.explanation.startswith("Đạt: 10 < 19")
    assert (
        "Số liệu kỳ này là tổng của các đơn vị cũ: Phường Hoà Hiếu, Phường Long Sơn, "
        "Phường Quang Phong."
    ) in result.explanation
    assert "Số liệu cùng kỳ năm trước là tổng của các đơn vị cũ" in result.explanation


def test_a_unit_that_existed_all_along_is_not_rolled_up(users, catalogue):
    ward = unit("16939", BEFORE_MERGER)
    enter(users.nghean, ward, dt.date(2023, 9, 1), toi_pham_ttxh=6)
    enter(users.nghean, ward, dt.date(2024, 9, 1), toi_pham_ttxh=4)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, ward, ROUND_2024))
    assert "đơn vị cũ" not in result["TC 1"].explanation


def test_a_missing_old_ward_makes_the_total_no_data(users, catalogue):
    thai_hoa = unit("16939")
    hoa_hieu, quang_phong, _long_son = former_wards()
    enter(users.nghean, hoa_hieu, dt.date(2024, 9, 1), toi_pham_ttxh=5)
    enter(users.nghean, quang_phong, dt.date(2024, 9, 1), toi_pham_ttxh=6)
    enter(users.thaihoa, thai_hoa, dt.date(2025, 9, 1), toi_pham_ttxh=4)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, thai_hoa, (dt.date(2025, 7, 1), dt.date(2026, 6, 30))))
    assert result["TC 1"].status == "no_data"
    assert (
        "Thiếu số liệu “Số vụ phạm tội về trật tự xã hội” của Phường Long Sơn nên không tính "
        "được tổng"
    ) in result["TC 1"].explanation


def test_latest_value_indicators_are_not_added_up_over_old_wards(users, catalogue):
    thai_hoa = unit("16939")
    for ward in former_wards():
        enter(users.nghean, ward, dt.date(2024, 12, 1), to_lien_gia_pccc=2)
    rules = rule_set(users.ministry, "to_lien_gia_pccc >= prev_year(to_lien_gia_pccc)")
    enter(users.thaihoa, thai_hoa, dt.date(2025, 12, 1), to_lien_gia_pccc=6)
    result = by_code(evaluate_one(rules, thai_hoa, Y2025))["TC 1"]
    assert result.status == "no_data"
    assert (
        "tính theo giá trị tháng gần nhất nên không cộng được số liệu của các đơn vị cũ"
        in result.explanation
    )


def test_latest_value_of_the_new_ward_itself_is_used_within_its_first_period(users, catalogue):
    thai_hoa = unit("16939")
    for ward in former_wards():
        enter(users.nghean, ward, dt.date(2025, 5, 1), to_lien_gia_pccc=1)
    enter(users.thaihoa, thai_hoa, dt.date(2025, 12, 1), to_lien_gia_pccc=6)
    result = by_code(
        evaluate_one(rule_set(users.ministry, "to_lien_gia_pccc >= 6"), thai_hoa, Y2025)
    )["TC 1"]
    assert result.status == "met"
    assert "đơn vị cũ" not in result.explanation


def test_a_ward_formed_from_part_of_a_split_ward_is_not_given_a_share(users, catalogue):
    from kieumau.orgunits import tree

    old = unit("00019", BEFORE_MERGER)  # phường Điện Biên, Hà Nội: split four ways
    successor = tree.successors(old).order_by("successor__code").first().successor
    enter(users.ministry, old, dt.date(2024, 5, 1), toi_pham_ttxh=9)
    enter(users.ministry, successor, dt.date(2025, 9, 1), toi_pham_ttxh=2)
    rules = rule_set(users.ministry, "toi_pham_ttxh < prev_year(toi_pham_ttxh)")
    result = by_code(evaluate_one(rules, successor, Y2025))["TC 1"]
    assert result.status == "no_data"
    assert "Đơn vị được hình thành từ một phần của" in result.explanation
    assert "Phường Điện Biên" in result.explanation


# --- manual criteria -----------------------------------------------------------------------------


def test_manual_criterion_waits_for_a_judgement(users, catalogue):
    ward = unit("16939")
    result = by_code(evaluate_one(criteria_set("phuong-kieu-mau", 2024), ward, Y2025))["TC 3"]
    assert result.status == "manual"
    assert result.explanation.startswith("Chờ đánh giá")


def test_reviewer_judgement_is_reported_with_its_comment(users, catalogue):
    ward = unit("16939")
    model_ward = criteria_set("phuong-kieu-mau", 2024)
    tc4 = model_ward.criteria.get(code="TC 4")
    manual = {
        (ward.pk, tc4.pk): ManualJudgement(
            status="not_met", comment="Trụ sở tạm.", by_reviewer=True
        )
    }
    result = by_code(evaluate_one(model_ward, ward, Y2025, manual=manual))["TC 4"]
    assert result.status == "not_met"
    assert result.explanation == "Chưa đạt theo đánh giá của đoàn thẩm định: Trụ sở tạm."


def test_plain_status_strings_are_accepted_as_judgements(users, catalogue):
    ward = unit("16939")
    model_ward = criteria_set("phuong-kieu-mau", 2024)
    tc3 = model_ward.criteria.get(code="TC 3")
    result = by_code(evaluate_one(model_ward, ward, Y2025, manual={(ward.pk, tc3.pk): "met"}))
    assert result["TC 3"].status == "met"


# --- the outcome ---------------------------------------------------------------------------------


def test_outcome_counts_met_criteria_of_the_set(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2025, 12, 1), nghi_quyet_dang_uy=1, ke_hoach_ubnd=1)
    evaluation = evaluate_one(criteria_set("phuong-kieu-mau", 2024), ward, Y2025)
    assert evaluation.outcome.total == 20
    assert evaluation.outcome.met == 2
    assert evaluation.outcome.label.startswith("2/20 tiêu chí")


def test_flag_gap_names_what_is_missing(users, catalogue):
    ward = unit("16939")
    enter(users.thaihoa, ward, dt.date(2025, 12, 1), nghi_quyet_dang_uy=0)
    result = by_code(evaluate_one(criteria_set("phuong-kieu-mau", 2024), ward, Y2025))["TC 1"]
    assert result.status == "not_met"
    assert result.distance.startswith("chưa có: Đảng ủy đã ban hành nghị quyết")
