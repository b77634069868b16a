from tests.conftest import api_client_for


def get(user, url):
    return api_client_for(user).get(url)


def test_provinces_as_of_dates(users):
    before = get(users.ministry, "/api/orgunits?level=province&as_of=2025-06-30").json()
    after = get(users.ministry, "/api/orgunits?level=province&as_of=2025-07-01").json()
    assert (before["count"], after["count"]) == (63, 34)


def test_item_shape(users):
    body = get(users.ministry, "/api/orgunits?q=duc+xuan&as_of=2024-01-01").json()
    assert body["items"][0] == {
        "code": "01840", "name": "Phường Đức Xuân", "level": "commune", "kind": "phuong",
        "parent": "058", "valid_from": None, "valid_to": "2025-06-30",
    }


def test_search_ignores_diacritics_and_case(users):
    body = get(users.thainguyen, "/api/orgunits?q=DUC%20xuan").json()
    assert [item["name"] for item in body["items"]] == ["Phường Đức Xuân"]


def test_parent_filter_lists_children_on_the_date(users):
    body = get(users.ministry, "/api/orgunits?parent=414&as_of=2025-01-01&limit=50").json()
    names = {item["name"] for item in body["items"]}
    assert {"Phường Hoà Hiếu", "Phường Quang Phong", "Phường Long Sơn"} <= names
    assert all(item["parent"] == "414" for item in body["items"])


def test_limit_and_offset_page_through(users):
    first = get(users.ministry, "/api/orgunits?level=province&limit=10").json()
    second = get(users.ministry, "/api/orgunits?level=province&limit=10&offset=10").json()
    assert first["count"] == second["count"] == 34
    assert len(first["items"]) == 10
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}


def test_list_is_limited_to_scope(users):
    body = get(users.nghean, "/api/orgunits?level=province").json()
    assert [item["code"] for item in body["items"]] == ["40"]


def test_history_of_tran_phu_shows_its_successor(users):
    body = get(users.ministry, "/api/orgunits/07213/history?as_of=2025-06-30").json()
    assert body["predecessors"] == []
    assert body["successors"] == [{
        "code": "07210", "name": "Phường Bắc Giang", "level": "commune",
        "valid_from": "2025-07-01", "valid_to": None, "date": "2025-07-01",
        "change": "merge", "partial": False,
    }]


def test_unit_uses_as_of_for_reused_codes(users):
    old = get(users.ministry, "/api/orgunits/16939?as_of=2025-06-30").json()
    new = get(users.ministry, "/api/orgunits/16939?as_of=2025-07-01").json()
    assert (old["name"], new["name"]) == ("Phường Hoà Hiếu", "Phường Thái Hòa")
    assert new["ancestors"] == ["BCA", "40"]


def test_commune_officer_of_nghe_an_gets_404_for_thai_nguyen(users):
    response = get(users.thaihoa, "/api/orgunits/01840")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy hoặc ngoài phạm vi của bạn."}


def test_out_of_scope_and_missing_look_the_same(users):
    hidden = get(users.thaihoa, "/api/orgunits/01840")
    missing = get(users.thaihoa, "/api/orgunits/99999")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_commune_officer_sees_the_wards_that_merged_into_theirs(users):
    response = get(users.thaihoa, "/api/orgunits/16993?as_of=2025-01-01")
    assert response.status_code == 200
    assert response.json()["name"] == "Phường Quang Phong"


def test_bad_date_is_a_422_naming_the_field_in_vietnamese(users):
    response = get(users.ministry, "/api/orgunits?as_of=2025-13-01")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any("as_of" in (error["field"] or "") for error in errors)
    assert errors[0]["message"] == (
        "Ngày không hợp lệ: cần dạng YYYY-MM-DD, từ 2000-01-01 đến 2100-12-31."
    )


def test_bad_level_lists_the_allowed_values(users):
    response = get(users.ministry, "/api/orgunits?level=village")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("Giá trị phải là một trong:")


def test_openapi_schema_lists_the_operations(db):
    from django.test import Client

    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/orgunits", "/api/orgunits/{code}", "/api/orgunits/{code}/history",
            "/api/auth/token"} <= set(paths)


def test_it_checks_scope(users):
    assert get(users.thainguyen, "/api/orgunits/16939/history").status_code == 404
