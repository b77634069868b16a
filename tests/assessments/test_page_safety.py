"""The assessment page keeps what a person typed and asks before what cannot be taken back:
an upload (with or without htmx) never loses unsaved judgements; deleting evidence and approving
ask for confirmation on a page that needs no script."""

from kieumau.assessments.models import Assessment
from tests.assessments.conftest import criterion, pdf, ready_to_submit, submitted
from tests.conftest import client_for


def url(assessment, suffix=""):
    return f"/assessments/{assessment.pk}/{suffix}"


def test_upload_without_script_gives_back_what_was_typed(assessment, users):
    tc1, tc2 = (
        criterion(assessment.criteria_set, "TC 1"),
        criterion(assessment.criteria_set, "TC 2"),
    )
    client = client_for(users.thaihoa)
    response = client.post(
        url(assessment, "evidence/"),
        {
            "revision": assessment.revision,
            "criterion": tc1.pk,
            f"file-{tc1.pk}": pdf(),
            f"status-{tc2.pk}": "not_met",
            f"comment-{tc2.pk}": "Trụ sở đang sửa chữa",
        },
    )
    assert response.status_code == 302
    assert assessment.evidence.get().original_name == "nghi-quyet.pdf"
    page = client.get(response["Location"]).text
    assert "Trụ sở đang sửa chữa</textarea>" in page
    assert '<option value="not_met" selected>' in page
    assert 'id="unsaved">' in page  # the "not saved yet" flag is shown, not hidden
    # nothing was saved on the way
    assert assessment.judgements.get(criterion=tc2).self_comment == ""


def test_what_was_typed_comes_back_only_once(assessment, users):
    tc1, tc2 = (
        criterion(assessment.criteria_set, "TC 1"),
        criterion(assessment.criteria_set, "TC 2"),
    )
    client = client_for(users.thaihoa)
    client.post(
        url(assessment, "evidence/"),
        {"criterion": tc1.pk, f"file-{tc1.pk}": pdf(), f"comment-{tc2.pk}": "Ghi chú tạm"},
    )
    assert "Ghi chú tạm" in client.get(url(assessment)).text
    assert "Ghi chú tạm" not in client.get(url(assessment)).text


def test_typed_text_is_dropped_when_the_assessment_changed_since(assessment, users):
    from tests.assessments.conftest import judge

    tc1, tc2 = (
        criterion(assessment.criteria_set, "TC 1"),
        criterion(assessment.criteria_set, "TC 2"),
    )
    client = client_for(users.thaihoa)
    client.post(
        url(assessment, "evidence/"),
        {"criterion": tc1.pk, f"file-{tc1.pk}": pdf(), f"comment-{tc2.pk}": "Ghi chú cũ"},
    )
    judge(assessment, users.nghean, tc2="met")  # someone else saved meanwhile
    page = client.get(url(assessment)).text
    assert "Ghi chú cũ" not in page
    assert 'id="unsaved" hidden' in page


def test_htmx_upload_answers_with_the_evidence_cell_only(assessment, users):
    tc1 = criterion(assessment.criteria_set, "TC 1")
    response = client_for(users.thaihoa).post(
        url(assessment, "evidence/"),
        {"criterion": tc1.pk, f"file-{tc1.pk}": pdf()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "nghi-quyet.pdf" in response.text
    assert "Đã tải lên minh chứng." in response.text
    assert "<html" not in response.text
    assert 'id="missing-slot" hx-swap-oob="true"' in response.text
    assert 'name="comment-' not in response.text  # the typed fields are not replaced


def test_htmx_upload_without_a_file_explains_in_the_cell(assessment, users):
    tc1 = criterion(assessment.criteria_set, "TC 1")
    response = client_for(users.thaihoa).post(
        url(assessment, "evidence/"), {"criterion": tc1.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "Chọn tệp minh chứng" in response.text
    assert not assessment.evidence.exists()


def test_refused_upload_without_script_keeps_the_typed_text(assessment, users):
    tc1, tc2 = (
        criterion(assessment.criteria_set, "TC 1"),
        criterion(assessment.criteria_set, "TC 2"),
    )
    response = client_for(users.thaihoa).post(
        url(assessment, "evidence/"),
        {
            "criterion": tc1.pk,
            f"file-{tc1.pk}": pdf("x.pdf", b"hello"),
            f"comment-{tc2.pk}": "Giải trình dài",
        },
    )
    assert response.status_code == 422
    assert "không phải loại được nhận" in response.text
    assert "Giải trình dài</textarea>" in response.text


def test_delete_asks_first_and_keeps_the_file(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    response = client_for(users.thaihoa).post(f"/assessments/evidence/{item.pk}/delete/")
    assert response.status_code == 200
    assert "Xóa tệp minh chứng “nghi-quyet.pdf” của tiêu chí TC 1?" in response.text
    assert 'name="confirmed" value="1"' in response.text
    assert assessment.evidence.exists()


def test_delete_cancelled_keeps_the_file_and_the_typed_text(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    tc2 = criterion(assessment.criteria_set, "TC 2")
    client = client_for(users.thaihoa)
    asked = client.post(
        f"/assessments/evidence/{item.pk}/delete/", {f"comment-{tc2.pk}": "Chưa lưu"}
    )
    assert f'name="comment-{tc2.pk}" value="Chưa lưu"' in asked.text  # carried through
    response = client.post(
        f"/assessments/evidence/{item.pk}/delete/", {"cancel": "1", f"comment-{tc2.pk}": "Chưa lưu"}
    )
    assert response.status_code == 302
    assert assessment.evidence.exists()
    assert "Chưa lưu</textarea>" in client.get(url(assessment)).text


def test_approve_asks_first(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    response = client_for(users.nghean).post(
        url(assessment, "step/"), {"action": "approve", "revision": assessment.revision}
    )
    assert response.status_code == 200
    assert "Hồ sơ và số liệu của kỳ sẽ bị khóa" in response.text
    assert Assessment.objects.get(pk=assessment.pk).stage == "submitted"


def test_approve_once_confirmed(assessment, users):
    submitted(assessment, users)
    assessment.refresh_from_db()
    response = client_for(users.nghean).post(
        url(assessment, "step/"),
        {"action": "approve", "revision": assessment.revision, "confirmed": "1"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).stage == "approved"


def test_it_checks_scope(assessment, users):
    ready_to_submit(assessment, users)
    item = assessment.evidence.get()
    client = client_for(users.thainguyen)
    assert client.post(f"/assessments/evidence/{item.pk}/delete/").status_code == 404
    assert client.post(url(assessment, "step/"), {"action": "approve"}).status_code == 404
