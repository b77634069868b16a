"""The home page: what needs the signed-in person now."""

import datetime as dt

from kieumau.dashboards import home
from tests.assessments.conftest import step, submitted
from tests.conftest import client_for, unit
from tests.dashboards.conftest import thai_hoa

TODAY = dt.date(2026, 11, 23)


def recommendation(users, *, due_on, text="Bổ sung biên bản kiểm tra trụ sở"):
    from kieumau.inspections.services import add_recommendation, create_inspection

    inspection = create_inspection(actor=users.nghean, owner_unit=unit("40"),
                                   title="Kiểm tra phường Thái Hòa", date=dt.date(2026, 4, 19))
    return add_recommendation(actor=users.nghean, inspection=inspection, unit=unit("16939"),
                              text=text, due_on=due_on)


def test_ward_officer_sees_what_was_returned_and_why(users, ward_set):
    assessment = submitted(thai_hoa(users, ward_set, year=2026), users)
    step(assessment, users.nghean, "return", comment="Thiếu ảnh chụp bộ phận một cửa")
    html = client_for(users.thaihoa).get("/").text
    assert "Hồ sơ bị trả lại <span class=\"count\">(1)" in html
    assert "Thiếu ảnh chụp bộ phận một cửa" in html


def test_ward_officer_sees_their_standing_linking_to_the_dashboard(users, ward_set):
    thai_hoa(users, ward_set, year=2026)
    html = client_for(users.thaihoa).get("/").text
    assert "Đang thực hiện" in html
    assert "/dashboards/16939/?set=phuong-thu" in html


def test_ward_officer_sees_a_recommendation_due(users, ward_set):
    recommendation(users, due_on=dt.date(2026, 12, 31))
    html = client_for(users.thaihoa).get("/").text
    assert "Bổ sung biên bản kiểm tra trụ sở" in html
    assert "hạn 31/12/2026" in html


def test_months_not_entered_count_the_missing_indicators(users, ward_set):
    from tests.assessments.conftest import enter_value

    enter_value(users.thaihoa, unit("16939"), "toi_pham_ttxh", dt.date(2026, 1, 1), 1)
    months = home.months_not_entered(users.thaihoa, unit=unit("16939"), as_of=TODAY)
    assert [m.month.month for m in months] == list(range(1, 11))  # January to October
    assert months[0].entered == 1 and months[0].expected > 1
    assert months[1].entered == 0


def test_a_month_with_every_indicator_is_not_listed(users, ward_set):
    from kieumau.indicators.models import Indicator
    from tests.assessments.conftest import enter_value

    for code in Indicator.objects.values_list("code", flat=True):
        enter_value(users.thaihoa, unit("16939"), code, dt.date(2026, 10, 1), 1)
    months = home.months_not_entered(users.thaihoa, unit=unit("16939"), as_of=TODAY)
    assert dt.date(2026, 10, 1) not in [m.month for m in months]
    assert dt.date(2026, 9, 1) in [m.month for m in months]


def test_province_officer_sees_the_review_queue_and_overdue_recommendations(users, ward_set):
    submitted(thai_hoa(users, ward_set, year=2026), users)
    recommendation(users, due_on=dt.date(2026, 5, 1), text="Hoàn thiện hồ sơ PCCC")
    html = client_for(users.nghean).get("/").text
    assert "Hồ sơ chờ thẩm định <span class=\"count\">(1)" in html
    assert "Kiến nghị quá hạn <span class=\"count\">(1)" in html
    assert "Hoàn thiện hồ sơ PCCC" in html
    assert "/dashboards/40/?set=phuong-thu" in html


def test_home_queries_are_bounded(users, ward_set, django_assert_max_num_queries):
    submitted(thai_hoa(users, ward_set, year=2026), users)
    for user in (users.thaihoa, users.nghean, users.ministry):
        client = client_for(user)
        with django_assert_max_num_queries(30):
            assert client.get("/").status_code == 200
