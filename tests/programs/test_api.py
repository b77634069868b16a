"""`/api/plans`: the exact shape, the same figures as the roadmap selector, creation, scope."""

import datetime as dt

from kieumau.core.dates import today
from kieumau.programs import selectors
from kieumau.programs.services import set_target
from tests.conftest import api_client_for
from tests.programs.conftest import official_result


def test_list_has_exactly_the_documented_shape(users, plan):
    set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=2)
    body = api_client_for(users.nghean).get("/api/plans").json()
    assert set(body) == {"count", "items"} and body["count"] == 1
    item = body["items"][0]
    assert set(item) == {"number", "date", "issuing_unit", "period_start", "period_end", "units",
                         "targets"}
    assert item["number"] == "125/KH-CAT-PV05" and item["date"] == "2023-03-01"
    assert item["issuing_unit"] == {"code": "40", "name": "Tỉnh Nghệ An"}
    assert set(item["units"][0]) == {"code", "name", "target_year"}
    assert item["targets"] == [{"year": 2023, "target": 2, "actual": 0}]


def test_api_and_roadmap_agree(users, manual_set, plan):
    set_target(actor=users.nghean, plan=plan, year=2023, kind="count", value=2)
    set_target(actor=users.nghean, plan=plan, year=2025, kind="percent", value=100)
    official_result(users, manual_set, code="16939", year=2023, met=True)
    rows = selectors.roadmap(users.nghean, plan=plan, as_of=today())
    expected = [{"year": r.year, "target": r.target, "actual": r.actual}
                for r in rows if r.target is not None]
    body = api_client_for(users.nghean).get("/api/plans").json()
    assert body["items"][0]["targets"] == expected
    assert expected[0] == {"year": 2023, "target": 2, "actual": 1}


def test_list_is_scoped(users, plan):
    assert api_client_for(users.thainguyen).get("/api/plans").json() == {"count": 0, "items": []}


def test_detail_outside_scope_is_404(users, plan):
    assert api_client_for(users.thainguyen).get(f"/api/plans/{plan.pk}").status_code == 404
    body = api_client_for(users.nghean).get(f"/api/plans/{plan.pk}").json()
    assert body["id"] == plan.pk and len(body["checklist"]) == 4


def test_create_with_units_and_targets(users, program):
    payload = {"program": program.pk, "number": "77/kh-cat-pv05", "date": "2023-03-01",
               "issuing_unit": "40", "period_start": "2023-03-01", "period_end": "2025-12-31",
               "units": [{"code": "16939", "target_year": 2023, "stage": "pilot"},
                         {"code": "16993", "target_year": 2024}],
               "targets": [{"year": 2023, "value": 1}, {"year": 2025, "kind": "percent",
                                                        "value": 100}]}
    response = api_client_for(users.nghean).post("/api/plans", payload,
                                                 content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "77/KH-CAT-PV05"
    assert [u["name"] for u in body["units"]] == ["Phường Hoà Hiếu", "Phường Quang Phong"]
    assert [t["target"] for t in body["targets"]] == [1, 2]


def test_create_refuses_all_of_it_when_one_unit_is_wrong(users, program):
    from kieumau.programs.models import Plan

    payload = {"program": program.pk, "number": "78/KH-CAT", "date": "2023-03-01",
               "issuing_unit": "40", "period_start": "2023-03-01", "period_end": "2025-12-31",
               "units": [{"code": "16939", "target_year": 2023},
                         {"code": "16939", "target_year": 2024}]}
    response = api_client_for(users.nghean).post("/api/plans", payload,
                                                 content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "units.1.unit"
    assert not Plan.objects.exists()


def test_create_with_a_bad_number_names_the_field(users, program):
    payload = {"program": program.pk, "number": "78", "date": "2023-03-01",
               "issuing_unit": "40", "period_start": "2023-03-01", "period_end": "2025-12-31"}
    response = api_client_for(users.nghean).post("/api/plans", payload,
                                                 content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "number"


def test_a_target_year_out_of_bounds_is_422(users, program):
    payload = {"program": program.pk, "number": "79/KH-CAT", "date": "2023-03-01",
               "issuing_unit": "40", "period_start": "2023-03-01", "period_end": "2025-12-31",
               "targets": [{"year": 2101, "value": 1}]}
    response = api_client_for(users.nghean).post("/api/plans", payload,
                                                 content_type="application/json")
    assert response.status_code == 422


def test_as_of_controls_actuals(users, plan):
    set_target(actor=users.nghean, plan=plan, year=2024, kind="count", value=2)
    client = api_client_for(users.nghean)
    before = client.get(f"/api/plans/{plan.pk}?as_of={dt.date(2023, 6, 1)}").json()
    after = client.get(f"/api/plans/{plan.pk}?as_of={dt.date(2024, 6, 1)}").json()
    assert before["targets"] == [{"year": 2024, "target": 2, "actual": None}]
    assert after["targets"] == [{"year": 2024, "target": 2, "actual": 0}]
