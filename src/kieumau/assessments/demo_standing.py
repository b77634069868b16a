"""Demo: phường Đức Xuân (TP Bắc Kạn) in the 2023 round of the model-ward set, 21/22 criteria.

The figures are those the public sources report for 2023 (social-order crime down 7 cases on
the year before — 19 in 2022, 12 in 2023; 100% of crime reports handled; 100% of procedures on
the public-service portal, 100% on time and 20% before time; Đề án 06 targets met; 6 fire-safety
household groups and 6 public fire-fighting points; mass-mobilisation models maintained), spread
over the months of 2022 and 2023 and entered through the indicators services. The assessment goes
through the workflow services: self-assessment, evidence, submission, a review that finds one
criterion not met (the headquarters), approval. The result then shows in the history of today's
phường Đức Xuân (Thái Nguyên), which kept the code 01840.

Idempotent: values that are already there are skipped; an existing assessment is left alone.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

CODE = "01840"
OLD_DAY = dt.date(2025, 6, 30)  # the old ward existed until the 2025 merger
SET_CODE, SET_YEAR, ROUND = "phuong-kieu-mau", 2023, 2023
NOT_MET = "TC 4"
NOT_MET_COMMENT = (
    "Trụ sở Công an phường đang bố trí tạm, chưa bảo đảm diện tích và công năng theo tiêu chuẩn "
    "của Bộ Công an, chưa có phòng tiếp công dân riêng; phường đã có kế hoạch xây dựng trụ sở mới."
)
# A one-page PDF: the demo's evidence files ("biên bản kiểm tra").
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

CRIMES = {2022: (2, 1, 2, 1, 2, 2, 1, 2, 1, 2, 1, 2), 2023: (1,) * 12}  # 19, then 12
REPORTS = {2022: (3, 2, 3, 4, 2, 3, 3, 2, 4, 3, 2, 3), 2023: (3, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 4)}
PROCEDURES = {
    2022: (120, 110, 135, 125, 130, 140, 125, 120, 130, 135, 125, 145),
    2023: (140, 125, 150, 145, 150, 160, 140, 135, 150, 155, 145, 165),
}
DE_AN_06_DONE = (5, 6, 6, 7, 8, 8, 9, 10, 10, 11, 12, 12)  # of 12 targets, month by month


def month_values(year: int) -> dict[dt.date, dict[str, int]]:
    values = {}
    for index in range(12):
        received = PROCEDURES[year][index]
        reports = REPORTS[year][index]
        values[dt.date(year, index + 1, 1)] = {
            "toi_pham_ttxh": CRIMES[year][index],
            "toi_pham_ttxh_lam_ro": CRIMES[year][index],
            "tin_bao_tiep_nhan": reports,
            "tin_bao_da_xu_ly": reports,
            "tin_bao_qua_han": 0,
            "tthc_tiep_nhan": received,
            "tthc_truc_tuyen": received * 4 // 5,
            "tthc_dung_han": received,
            "tthc_truoc_han": received // 5,
            "tthc_thuoc_tham_quyen": 40,
            "tthc_tren_cong_dvc": 40 if year == 2023 else 36,
            "de_an_06_chi_tieu": 12,
            "de_an_06_hoan_thanh": DE_AN_06_DONE[index] if year == 2023 else min(index + 1, 8),
            "to_lien_gia_pccc": 6 if year == 2023 and index >= 3 else 4,
            "diem_chua_chay_cong_cong": 6 if year == 2023 and index >= 5 else 4,
            "mo_hinh_quan_chung": 3,
            "phan_anh_tiep_nhan": 2 + index % 3,
            "phan_anh_da_xu_ly": 2 + index % 3,
            "vu_viec_nghiem_trong": 0,
            "can_bo_bi_ky_luat": 0,
            "nghi_quyet_dang_uy": 1,
            "ke_hoach_ubnd": 1,
            "dang_ky_thi_dua": 1,
        }
    return values


def old_duc_xuan() -> OrgUnit:
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=CODE, as_of=OLD_DAY)


def load_demo(*, stdout) -> None:
    from kieumau.accounts.models import User
    from kieumau.indicators.demo import set_demo_values

    ward = old_duc_xuan()
    officer = User.objects.filter(username="demo-thainguyen").first()
    for year in (2022, 2023):
        set_demo_values(
            unit=ward,
            month_values=month_values(year),
            actor=officer,
            note="dữ liệu demo: phường Đức Xuân",
        )
    assessment = assess(ward=ward, unit_actor=officer, reviewer=officer)
    if assessment is None:
        stdout.write("Demo Đức Xuân 2023: chưa nạp bộ tiêu chí phuong-kieu-mau 2023, bỏ qua.\n")
        return
    stdout.write(f"Demo Đức Xuân 2023: {assessment.outcome_label} ({assessment.stage}).\n")


def assess(*, ward: OrgUnit, unit_actor, reviewer):
    """The 2023 round of the model-ward set for `ward`, through the workflow services, ending
    approved with one criterion judged not met by the reviewer. Returns the existing one if
    it is already there; None when the set is not loaded."""
    from kieumau.assessments.evidence import upload_evidence
    from kieumau.assessments.services import (
        JudgementInput,
        create_assessment,
        find_existing,
        save_judgements,
    )
    from kieumau.assessments.workflow import apply_transition
    from kieumau.criteria.models import CriteriaSet

    criteria_set = (
        CriteriaSet.objects.filter(code=SET_CODE, year=SET_YEAR).order_by("-revision").first()
    )
    if criteria_set is None:
        return None
    existing = find_existing(unit=ward, criteria_set=criteria_set, year=ROUND)
    if existing is not None:  # under this or an earlier version of the set
        return existing
    assessment = create_assessment(
        actor=unit_actor, unit=ward, criteria_set=criteria_set, year=ROUND
    )
    criteria = list(criteria_set.criteria.order_by("order", "id"))
    save_judgements(
        actor=unit_actor,
        assessment=assessment,
        expected_revision=assessment.revision,
        items=[
            JudgementInput(
                criterion_id=c.pk,
                status="met",
                ref=c.code,
                comment="Đơn vị tự đánh giá đạt; minh chứng kèm theo.",
            )
            for c in criteria
            if c.kind == "manual"
        ],
    )
    for criterion in criteria:
        if criterion.evidence_required:
            upload_evidence(
                actor=unit_actor,
                assessment=assessment,
                criterion_id=criterion.pk,
                upload=SimpleUploadedFile(
                    f"bien-ban-{criterion.code}.pdf", DEMO_PDF, content_type="application/pdf"
                ),
            )
    apply_transition(
        actor=unit_actor,
        assessment=assessment,
        action="submit",
        expected_revision=assessment.revision,
    )
    not_met = next(c for c in criteria if c.code == NOT_MET)
    save_judgements(
        actor=reviewer,
        assessment=assessment,
        expected_revision=assessment.revision,
        items=[
            JudgementInput(
                criterion_id=not_met.pk, status="not_met", comment=NOT_MET_COMMENT, ref=not_met.code
            )
        ],
    )
    apply_transition(
        actor=reviewer,
        assessment=assessment,
        action="approve",
        expected_revision=assessment.revision,
        comment="Đoàn kiểm tra Công an tỉnh Bắc Kạn: đạt 21/22 tiêu chí.",
    )
    return assessment
