"""Inspection pages: recording from the forms, follow-up by the ward, the unit page section."""

import datetime as dt

from kieumau.inspections.models import Inspection, Recommendation
from tests.conftest import api_client_for, client_for
from tests.inspections.conftest import recommend


def test_inspector_records_an_inspection_from_the_forms(users):
    client = client_for(users.inspector)
    response = client.post("/inspections/new/", {"title": "Kiểm tra Thái Hòa", "kind": "inspection",
                                                  "date": "2023-04-19", "owner_unit": "40",
                                                  "summary": ""})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == f"/inspections/{inspection.pk}/"
    assert client.post(f"/inspections/{inspection.pk}/visits/",
                       {"unit": "16993", "difficulties": "Thiếu kinh phí"}).status_code == 302
    assert client.post(f"/inspections/{inspection.pk}/recommendations/",
                       {"unit": "16993", "text": "Sửa trụ sở",
                        "due_on": "2023-06-30"}).status_code == 302
    page = client.get(f"/inspections/{inspection.pk}/")
    assert "Thiếu kinh phí" in page.text and "Sửa trụ sở" in page.text


def test_a_missing_due_date_is_explained(users, inspection):
    response = client_for(users.inspector).post(
        f"/inspections/{inspection.pk}/recommendations/", {"unit": "16939", "text": "x"})
    assert response.status_code == 422 and "This field is required" not in response.text
    assert Recommendation.objects.count() == 0


def test_visit_of_a_unit_that_did_not_exist_that_day_is_explained(users, inspection):
    response = client_for(users.inspector).post(f"/inspections/{inspection.pk}/visits/",
                                                {"unit": "99999", "difficulties": ""})
    assert response.status_code == 422 and "Không có đơn vị mã 99999" in response.text


def test_ward_sees_overdue_recommendation_on_its_unit_page(users, inspection):
    recommend(users, inspection)
    page = client_for(users.thaihoa).get("/inspections/units/16939/?as_of=2024-01-01",
                                         HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "1 kiến nghị quá hạn" in page.text and "Sửa chữa trụ sở" in page.text
    assert "Trụ sở chưa đạt chuẩn" in page.text  # the finding


def test_ward_reports_it_done(users, inspection):
    item = recommend(users, inspection)
    response = client_for(users.thaihoa).post(f"/inspections/recommendations/{item.pk}/", {
        "status": "done", "resolution_note": "Đã sửa xong", "resolved_on": "2023-06-20"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.resolved_on) == ("done", dt.date(2023, 6, 20))


def test_closing_without_a_note_is_explained(users, inspection):
    item = recommend(users, inspection)
    response = client_for(users.thaihoa).post(f"/inspections/recommendations/{item.pk}/", {
        "status": "done", "resolution_note": ""})
    assert response.status_code == 422 and "Ghi rõ kết quả thực hiện" in response.text


def test_unit_page_api_and_selector_agree_on_overdue(users, inspection):
    from kieumau.inspections.selectors import overdue_recommendations
    from tests.conftest import unit

    recommend(users, inspection)
    recommend(users, inspection, due=dt.date(2030, 1, 1))
    day = dt.date(2024, 1, 1)
    expected = overdue_recommendations(users.nghean, as_of=day, unit=unit("16939")).count()
    body = api_client_for(users.nghean).get(
        f"/api/recommendations?unit=16939&as_of={day}").json()
    assert (expected, body["overdue"], body["count"]) == (1, 1, 2)


def test_it_checks_scope(users, inspection):
    assert client_for(users.thainguyen).get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client_for(users.thaihoa).get(f"/inspections/{inspection.pk}/").status_code == 404


def test_a_finding_is_removed_from_the_inspection_page(users, inspection):
    from kieumau.inspections.models import Finding

    finding = Finding.objects.get(visit__inspection=inspection)
    client = client_for(users.inspector)
    page = client.get(f"/inspections/{inspection.pk}/")
    assert f'action="/inspections/findings/{finding.pk}/remove/"' in page.text
    response = client.post(f"/inspections/findings/{finding.pk}/remove/")
    assert response.status_code == 302
    assert response.url == f"/inspections/{inspection.pk}/#visit-{finding.visit_id}"
    assert "Trụ sở chưa đạt chuẩn" not in client.get(f"/inspections/{inspection.pk}/").text
