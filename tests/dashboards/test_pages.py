"""The dashboard page: its figures, chart tables and the API agree; drill-down; scope; queries."""

import re

from tests.assessments.conftest import approved, judge
from tests.conftest import api_client_for, client_for
from tests.dashboards.conftest import thai_hoa, thai_hoa_lost_a_criterion

URL = "/dashboards/40/?as_of=2026-11-23&set=phuong-thu"
API = "/api/orgunits/40/dashboard?as_of=2026-11-23&set=phuong-thu"


def table_values(html: str, canvas: str) -> list[int]:
    """The data-value cells of the chart table drawn on `canvas`."""
    table = re.search(rf'<table[^>]*data-canvas="{canvas}".*?</table>', html, re.S)
    assert table, f"no table for {canvas}"
    return [int(float(v)) for v in re.findall(r'data-value="([^"]+)"', table[0])]


def figure(html: str, name: str) -> int:
    return int(re.search(rf'id="figure-{name}">(\d+)<', html)[1])


def test_page_chart_table_and_api_agree(users, ward_set, reports_handled):
    approved(thai_hoa(users, ward_set, year=2026), users)
    html = client_for(users.nghean).get(URL).text
    api = api_client_for(users.nghean).get(API).json()
    standings = ["recognised", "qualifies", "in_progress", "not_started"]
    assert table_values(html, "chart-standing") == [api["by_standing"][s] for s in standings]
    assert [figure(html, s) for s in standings] == [api["by_standing"][s] for s in standings]
    assert figure(html, "communes") == api["communes"] == sum(api["by_standing"].values())
    assert api["by_standing"]["qualifies"] == 1
    children = table_values(html, "chart-children")
    assert sum(children) == api["communes"]


def test_criteria_chart_table_matches_the_api(users, ward_set):
    assessment = thai_hoa(users, ward_set, year=2026)
    judge(assessment, users.thaihoa, tc1="met", tc2="not_met")
    html = client_for(users.nghean).get(URL).text
    api = api_client_for(users.nghean).get(API).json()
    unmet = [row["unmet"] for row in api["criteria"] if row["unmet"]]
    assert table_values(html, "chart-criteria") == unmet == [1]


def test_the_api_answers_exactly_the_documented_keys(users, ward_set):
    body = api_client_for(users.nghean).get(API).json()
    assert set(body) == {"unit", "as_of", "set", "version", "communes", "by_standing", "criteria",
                         "overdue_recommendations"}
    assert set(body["by_standing"]) == {"recognised", "qualifies", "in_progress", "not_started"}
    assert (body["unit"], body["as_of"], body["set"], body["version"]) == (
        "40", "2026-11-23", "phuong-thu", "2024")
    assert set(body["criteria"][0]) == {"code", "title", "unmet"}


def test_children_link_to_their_own_dashboards(users, ward_set):
    html = client_for(users.nghean).get(URL).text
    assert '/dashboards/16939/?as_of=2026-11-23&amp;set=phuong-thu' in html


def test_commune_dashboard_shows_its_one_row(users, ward_set):
    response = client_for(users.thaihoa).get("/dashboards/16939/?as_of=2026-11-23&set=phuong-thu")
    assert response.status_code == 200
    assert figure(response.text, "communes") == 1


def test_map_draws_a_point_per_commune_with_a_text_alternative(users, ward_set):
    html = client_for(users.nghean).get(URL).text
    api = api_client_for(users.nghean).get(API).json()
    assert html.count("<circle ") == api["communes"]
    assert 'role="img" aria-labelledby="map-title map-desc"' in html
    assert "Chưa bắt đầu: " in html


def test_it_checks_scope(users, ward_set):
    assert client_for(users.thainguyen).get(URL).status_code == 404
    assert api_client_for(users.thaihoa).get(API).status_code == 404


def test_an_unknown_set_is_404_with_a_message(users, ward_set):
    response = api_client_for(users.nghean).get("/api/orgunits/40/dashboard?set=khong-co")
    assert response.status_code == 404
    assert "khong-co" in response.json()["detail"]


def test_a_bad_date_is_422_in_the_api_and_a_message_on_the_page(users, ward_set):
    assert api_client_for(users.nghean).get(
        "/api/orgunits/40/dashboard?as_of=2026-13-01").status_code == 422
    assert api_client_for(users.nghean).get(
        "/api/orgunits/40/dashboard?as_of=1900-01-01").status_code == 422
    response = client_for(users.nghean).get("/dashboards/40/?as_of=hom-qua&set=phuong-thu")
    assert response.status_code == 200 and "không hợp lệ" in response.text


def test_index_opens_the_home_unit_dashboard(users):
    response = client_for(users.nghean).get("/dashboards/")
    assert response.status_code == 302 and response["Location"] == "/dashboards/40/"


def test_page_queries_are_bounded(users, ward_set, django_assert_max_num_queries):
    thai_hoa(users, ward_set, year=2026)
    client = client_for(users.ministry)
    for url in (URL, "/dashboards/BCA/?as_of=2026-11-23&set=phuong-thu"):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_an_approval_shows_on_the_page_and_in_the_api_at_once(users, ward_set, reports_handled):
    assessment = thai_hoa(users, ward_set, year=2026)
    page, api = client_for(users.nghean), api_client_for(users.nghean)
    assert figure(page.get(URL).text, "qualifies") == api.get(API).json()["by_standing"][
        "qualifies"] == 0
    approved(assessment, users)
    assert figure(page.get(URL).text, "qualifies") == api.get(API).json()["by_standing"][
        "qualifies"] == 1


def page_with_a_lost_ward(users, ward_set, monkeypatch, shown: int) -> str:
    """The page of Nghệ An, where Thái Hòa's ward qualified in 2025 and missed TC 2 in 2026,
    listing at most `shown` of the units that lost a criterion."""
    from kieumau.dashboards import views

    thai_hoa_lost_a_criterion(users, ward_set)
    monkeypatch.setattr(views, "LOST_SHOWN", shown)
    html = client_for(users.nghean).get(URL.replace("2026-11-23", "2026-12-31")).text
    return re.search(r'<section class="card" id="lost">.*?</section>', html, re.S)[0]


def test_the_lost_list_shows_every_unit_up_to_its_limit(users, ward_set, monkeypatch,
                                                         reports_handled):
    section = page_with_a_lost_ward(users, ward_set, monkeypatch, shown=1)
    assert "(1)</h2>" in section
    assert section.count("<li>") == 1
    assert 'id="lost-more"' not in section
    assert 'name="subject" value="lost_criteria"' in section


def test_the_lost_list_past_its_limit_counts_the_rest_and_offers_the_table(
    users, ward_set, monkeypatch, reports_handled
):
    section = page_with_a_lost_ward(users, ward_set, monkeypatch, shown=0)
    assert "(1)</h2>" in section  # the count is of them all
    assert section.count("<li>") == 0
    assert re.search(r'id="lost-more">và 1 đơn vị khác', section)
    assert 'name="subject" value="lost_criteria"' in section
