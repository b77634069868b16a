"""Child coverage (Thông tư 124/2021), assessments' own judgements, and the bulk contract:
the number of queries does not grow with the number of units."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kieumau.assessments.evaluation import evaluate_assessment, evaluate_set
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit
from kieumau.orgunits.services import register_local_unit
from tests.assessments.test_evaluation import (  # noqa: F401  (fixture)
    Y2025,
    by_code,
    catalogue,
    criteria_set,
    enter,
    evaluate_one,
)
from tests.conftest import unit

pytestmark = pytest.mark.usefixtures("catalogue")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ROUND_2025 = (dt.date(2024, 11, 16), dt.date(2025, 11, 15))  # Thông tư 124: 16/11–15/11


def take_through(assessment, *, unit_actor, reviewer, recogniser=None, review=None):
    """Self-assess every manual criterion as met (with evidence where required), submit, let the
    reviewer judge (`review`: {code: (status, comment)}), approve, and optionally recognise."""
    from kieumau.assessments.evidence import upload_evidence
    from kieumau.assessments.services import JudgementInput, save_judgements
    from kieumau.assessments.workflow import RecognitionInput, apply_transition

    criteria = list(assessment.criteria_set.criteria.order_by("order", "id"))
    save_judgements(
        actor=unit_actor,
        assessment=assessment,
        expected_revision=assessment.revision,
        items=[
            JudgementInput(criterion_id=c.pk, status="met", ref=c.code)
            for c in criteria
            if c.kind == "manual"
        ],
    )
    for c in criteria:
        if c.evidence_required:
            upload_evidence(
                actor=unit_actor,
                assessment=assessment,
                criterion_id=c.pk,
                upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            )
    apply_transition(
        actor=unit_actor,
        assessment=assessment,
        action="submit",
        expected_revision=assessment.revision,
    )
    if review:
        by_code_ = {c.code: c for c in criteria}
        save_judgements(
            actor=reviewer,
            assessment=assessment,
            expected_revision=assessment.revision,
            items=[
                JudgementInput(
                    criterion_id=by_code_[code].pk, status=status, comment=comment, ref=code
                )
                for code, (status, comment) in review.items()
            ],
        )
    apply_transition(
        actor=reviewer,
        assessment=assessment,
        action="approve",
        expected_revision=assessment.revision,
    )
    if recogniser is not None:
        apply_transition(
            actor=recogniser,
            assessment=assessment,
            action="recognise",
            expected_revision=assessment.revision,
            recognition=RecognitionInput(
                "15/QĐ-CAT", dt.date(2025, 11, 10), "Công an tỉnh Nghệ An"
            ),
        )
    return assessment


def grassroots(users, kind: str, name: str):
    return register_local_unit(
        actor=users.thaihoa,
        parent=unit("16939"),
        name=name,
        kind=kind,
        valid_from=dt.date(2025, 8, 1),
    )


def recognise(users, child, *, year: int = 2025, stop_at_approved: bool = False):
    from kieumau.assessments.services import create_assessment

    child_set = criteria_set(f"tt124-{child.kind.replace('_', '-')}", 2022)
    assessment = create_assessment(
        actor=users.thaihoa, unit=child, criteria_set=child_set, year=year
    )
    return take_through(
        assessment,
        unit_actor=users.thaihoa,
        reviewer=users.thaihoa,
        recogniser=None if stop_at_approved else users.ministry,
    )


def coverage(evaluation):
    return by_code(evaluation)["TC 9"]


# --- child coverage ------------------------------------------------------------------------------


def test_coverage_counts_recognised_children_against_the_share(users):
    areas = [grassroots(users, "khu_dan_cu", f"Khối {n}") for n in (1, 2)]
    school = grassroots(users, "truong_hoc", "Trường THCS Hòa Hiếu")
    for child in areas:
        recognise(users, child)
    result = coverage(evaluate_one(criteria_set("tt124-xa", 2022), unit("16939"), ROUND_2025))
    assert result.status == "not_met"
    assert result.explanation == (
        "Chưa đạt: 2/3 khu dân cư, cơ quan, doanh nghiệp, trường học được công nhận = 66,7% < 70%."
    )
    assert result.distance == "còn thiếu 1 đơn vị cơ sở được công nhận"
    recognise(users, school)
    result = coverage(evaluate_one(criteria_set("tt124-xa", 2022), unit("16939"), ROUND_2025))
    assert result.status == "met"
    assert result.explanation.startswith("Đạt: 3/3 khu dân cư")


def test_an_approved_but_not_recognised_child_does_not_count(users):
    recognise(users, grassroots(users, "khu_dan_cu", "Khối 1"), stop_at_approved=True)
    result = coverage(evaluate_one(criteria_set("tt124-xa", 2022), unit("16939"), ROUND_2025))
    assert result.status == "not_met"
    assert result.explanation.startswith("Chưa đạt: 0/1 ")


def test_recognition_for_a_round_ending_after_the_parents_does_not_count(users):
    recognise(users, grassroots(users, "khu_dan_cu", "Khối 1"), year=2026)
    result = coverage(evaluate_one(criteria_set("tt124-xa", 2022), unit("16939"), ROUND_2025))
    assert result.explanation.startswith("Chưa đạt: 0/1 ")


def test_no_registered_children_is_no_data(users):
    result = coverage(evaluate_one(criteria_set("tt124-xa", 2022), unit("16939"), ROUND_2025))
    assert result.status == "no_data"
    assert "chưa đăng ký đơn vị cơ sở nào" in result.explanation


# --- an assessment's own judgements --------------------------------------------------------------


def test_assessment_evaluation_uses_the_reviewers_judgement_over_the_units(users):
    from kieumau.assessments.services import create_assessment

    ward = unit("16939")
    assessment = create_assessment(
        actor=users.thaihoa,
        unit=ward,
        criteria_set=criteria_set("phuong-kieu-mau", 2024),
        year=2025,
    )
    take_through(
        assessment,
        unit_actor=users.thaihoa,
        reviewer=users.nghean,
        review={"TC 4": ("not_met", "Trụ sở chưa có nơi tiếp công dân.")},
    )
    results = by_code(evaluate_assessment(assessment))
    assert results["TC 3"].status == "met"
    assert results["TC 3"].explanation == "Đạt theo tự đánh giá của đơn vị."
    assert results["TC 4"].status == "not_met"
    assert results["TC 4"].explanation == (
        "Chưa đạt theo đánh giá của đoàn thẩm định: Trụ sở chưa có nơi tiếp công dân."
    )


# --- bulk: a constant number of queries ----------------------------------------------------------


def communes_of_nghe_an(count: int) -> list[int]:
    nghe_an = unit("40")
    communes = tree.descendants(
        units=OrgUnit.objects.all(), root=nghe_an, day=dt.date(2026, 1, 1), level="commune"
    )
    return list(communes.order_by("code").values_list("pk", flat=True)[:count])


def run(model_ward, unit_ids, manual=None):
    return evaluate_set(
        criteria_set=model_ward,
        unit_ids=unit_ids,
        period_start=Y2025[0],
        period_end=Y2025[1],
        manual=manual,
    )


def test_query_count_does_not_grow_with_the_number_of_units(users, django_assert_max_num_queries):
    thai_hoa = unit("16939")
    enter(
        users.thaihoa,
        thai_hoa,
        dt.date(2025, 9, 1),
        toi_pham_ttxh=3,
        tin_bao_tiep_nhan=4,
        tin_bao_da_xu_ly=4,
        to_lien_gia_pccc=6,
    )
    for set_code, year in (("phuong-kieu-mau", 2024), ("tt124-xa", 2022)):
        criteria = criteria_set(set_code, year)
        few = [thai_hoa.pk, *communes_of_nghe_an(2)]
        many = [thai_hoa.pk, *communes_of_nghe_an(29)]
        with CaptureQueriesContext(connection) as few_queries:
            assert len(run(criteria, few)) == 3
        with django_assert_max_num_queries(len(few_queries)):
            evaluations = run(criteria, many)
        assert len(evaluations) == 30
        assert all(len(e.results) == criteria.criteria.count() for e in evaluations.values())


def test_values_read_include_last_year_and_the_former_wards(users):
    from kieumau.assessments.evaluation import values_read
    from kieumau.assessments.services import create_assessment

    thai_hoa = unit("16939")
    assessment = create_assessment(
        actor=users.thaihoa,
        unit=thai_hoa,
        criteria_set=criteria_set("phuong-kieu-mau", 2024),
        year=2025,
    )
    former = sorted(
        u.pk for u in (unit(c, dt.date(2025, 6, 30)) for c in ("16939", "16993", "17003"))
    )
    spans = values_read(assessment)
    assert [(sorted(ids), start, end) for ids, start, end in spans] == [
        (sorted([thai_hoa.pk, *former]), dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (sorted([thai_hoa.pk, *former]), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ]
