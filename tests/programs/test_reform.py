"""Plans follow the 2025 reform: a plan of old Bắc Giang province names the old wards, stays
readable, and shows under today's Bắc Ninh and today's wards."""

import datetime as dt

import pytest

from kieumau.programs import selectors
from tests.conftest import BEFORE_MERGER, client_for, unit

PLAN_DAY = dt.date(2021, 11, 5)
PILOTS = ("07330", "07444", "07213")  # xã Hợp Đức, thị trấn Đồi Ngô, phường Trần Phú


@pytest.fixture
def bac_ninh(users):
    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user

    return create_user(username="bacninh", password="secret-pass-123",
                       role=Role.PROVINCE_OFFICER, home_unit=unit("24"))


@pytest.fixture
def plan_340(users):
    from kieumau.programs.services import create_plan, create_program, enrol_unit

    old_province = unit("24", BEFORE_MERGER)
    program = create_program(actor=users.ministry, owner_unit=old_province, set_codes=[],
                             name="Công an xã, phường, thị trấn tận tụy, gắn bó, thân thiện")
    plan = create_plan(actor=users.ministry, program=program, number="340/KH-CAT-XDPTBVANTQ",
                       date=PLAN_DAY, issuing_unit=unit("24", PLAN_DAY),
                       period_start=dt.date(2021, 11, 1), period_end=dt.date(2022, 10, 31))
    for code in PILOTS:
        enrol_unit(actor=users.ministry, plan=plan, unit=unit(code, PLAN_DAY), target_year=2022,
                   stage="pilot")
    return plan


def test_the_plan_is_issued_by_the_old_province(plan_340):
    assert plan_340.issuing_unit.name == "Tỉnh Bắc Giang"
    assert plan_340.issuing_unit.valid_to == BEFORE_MERGER


def test_todays_bac_ninh_officer_sees_the_old_bac_giang_plan(bac_ninh, plan_340, users):
    assert list(selectors.plans_for(bac_ninh)) == [plan_340]
    assert list(selectors.plans_for(users.nghean)) == []
    response = client_for(bac_ninh).get(f"/programs/plans/{plan_340.pk}/")
    assert response.status_code == 200
    assert "Công an phường Trần Phú" in response.text and "Công an xã Hợp Đức" in response.text


@pytest.mark.parametrize(("today_code", "old_name"), [
    ("07210", "Phường Trần Phú"),  # now part of phường Bắc Giang
    ("07330", "Xã Hợp Đức"),  # now xã Phúc Hòa
    ("07444", "Thị trấn Đồi Ngô"),  # now xã Lục Nam
])
def test_pilots_show_under_todays_units(bac_ninh, plan_340, today_code, old_name):
    today_unit = unit(today_code)
    assert today_unit.valid_to is None
    enrolments = list(selectors.enrolments_for_unit(bac_ninh, unit=today_unit))
    assert [(e.plan.number, e.unit.name) for e in enrolments] == [
        ("340/KH-CAT-XDPTBVANTQ", old_name)]
    assert list(selectors.plans_for(bac_ninh, unit=today_unit)) == [plan_340]
    page = client_for(bac_ninh).get(f"/programs/units/{today_code}/", HTTP_HX_REQUEST="true")
    assert "340/KH-CAT-XDPTBVANTQ" in page.text and old_name.split(" ", 1)[1] in page.text


def test_todays_unit_page_loads_the_plans_fragment(bac_ninh, plan_340):
    page = client_for(bac_ninh).get("/units/07210/")
    assert 'hx-get="/programs/units/07210/' in page.text
    assert 'hx-get="/inspections/units/07210/' in page.text


def test_the_old_plan_is_in_the_api_for_todays_province(bac_ninh, plan_340):
    from tests.conftest import api_client_for

    body = api_client_for(bac_ninh).get("/api/plans?unit=07210").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["issuing_unit"] == {"code": "24", "name": "Tỉnh Bắc Giang"}
    assert sorted(u["code"] for u in item["units"]) == sorted(PILOTS)
