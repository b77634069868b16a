import datetime as dt
import io

import pytest

from kieumau.assessments.models import Assessment, Evidence, Transition


@pytest.fixture
def demo(db):
    from kieumau.assessments.demo import load_demo
    from kieumau.criteria.demo import load_demo as load_criteria
    from kieumau.demo.data import ensure_demo_accounts
    from kieumau.indicators.demo import load_demo as load_indicators

    out = io.StringIO()
    ensure_demo_accounts(today=dt.date(2026, 11, 23))
    load_indicators(stdout=out)
    load_criteria(stdout=out)
    load_demo(stdout=out)
    return load_demo


def stages() -> dict[str, str]:
    return {
        a.unit.name: a.stage
        for a in Assessment.objects.select_related("unit").filter(
            criteria_set__code="phuong-kieu-mau", period_end__year=2024
        )
    }


def test_thai_hoa_wards_are_in_progress_and_dien_bien_recognised(demo):
    assert stages() == {
        "Phường Hoà Hiếu": "submitted",
        "Phường Quang Phong": "submitted",
        "Phường Long Sơn": "returned",
        "Phường Quang Tiến": "draft",
        "Phường Điện Biên": "recognised",
    }


def test_dien_bien_recognition_says_it_is_demo(demo):
    dien_bien = Assessment.objects.select_related("recognition").get(unit__code="00019")
    assert dien_bien.recognition.decision_number == "2878/QĐ-BCA"
    assert dien_bien.recognition.decision_date == dt.date(2025, 4, 22)
    assert "demo" in dien_bien.recognition.note
    assert (dien_bien.met_count, dien_bien.total_count, dien_bien.qualifies) == (20, 20, True)


def test_loading_twice_changes_nothing(demo):
    counts = (Assessment.objects.count(), Evidence.objects.count(), Transition.objects.count())
    demo(stdout=io.StringIO())
    assert (
        Assessment.objects.count(),
        Evidence.objects.count(),
        Transition.objects.count(),
    ) == counts


def test_loading_again_after_a_new_version_of_the_set_changes_nothing(demo, users):
    from kieumau.criteria.models import CriteriaSet
    from kieumau.criteria.services import update_set_fields

    for version in ("2023", "2024"):
        update_set_fields(
            actor=users.ministry,
            criteria_set=CriteriaSet.objects.get(code="phuong-kieu-mau", version=version),
            changes={"source_note": "Sửa đổi (thử)"},
        )
    counts = (Assessment.objects.count(), Evidence.objects.count(), Transition.objects.count())
    demo(stdout=io.StringIO())
    assert (
        Assessment.objects.count(),
        Evidence.objects.count(),
        Transition.objects.count(),
    ) == counts
