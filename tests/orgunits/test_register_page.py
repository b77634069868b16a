from kieumau.orgunits.models import OrgUnit
from tests.conftest import client_for, unit

DATA = {"name": "Khối 5", "kind": "khu_dan_cu", "valid_from": "2026-01-01"}


def test_commune_officer_registers_a_residential_area(users):
    response = client_for(users.thaihoa).post("/units/16939/register/", DATA)
    assert response.status_code == 302
    area = OrgUnit.objects.get(name="Khối 5")
    assert (area.kind, area.level, area.code) == ("khu_dan_cu", "grassroots", "16939-001")
    page = client_for(users.thaihoa).get(response["Location"])
    assert "Khối 5" in page.text


def test_bad_kind_is_refused_in_vietnamese(users):
    client = client_for(users.thaihoa)
    response = client.post("/units/16939/register/", {**DATA, "kind": "tinh"}, follow=True)
    assert not OrgUnit.objects.filter(name="Khối 5").exists()
    assert response.redirect_chain[-1][0].startswith("/units/16939/")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Hãy chọn một lựa chọn hợp lệ. tinh không phải là một trong các lựa chọn khả thi."
    ]
    assert '<li class="error">Hãy chọn một lựa chọn hợp lệ.' in response.text


def test_the_form_shows_only_to_writers_on_a_commune(users):
    assert "Đăng ký đơn vị cơ sở" in client_for(users.thaihoa).get("/units/16939/").text
    assert "Đăng ký đơn vị cơ sở" not in client_for(users.inspector).get("/units/16939/").text
    assert "Đăng ký đơn vị cơ sở" not in client_for(users.nghean).get("/units/40/").text


def test_viewer_cannot_register(users):
    response = client_for(users.viewer).post("/units/01840/register/", DATA)
    assert response.status_code == 403


def test_it_checks_scope(users):
    response = client_for(users.thaihoa).post("/units/01840/register/", DATA)
    assert response.status_code == 404
    assert unit("01840").pk and not OrgUnit.objects.filter(name="Khối 5").exists()
