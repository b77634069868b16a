from tests.conftest import client_for


def test_browser_search_ignores_diacritics(users):
    response = client_for(users.thainguyen).get("/units/?q=duc+xuan")
    assert "Công an phường Đức Xuân" in response.text


def test_browser_lists_home_children_by_default(users):
    response = client_for(users.nghean).get("/units/")
    assert "Công an phường Thái Hòa" in response.text
    assert "130 đơn vị" in response.text


def test_ward_officer_sees_own_unit_by_default(users):
    response = client_for(users.thaihoa).get("/units/")
    assert "Công an phường Thái Hòa" in response.text
    assert "0 đơn vị" not in response.text


def test_htmx_search_returns_only_the_results_fragment(users):
    response = client_for(users.thainguyen).get("/units/?q=duc+xuan", headers={"HX-Request": "true"})
    assert "Công an phường Đức Xuân" in response.text
    assert "<html" not in response.text


def test_bad_date_is_reported_in_vietnamese(users):
    response = client_for(users.nghean).get("/units/?as_of=30-06-2025")
    assert "không hợp lệ" in response.text


def test_unit_page_shows_successor_of_tran_phu(users):
    response = client_for(users.ministry).get("/units/07213/?as_of=2025-06-30")
    assert response.status_code == 200
    assert "Trở thành" in response.text
    assert "Công an phường Bắc Giang" in response.text
    assert "/units/07210/?as_of=" in response.text


def test_unit_page_shows_place_on_the_chosen_date(users):
    client = client_for(users.ministry)
    before = client.get("/units/01840/?as_of=2025-01-01")
    between = client.get("/units/01840/?as_of=2025-04-01")
    assert "Công an thành Phố Bắc Kạn" in before.text or "Bắc Kạn</a>" in before.text
    assert "Công an tỉnh Bắc Kạn" in between.text
    assert "thành Phố Bắc Kạn" not in between.text.split("<h1>")[0]


def test_new_unit_page_lists_where_it_came_from(users):
    response = client_for(users.thaihoa).get("/units/16939/")
    assert "Hình thành từ" in response.text
    for name in ("Hoà Hiếu", "Quang Phong", "Long Sơn"):
        assert name in response.text


def test_it_checks_scope(users):
    assert client_for(users.nghean).get("/units/01840/").status_code == 404


def test_htmx_history_restore_gets_the_whole_page(users):
    # Back to a URL htmx pushed, its snapshot gone: htmx asks again and must get the page.
    response = client_for(users.thainguyen).get(
        "/units/?q=duc+xuan",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert "Công an phường Đức Xuân" in response.text


def test_htmx_search_updates_the_announced_count(users):
    response = client_for(users.thainguyen).get("/units/?q=duc+xuan", headers={"HX-Request": "true"})
    assert '<p id="result-count" hx-swap-oob="innerHTML">' in response.text


def test_search_results_name_the_province(users):
    response = client_for(users.ministry).get("/units/?q=duc+xuan&level=commune")
    assert "Thái Nguyên · phường" in response.text


def test_former_ward_searched_today_points_to_what_it_became(users):
    response = client_for(users.nghean).get("/units/?q=hoa+hieu")
    former = response.text.split('id="former"', 1)[1]
    assert "Hiếu</a>" in former  # phường Hoà Hiếu (so spelt in the tree data)
    assert "nay thuộc" in former
    assert "Công an phường Thái Hòa" in former


def test_crumbs_above_a_ward_officers_reach_are_not_links(users):
    text = client_for(users.thaihoa).get("/units/16939/").text
    crumbs = text.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert "Công an tỉnh Nghệ An" in crumbs
    assert "/units/40/" not in crumbs  # the province page would be a 404 for them


def test_crumbs_within_reach_are_links(users):
    text = client_for(users.nghean).get("/units/16939/").text
    crumbs = text.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert "/units/40/" in crumbs
