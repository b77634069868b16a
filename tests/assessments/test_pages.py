import pytest

from kieumau.assessments.models import Assessment
from tests.assessments.conftest import (
    approved,
    criterion,
    open_assessment,
    pdf,
    ready_to_submit,
    submitted,
)
from tests.conftest import client_for


def url(assessment, suffix=""):
    return f"/assessments/{assessment.pk}/{suffix}"


def test_list_shows_assessments_in_scope(assessment, users):
    response = client_for(users.nghean).get("/assessments/")
    assert "Công an phường Thái Hòa" in response.text
    assert "Đang tự đánh giá" in response.text


def test_list_hides_assessments_out_of_scope(assessment, users):
    response = client_for(users.thainguyen).get("/assessments/")
    assert "Công an phường Thái Hòa" not in response.text


def test_list_filters_by_stage(assessment, users):
    response = client_for(users.nghean).get("/assessments/?stage=approved")
    assert "Công an phường Thái Hòa" not in response.text


def test_list_queries_do_not_grow_with_assessments(users, ward_set, django_assert_max_num_queries):
    for code, year in (("16939", 2025), ("16939", 2024), ("16993", 2024), ("17003", 2024)):
        open_assessment(users, ward_set, code=code, year=year, actor=users.nghean)
    client = client_for(users.nghean)
    with django_assert_max_num_queries(10):
        response = client.get("/assessments/")
    assert response.status_code == 200
    from kieumau.assessments.models import Assessment

    for pk in Assessment.objects.values_list("pk", flat=True):
        assert f'href="/assessments/{pk}/"' in response.text


def test_province_officer_sees_the_review_queue(assessment, users):
    submitted(assessment, users)
    response = client_for(users.nghean).get("/assessments/")
    assert "Chờ thẩm định (1)" in response.text


def test_commune_officer_has_no_review_queue(assessment, users):
    submitted(assessment, users)
    response = client_for(users.thaihoa).get("/assessments/")
    assert "Chờ thẩm định (" not in response.text


def test_create_page_opens_the_assessment(ward_set, users):
    response = client_for(users.thaihoa).post(
        "/assessments/new/", {"unit": "16939", "criteria_set": ward_set.pk, "year": 2025}
    )
    created = Assessment.objects.visible_to(users.thaihoa).get()
    assert response.status_code == 302
    assert response["Location"] == url(created)
    assert (created.period_start.isoformat(), created.period_end.isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )


def test_create_page_opens_the_existing_one_again(assessment, users, ward_set):
    response = client_for(users.nghean).post(
        "/assessments/new/", {"unit": "16939", "criteria_set": ward_set.pk, "year": 2025}
    )
    assert response["Location"] == url(assessment)


def test_create_page_says_when_the_unit_did_not_exist(ward_set, users):
    response = client_for(users.nghean).post(
        "/assessments/new/", {"unit": "16993", "criteria_set": ward_set.pk, "year": 2025}
    )
    assert response.status_code == 404
    assert "Không có đơn vị mã 16993 vào ngày 31/12/2025" in response.text


def test_detail_shows_result_groups_and_actions(assessment, users):
    ready_to_submit(assessment, users)
    response = client_for(users.thaihoa).get(url(assessment))
    text = response.text
    assert "2/3 tiêu chí" in text
    assert "I. Xây dựng lực lượng" in text
    assert "nghi-quyet.pdf" in text
    assert "Gửi thẩm định" in text
    assert "Thẩm định đạt yêu cầu" not in text


def test_reviewer_sees_review_controls_and_actions(assessment, users):
    submitted(assessment, users)
    text = client_for(users.nghean).get(url(assessment)).text
    assert "Lưu thẩm định" in text
    assert "Trả lại để bổ sung" in text
    assert "Thẩm định đạt yêu cầu" in text


def test_viewer_in_scope_sees_no_forms(users, ward_set):
    old = open_assessment(users, ward_set, code="01840", year=2024, actor=users.thainguyen)
    text = client_for(users.viewer).get(url(old)).text
    assert "Công an phường Đức Xuân" in text
    assert 'id="judgements"' not in text
    assert "Tải lên" not in text


def test_saving_judgements_from_the_page(assessment, users):
    tc2 = criterion(assessment.criteria_set, "TC 2")
    response = client_for(users.thaihoa).post(
        url(assessment, "judgements/"),
        {
            "revision": assessment.revision,
            f"status-{tc2.pk}": "met",
            f"comment-{tc2.pk}": "Trụ sở mới",
        },
    )
    assert response.status_code == 302
    row = assessment.judgements.get(criterion=tc2)
    assert (row.self_status, row.self_comment) == ("met", "Trụ sở mới")


