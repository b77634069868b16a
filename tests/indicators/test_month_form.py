import datetime as dt

from kieumau.core.models import AuditEvent
from kieumau.indicators import services
from kieumau.indicators.models import IndicatorValue
from tests.conftest import client_for, unit
from tests.indicators.conftest import OCTOBER, save, stored

URL = "/indicators/values/?unit=16939&month=2026-10"


def test_form_shows_every_indicator_with_who_changed_it(users, catalogue):
    save(users.nghean, unit("16939"), OCTOBER, toi_pham_ttxh=3)
    response = client_for(users.thaihoa).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('name="v_') == 30
    assert 'value="3"' in page
    assert "nghean" in page


def test_saving_all_at_once(users, catalogue):
    response = client_for(users.thaihoa).post(
        URL,
        {
            "v_toi_pham_ttxh": "4",
            "r_toi_pham_ttxh": "0",
            "v_khao_sat_phieu": "120",
            "v_nghi_quyet_dang_uy": "1",
            "v_chay_no": "",
        },
    )
    assert response.status_code == 302
    assert stored(unit("16939"), "toi_pham_ttxh", OCTOBER) == 4
    assert stored(unit("16939"), "nghi_quyet_dang_uy", OCTOBER) == 1
    assert IndicatorValue.objects.count() == 3
    assert AuditEvent.objects.filter(action="indicators.values_saved").count() == 1


def test_bad_values_are_named_and_nothing_is_saved(users, catalogue):
    response = client_for(users.thaihoa).post(
        URL,
        {
            "v_toi_pham_ttxh": "4",
            "v_tin_bao_tiep_nhan": "mười",
            "v_nghi_quyet_dang_uy": "2",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "Tin báo, tố giác về tội phạm đã tiếp nhận (tin_bao_tiep_nhan): «mười» không phải là số"
        in page
    )
    assert "chỉ nhận 0 (không) hoặc 1 (có)" in page
    assert 'value="mười"' in page  # what was typed stays in the field
    assert not IndicatorValue.objects.exists()


def test_locked_value_is_shown_disabled_and_refused(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    services.lock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None)
    client = client_for(users.thaihoa)
    page = client.get(URL).content.decode()
    assert "Tháng này đã khóa" in page
    assert page.count("disabled") == 30 and "Lưu tất cả" not in page
    # A forged post for the locked field is ignored, not written.
    client.post(URL, {"v_toi_pham_ttxh": "9"})
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 3


def test_someone_elses_newer_change_is_not_overwritten(users, catalogue):
    thai_hoa = unit("16939")
    save(users.nghean, thai_hoa, OCTOBER, toi_pham_ttxh=3)
    response = client_for(users.thaihoa).post(URL, {"v_toi_pham_ttxh": "5", "r_toi_pham_ttxh": "0"})
    assert response.status_code == 409  # a conflict, as on the assessment page
    page = response.content.decode()
    assert "người khác vừa sửa" in page
    assert "Số liệu đã được người khác cập nhật lúc" in page
    assert stored(thai_hoa, "toi_pham_ttxh", OCTOBER) == 3


def test_viewer_sees_values_but_cannot_save(users, catalogue):
    client = client_for(users.viewer)
    url = "/indicators/values/?unit=01840&month=2026-10"
    assert client.get(url).status_code == 200
    assert client.post(url, {"v_toi_pham_ttxh": "1"}).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_code_is_resolved_as_of_the_month(users, catalogue):
    client = client_for(users.thainguyen)
    response = client.get("/indicators/values/?unit=01840&month=2023-05")
    assert response.status_code == 200
    client.post("/indicators/values/?unit=01840&month=2023-05", {"v_toi_pham_ttxh": "2"})
    old = unit("01840", dt.date(2023, 5, 31))
    assert stored(old, "toi_pham_ttxh", dt.date(2023, 5, 1)) == 2
    assert old != unit("01840")


def test_commune_officer_gets_their_unit_by_default(users, catalogue):
    response = client_for(users.thaihoa).get("/indicators/values/?month=2026-10")
    assert response.context["unit"] == unit("16939")


def test_bad_month_is_reported(users, catalogue):
    response = client_for(users.thaihoa).get("/indicators/values/?unit=16939&month=2026-13")
    assert "không hợp lệ" in response.content.decode()


def test_it_checks_scope(users, catalogue):
    assert (
        client_for(users.thaihoa).get("/indicators/values/?unit=01840&month=2026-10").status_code
        == 404
    )
    assert (
        client_for(users.nghean)
        .post("/indicators/values/?unit=01840&month=2026-10", {"v_toi_pham_ttxh": "1"})
        .status_code
        == 404
    )
    assert not IndicatorValue.objects.exists()


def test_index_page_lists_the_catalogue(users, catalogue, django_assert_max_num_queries):
    client = client_for(users.nghean)
    with django_assert_max_num_queries(12):
        response = client.get("/indicators/")
    assert response.status_code == 200
    assert "toi_pham_ttxh" in response.content.decode()


def test_nav_links_to_indicators(users, catalogue):
    assert 'href="/indicators/"' in client_for(users.viewer).get("/").content.decode()
