"""Demo assessments, loaded by `kieumau demo` after the tree, the accounts, the indicator catalogue
and the criteria sets. Everything goes through the services, as people would do it.

- Nghệ An, 2024 round of the model-ward set: the old wards of thị xã Thái Hòa in progress —
  Hòa Hiếu and Quang Phong submitted (demo-nghean's review queue), Long Sơn returned with the
  province's comment, Quang Tiến still in draft.
- Hà Nội: phường Điện Biên, 2024 round, recognised by decision 2878/QĐ-BCA of 22/04/2025. The
  sources say that decision recognised three wards for 2024; that Điện Biên was one of them is
  NOT confirmed: the recognition carries a "demo" note saying so.
- The evaluation engineer's phường Đức Xuân 2023 (21/22), from demo_standing.

Idempotent: a ward whose assessment is already there is left alone; values already stored are
skipped by the indicators service.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit

SET_CODE, ROUND = "phuong-kieu-mau", 2024
OLD_TREE_DAY = dt.date(2024, 12, 31)
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
# (code on 31/12/2024, stage to reach, which criterion the ward judges not met, if any)
THAI_HOA_WARDS = (
    ("16939", "submitted", None),  # Hòa Hiếu
    ("16993", "submitted", "TC 10"),  # Quang Phong
    ("17003", "returned", None),  # Long Sơn
    ("16994", "draft", None),  # Quang Tiến (now part of phường Tây Hiếu)
)
RETURN_COMMENT = (
    "Đề nghị bổ sung biên bản kiểm tra trụ sở (TC 4) có xác nhận của Đảng ủy phường và ảnh chụp "
    "bộ phận một cửa; số liệu khảo sát sự hài lòng chưa đủ 12 tháng."
)
DIEN_BIEN = "00019"
RECOGNITION = {
    "decision_number": "2878/QĐ-BCA",
    "decision_date": dt.date(2025, 4, 22),
    "issuing_body": "Bộ trưởng Bộ Công an",
    "note": (
        "Dữ liệu demo. Quyết định 2878/QĐ-BCA ngày 22/4/2025 công nhận 3 phường kiểu mẫu năm "
        "2024; việc phường Điện Biên có trong số đó chưa được xác nhận."
    ),
}


def month_values(year: int, *, crimes: int, survey_ok: int, complete: bool) -> dict:
    """Twelve months of figures for one ward; `complete` fills every indicator the set uses."""
    values = {}
    for index in range(12):
        month = dt.date(year, index + 1, 1)
        reports = 2 + index % 3
        row = {
            "toi_pham_ttxh": crimes // 12 + (1 if index < crimes % 12 else 0),
            "tin_bao_tiep_nhan": reports,
            "tin_bao_da_xu_ly": reports,
            "tthc_tiep_nhan": 90 + index * 5,
            "tthc_dung_han": 90 + index * 5,
            "tthc_thuoc_tham_quyen": 38,
            "tthc_tren_cong_dvc": 38,
            "vu_viec_nghiem_trong": 0,
            "can_bo_bi_ky_luat": 0,
            "nghi_quyet_dang_uy": 1,
            "ke_hoach_ubnd": 1,
        }
        if complete:
            row |= {
                "de_an_06_chi_tieu": 10,
                "de_an_06_hoan_thanh": min(10, 4 + index),
                "to_lien_gia_pccc": 6,
                "diem_chua_chay_cong_cong": 6,
                "mo_hinh_quan_chung": 2,
                "khao_sat_phieu": 50,
                "khao_sat_hai_long": survey_ok,
            }
        values[month] = row
    return values


def _user(username: str):
    from kieumau.accounts.models import User

    return User.objects.filter(username=username).first()


def _unit(code: str, day: dt.date) -> OrgUnit:
    return tree.unit_by_code(units=OrgUnit.objects.all(), code=code, as_of=day)


def _set():
    from kieumau.criteria.models import CriteriaSet, SetStatus

    return (
        CriteriaSet.objects.filter(code=SET_CODE, year=ROUND, status=SetStatus.PUBLISHED)
        .order_by("-revision")
        .first()
    )


def _fill_in(assessment, actor, *, not_met: str | None = None) -> None:
    """Judge the manual criteria and upload a PDF for each criterion that needs one."""
    from kieumau.assessments.evidence import upload_evidence
    from kieumau.assessments.services import JudgementInput, save_judgements

    criteria = list(assessment.criteria_set.criteria.order_by("order", "id"))
    items = [
        JudgementInput(
            criterion_id=c.pk,
            status="not_met" if c.code == not_met else "met",
            comment=(
                "Chưa bố trí đủ cán bộ theo định biên."
                if c.code == not_met
                else "Đơn vị tự đánh giá đạt."
            ),
            ref=c.code,
        )
        for c in criteria
        if c.kind == "manual"
    ]
    save_judgements(
        actor=actor, assessment=assessment, expected_revision=assessment.revision, items=items
    )
    for criterion in criteria:
        if criterion.evidence_required:
            upload_evidence(
                actor=actor,
                assessment=assessment,
                criterion_id=criterion.pk,
                upload=SimpleUploadedFile(f"minh-chung-{criterion.code}.pdf", DEMO_PDF),
            )


def _take(assessment, actor, action: str, comment: str = "", **recognition) -> None:
    from kieumau.assessments.workflow import RecognitionInput, apply_transition

    apply_transition(
        actor=actor,
        assessment=assessment,
        action=action,
        expected_revision=assessment.revision,
        comment=comment,
        recognition=RecognitionInput(**recognition) if recognition else None,
    )


def _open(unit: OrgUnit, criteria_set, actor):
    """The ward's assessment, or None when it is already there under any version of the set
    (then it is left alone)."""
    from kieumau.assessments.services import create_assessment, find_existing

    if find_existing(unit=unit, criteria_set=criteria_set, year=ROUND) is not None:
        return None
    return create_assessment(actor=actor, unit=unit, criteria_set=criteria_set, year=ROUND)


def load_thai_hoa(*, criteria_set, stdout) -> None:
    from kieumau.indicators.demo import set_demo_values

    province, commune = _user("demo-nghean"), _user("demo-thaihoa")
    for index, (code, stage, not_met) in enumerate(THAI_HOA_WARDS):
        ward = _unit(code, OLD_TREE_DAY)
        for year, crimes in ((2023, 14 + index), (2024, 11 + index)):
            set_demo_values(
                unit=ward,
                month_values=month_values(
                    year, crimes=crimes, survey_ok=44, complete=index % 2 == 0
                ),
                actor=province,
                note="dữ liệu demo: phường thuộc thị xã Thái Hòa",
            )
        assessment = _open(ward, criteria_set, province)
        if assessment is None:
            continue
        # Phường Thái Hòa's officers act for the wards it was formed from; Quang Tiến went to
        # phường Tây Hiếu, so the province acts for it.
        actor = commune if ward.pk in _thai_hoa_history() else province
        if stage in ("submitted", "returned"):
            _fill_in(assessment, actor, not_met=not_met)
            _take(assessment, actor, "submit")
        if stage == "returned":
            _take(assessment, province, "return", RETURN_COMMENT)
        stdout.write(f"Demo {ward.police_name} {ROUND}: {assessment.stage}.\n")


def _thai_hoa_history() -> set[int]:
    return {unit.pk for unit in tree.lineage_roots(_unit("16939", dt.date(2025, 7, 1)))}


def load_dien_bien(*, criteria_set, stdout) -> None:
    from kieumau.indicators.demo import set_demo_values

    ministry = _user("demo-bo")
    ward = _unit(DIEN_BIEN, OLD_TREE_DAY)
    for year, crimes in ((2023, 20), (2024, 15)):
        set_demo_values(
            unit=ward,
            month_values=month_values(year, crimes=crimes, survey_ok=47, complete=True),
            actor=ministry,
            note="dữ liệu demo: phường Điện Biên",
        )
    assessment = _open(ward, criteria_set, ministry)
    if assessment is None:
        return
    _fill_in(assessment, ministry)
    _take(assessment, ministry, "submit")
    _take(assessment, ministry, "approve", "Thẩm định đạt 20/20 tiêu chí (dữ liệu demo).")
    _take(assessment, ministry, "recognise", **RECOGNITION)
    stdout.write(f"Demo {ward.police_name} {ROUND}: {assessment.outcome_label}, đã công nhận.\n")


def load_demo(*, stdout) -> None:
    """Idempotent: re-running `kieumau demo` must not duplicate anything."""
    from kieumau.assessments.workflow import load_default_workflow

    load_default_workflow()
    criteria_set = _set()
    if criteria_set is None:
        stdout.write(f"Demo đánh giá: chưa có bộ tiêu chí {SET_CODE} {ROUND}, bỏ qua.\n")
    else:
        load_thai_hoa(criteria_set=criteria_set, stdout=stdout)
        load_dien_bien(criteria_set=criteria_set, stdout=stdout)
    try:
        from kieumau.assessments import demo_standing
    except ImportError:
        return
    demo_standing.load_demo(stdout=stdout)