def test_stale_page_gets_a_conflict_and_keeps_the_input(assessment, users):
    tc2 = criterion(assessment.criteria_set, "TC 2")
    stale = assessment.revision
    client_for(users.nghean).post(
        url(assessment, "judgements/"),
        {"revision": stale, f"status-{tc2.pk}": "not_met", f"comment-{tc2.pk}": "Tỉnh ghi trước"},
    )
    response = client_for(users.thaihoa).post(
        url(assessment, "judgements/"),
        {"revision": stale, f"status-{tc2.pk}": "met", f"comment-{tc2.pk}": "Xã ghi sau"},
    )
    assert response.status_code == 409
    assert "Hồ sơ đã được người khác cập nhật lúc" in response.text
    assert "tải lại để xem thay đổi" in response.text
    assert "Xã ghi sau" in response.text
    assert assessment.judgements.get(criterion=tc2).self_comment == "Tỉnh ghi trước"


def test_submit_from_the_page_lists_what_is_missing(assessment, users):
    response = client_for(users.thaihoa).post(
        url(assessment, "step/"), {"action": "submit", "revision": assessment.revision}
    )
    assert response.status_code == 422
    assert "thiếu minh chứng: TC 1" in response.text


def test_return_from_the_page_then_unit_sees_the_comment(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    response = client_for(users.nghean).post(
        url(assessment, "step/"),
        {"action": "return", "revision": assessment.revision, "comment": "Thiếu ảnh trụ sở"},
    )
    assert response.status_code == 302
    text = client_for(users.thaihoa).get(url(assessment)).text
    assert "Bị trả lại" in text
    assert "Thiếu ảnh trụ sở" in text
    assert "Gửi lại thẩm định" in text


def test_commune_officer_cannot_approve_from_the_page(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    response = client_for(users.thaihoa).post(
        url(assessment, "step/"), {"action": "approve", "revision": assessment.revision}
    )
    assert response.status_code == 403
    assert "Chỉ cấp trên của đơn vị" in response.text


def test_approved_page_shows_the_locked_state(assessment, users):
    approved(assessment, users)
    text = client_for(users.thaihoa).get(url(assessment)).text
    assert "Hồ sơ đã khóa" in text
    assert "Tải lên" not in text
    assert "3 tiêu chí" in text


def test_recognition_from_the_page(assessment, users):
    approved(assessment, users)
    assessment.refresh_from_db()
    response = client_for(users.ministry).post(
        url(assessment, "step/"),
        {
            "action": "recognise",
            "revision": assessment.revision,
            "decision_number": "2878/QĐ-BCA",
            "decision_date": "2026-04-22",
            "issuing_body": "Bộ trưởng Bộ Công an",
        },
    )
    assert response.status_code == 302
    text = client_for(users.nghean).get(url(assessment)).text
    assert "Đã công nhận: quyết định số 2878/QĐ-BCA ngày 22/04/2026" in text


def test_upload_from_the_page(assessment, users):
    tc1 = criterion(assessment.criteria_set, "TC 1")
    response = client_for(users.thaihoa).post(
        url(assessment, "evidence/"), {"criterion": tc1.pk, "file": pdf()}
    )
    assert response.status_code == 302
    assert assessment.evidence.get().original_name == "nghi-quyet.pdf"


def test_refused_upload_is_explained(assessment, users):
    tc1 = criterion(assessment.criteria_set, "TC 1")
    response = client_for(users.thaihoa).post(
        url(assessment, "evidence/"), {"criterion": tc1.pk, "file": pdf("x.pdf", b"hello")}
    )
    assert response.status_code == 422
    assert "không phải loại được nhận" in response.text


def test_download_is_an_attachment_with_the_detected_type(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    response = client_for(users.nghean).get(f"/assessments/evidence/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_delete_from_the_page(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    response = client_for(users.thaihoa).post(
        f"/assessments/evidence/{item.pk}/delete/", {"confirmed": "1"}
    )
    assert response.status_code == 302
    assert not assessment.evidence.exists()


@pytest.mark.parametrize("path", ["", "judgements/", "step/", "evidence/"])
def test_it_checks_scope(assessment, users, path):
    client = client_for(users.thainguyen)
    response = client.get(url(assessment)) if not path else client.post(url(assessment, path), {})
    assert response.status_code == 404


def test_download_checks_scope(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    assert client_for(users.thainguyen).get(f"/assessments/evidence/{item.pk}/").status_code == 404
    assert client_for(users.viewer).get(f"/assessments/evidence/{item.pk}/").status_code == 404
    assert client_for(users.inspector).get(f"/assessments/evidence/{item.pk}/").status_code == 200
