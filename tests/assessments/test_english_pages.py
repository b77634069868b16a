"""In English the assessment pages name stages, steps and outcomes in English (workflow YAML
name_en, outcome words through gettext); in Vietnamese the stored words are shown unchanged."""

from tests.assessments.conftest import approved
from tests.conftest import client_for


def english(user):
    client = client_for(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_stage_and_steps_in_english(assessment, users):
    text = english(users.thaihoa).get(f"/assessments/{assessment.pk}/").text
    assert "Self-assessment" in text
    assert "Submit for review" in text
    assert "Đang tự đánh giá" not in text


def test_outcome_in_english_on_the_list(assessment, users):
    approved(assessment, users)
    text = english(users.nghean).get("/assessments/").text
    assert "criteria —" in text
    assert "tiêu chí —" not in text
    assert "Reviewed" in text


def test_outcome_in_vietnamese_is_the_stored_label(assessment, users):
    approved(assessment, users)
    assessment.refresh_from_db()
    text = client_for(users.nghean).get("/assessments/").text
    assert assessment.outcome_label in text


def test_outcome_words_translate():
    from django.utils import translation

    from kieumau.criteria.outcome import describe

    with translation.override("en"):
        assert describe(kind="all", met=21, total=22, qualifies=False) == "21/22 criteria — not met"
        assert describe(kind="at_least", met=30, total=34, qualifies=True, needed=28) == (
            "30/34 criteria (needs 28) — met"
        )
    with translation.override("vi"):
        assert (
            describe(kind="all", met=21, total=22, qualifies=False) == "21/22 tiêu chí — chưa đạt"
        )
