"""GET /api/orgunits/{code}/standing: the shape outside tools rely on, and codes read by date."""

import pytest

from tests.assessments.test_evaluation import catalogue  # noqa: F401
from tests.assessments.test_standing import duc_xuan_2023
from tests.conftest import api_client_for

pytestmark = pytest.mark.usefixtures("catalogue")
URL = "/api/orgunits/01840/standing"


def get(user, **params):
    return api_client_for(user).get(URL, params)


def test_shape_of_the_answer(users):
    duc_xuan_2023(users)
    body = get(users.thainguyen, set="phuong-kieu-mau", year=2023).json()
    assert set(body) >= {"unit", "set", "version", "period", "met", "total", "outcome", "criteria"}
    assert body["unit"] == "01840"
    assert body["set"] == "phuong-kieu-mau"
    assert body["period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    assert (body["met"], body["total"]) == (21, 22)
    assert body["outcome"] == "21/22 tiêu chí — chưa đạt"
    assert len(body["criteria"]) == 22
    first = body["criteria"][0]
    assert set(first) >= {"code", "title", "status", "explanation"}
    assert first["status"] in ("met", "not_met", "no_data", "manual")


def test_an_old_code_with_an_old_year_reads_the_old_unit(users):
    duc_xuan_2023(users)
    body = get(users.thainguyen, set="phuong-kieu-mau", year=2023).json()
    assert body["unit_name"] == "Phường Đức Xuân"
    assert body["version"] == "2023"
    assert body["stage"] == "approved" and body["provisional"] is False
    tc4 = next(c for c in body["criteria"] if c["code"] == "TC 4")
    assert tc4["status"] == "not_met"
    assert "Trụ sở Công an phường đang bố trí tạm" in tc4["explanation"]
    tc17 = next(c for c in body["criteria"] if c["code"] == "TC 17")
    assert tc17["explanation"].startswith("Đạt: 12 < 19")


def test_the_same_code_in_2026_reads_todays_unit_evaluated_live(users):
    duc_xuan_2023(users)
    body = get(users.thainguyen, set="phuong-kieu-mau", year=2026).json()
    assert body["unit"] == "01840"
    assert body["version"] == "2024"
    assert body["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert body["total"] == 20
    assert body["provisional"] is True and body["stage"] is None


def test_version_can_be_asked_for(users):
    body = get(users.thainguyen, set="phuong-kieu-mau", year=2026, version="2023").json()
    assert body["version"] == "2023" and body["total"] == 22


def test_unknown_set_is_404_with_a_message(users):
    response = get(users.thainguyen, set="khong-co", year=2023)
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có bộ tiêu chí “khong-co”."


def test_unknown_version_is_404(users):
    response = get(users.thainguyen, set="phuong-kieu-mau", year=2023, version="1999")
    assert response.status_code == 404
    assert "không có phiên bản “1999”" in response.json()["detail"]


def test_a_year_before_any_version_is_404(users):
    response = get(users.thainguyen, set="phuong-kieu-mau", year=2020)
    assert response.status_code == 404
    assert "chưa có phiên bản nào áp dụng cho năm 2020" in response.json()["detail"]


def test_a_silly_year_is_422_naming_the_field(users):
    response = get(users.thainguyen, set="phuong-kieu-mau", year=20230)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"


def test_set_is_required(users):
    assert api_client_for(users.thainguyen).get(URL).status_code == 422


def test_the_unit_route_still_answers(users):
    response = api_client_for(users.thainguyen).get("/api/orgunits/01840")
    assert response.status_code == 200
    assert response.json()["code"] == "01840"


def test_it_checks_scope(users):
    duc_xuan_2023(users)
    assert get(users.nghean, set="phuong-kieu-mau", year=2023).status_code == 404
    assert get(users.viewer, set="phuong-kieu-mau", year=2023).status_code == 200
    assert api_client_for(None).get(URL, {"set": "phuong-kieu-mau"}).status_code == 401
