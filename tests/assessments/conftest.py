"""Builders for assessment tests: a small published set for wards, and assessments opened through
the services, as the people using kieumau open them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import unit

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def pdf(name: str = "nghi-quyet.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def ward_set(users):
    """A published set for wards over the calendar year: TC 1 manual with evidence, TC 2 manual,
    TC 3 computed from crime reports handled."""
    from kieumau.criteria.services import create_set
    from kieumau.criteria.spec import CriterionSpec, GroupSpec, SetSpec
    from kieumau.indicators.services import load_indicators

    load_indicators()
    spec = SetSpec(
        code="phuong-thu",
        year=2024,
        title="Phường thử nghiệm",
        applies_to_kinds=("phuong",),
        groups=(
            GroupSpec(code="I", title="Xây dựng lực lượng"),
            GroupSpec(code="II", title="Phòng, chống tội phạm"),
        ),
        criteria=(
            CriterionSpec(code="TC 1", title="Có nghị quyết", evidence_required=True, group="I"),
            CriterionSpec(code="TC 2", title="Trụ sở đạt chuẩn", group="I"),
            CriterionSpec(
                code="TC 3",
                title="Giải quyết tin báo",
                kind="indicator_rule",
                expression="tin_bao_da_xu_ly >= 1",
                group="II",
            ),
        ),
    )
    return create_set(actor=users.ministry, spec=spec, status="published")


def criterion(criteria_set, code: str):
    return criteria_set.criteria.get(code=code)


def open_assessment(users, ward_set, *, code="16939", year=2025, actor=None):
    from kieumau.assessments.services import create_assessment

    day = dt.date(year, 12, 31)
    return create_assessment(
        actor=actor or users.thaihoa, unit=unit(code, day), criteria_set=ward_set, year=year
    )


@pytest.fixture
def assessment(users, ward_set):
    """Phường Thái Hòa (Nghệ An), 2025, in draft."""
    return open_assessment(users, ward_set)


def judge(assessment, actor, **statuses):
    """judge(a, user, tc1="met", tc2="not_met"): save judgements at the current revision."""
    from kieumau.assessments.services import JudgementInput, save_judgements

    items = []
    for key, status in statuses.items():
        c = criterion(assessment.criteria_set, f"TC {key[2:]}")
        items.append(JudgementInput(criterion_id=c.pk, status=status, comment=f"ý kiến {key}"))
    return save_judgements(
        actor=actor, assessment=assessment, expected_revision=assessment.revision, items=items
    )


def step(assessment, actor, action, comment="", **recognition):
    from kieumau.assessments.workflow import RecognitionInput, apply_transition

    given = RecognitionInput(**recognition) if recognition else None
    return apply_transition(
        actor=actor,
        assessment=assessment,
        action=action,
        expected_revision=assessment.revision,
        comment=comment,
        recognition=given,
    )


def ready_to_submit(assessment, users):
    from kieumau.assessments.evidence import upload_evidence

    judge(assessment, users.thaihoa, tc1="met", tc2="met")
    upload_evidence(
        actor=users.thaihoa,
        assessment=assessment,
        criterion_id=criterion(assessment.criteria_set, "TC 1").pk,
        upload=pdf(),
    )
    return assessment


def submitted(assessment, users):
    ready_to_submit(assessment, users)
    step(assessment, users.thaihoa, "submit")
    return assessment


def approved(assessment, users):
    submitted(assessment, users)
    step(assessment, users.nghean, "approve")
    return assessment


RECOGNITION = {
    "decision_number": "2878/QĐ-BCA",
    "decision_date": dt.date(2026, 4, 22),
    "issuing_body": "Bộ trưởng Bộ Công an",
}


def enter_value(actor, unit_, code: str, month: dt.date, value) -> None:
    from kieumau.indicators.models import Indicator
    from kieumau.indicators.services import set_value

    set_value(
        actor=actor,
        unit=unit_,
        indicator=Indicator.objects.get(code=code),
        month=month,
        value=Decimal(value),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

from tests.committed import committed  # noqa: E402, F401  (fixture: data committed for real)
