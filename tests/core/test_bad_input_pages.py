"""Pages given what no person types: a Vietnamese answer, never a 500."""

import pytest

from tests.assessments.conftest import ward_set  # noqa: F401  (a fixture)
from tests.conftest import client_for


def get(user, path):
    client = client_for(user)
    client.raise_request_exception = False
    return client.get(path)


@pytest.mark.parametrize("path", ["/units/?q=a%00b", "/units/16%0039/",
                                  "/indicators/values/?unit=16939%00"])
def test_a_nul_character_is_refused_with_a_page_naming_it(users, path):
    response = get(users.nghean, path)
    assert response.status_code == 422
    assert "Không được chứa ký tự NUL" in response.text
    assert "Yêu cầu không hợp lệ" in response.text


def test_a_query_value_longer_than_any_field_is_refused(users):
    response = get(users.nghean, "/units/?q=" + "a" * 4001)
    assert response.status_code == 422
    assert "tối đa 4000 ký tự" in response.text
    assert get(users.nghean, "/units/?q=" + "a" * 4000).status_code == 200


def test_a_multipart_post_without_a_boundary_is_a_400_page(users):
    client = client_for(users.thaihoa)
    client.raise_request_exception = False
    response = client.generic("POST", "/assessments/1/evidence/", b"--x\r\n",
                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert "thiếu boundary" in response.text


@pytest.mark.parametrize("path", [
    "/indicators/values/?month=9999-12&unit=16939",
    "/indicators/values/?month=9999-12",
    "/indicators/compare/?to=9999-12&unit=16939",
])
def test_a_month_out_of_range_is_reported_not_a_500(users, path):
    response = get(users.nghean, path)
    assert response.status_code == 200
    assert "9999-12" in response.text


def test_a_template_for_a_month_out_of_range_is_refused_with_a_message(users):
    client = client_for(users.nghean)
    response = client.get("/indicators/template/?to=9999-12&unit=16939", follow=True)
    assert response.status_code == 200
    assert "Kỳ không hợp lệ: «9999-12»" in response.text


@pytest.mark.parametrize("as_of", ["9999-12-31", "0", "1999-12-31"])
def test_the_standing_page_reports_a_date_out_of_range(users, ward_set, as_of):  # noqa: F811
    response = get(users.nghean, f"/assessments/units/16939/standing/?as_of={as_of}")
    assert response.status_code == 200
    assert f"Ngày “{as_of}” không hợp lệ" in response.text


@pytest.mark.parametrize("year", ["10000", "-1", "1999"])
def test_the_assessment_list_reports_a_year_out_of_range(users, year):
    response = get(users.nghean, f"/assessments/?year={year}")
    assert response.status_code == 200
    assert f"Năm “{year}” không hợp lệ: cần từ 2000 đến 2100." in response.text


def test_sign_in_refuses_a_huge_username_without_storing_it(db):
    from django.test import Client

    from kieumau.accounts.models import SignInFailure

    response = Client().post("/accounts/sign-in/", {"username": "x" * 50_000, "password": "p"})
    assert response.status_code == 200
    assert "tối đa 150 ký tự" in response.text
    assert not SignInFailure.objects.exists()
