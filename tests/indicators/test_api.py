import datetime as dt
import json

from kieumau.indicators import services
from kieumau.indicators.models import IndicatorValue
from tests.conftest import api_client_for, unit
from tests.indicators.conftest import OCTOBER, save, stored


def put(client, values, method="put"):
    send = getattr(client, method)
    return send(
        "/api/indicators/values", json.dumps({"values": values}), content_type="application/json"
    )


def item(unit="16939", indicator="toi_pham_ttxh", month="2026-10", value=3):
    return {"unit": unit, "indicator": indicator, "month": month, "value": value}


def test_catalogue(users, catalogue):
    response = api_client_for(users.viewer).get("/api/indicators")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 30
    assert body[0] == {
        "code": "toi_pham_ttxh",
        "name": "Số vụ phạm tội về trật tự xã hội",
        "unit_of_measure": "vụ",
        "aggregation": "sum",
        "value_type": "count",
        "description": body[0]["description"],
    }


def test_read_values_of_a_unit(users, catalogue, django_assert_max_num_queries):
    save(users.thaihoa, unit("16939"), OCTOBER, toi_pham_ttxh=3, chay_no=1)
    save(users.thaihoa, unit("16939"), dt.date(2026, 6, 1), toi_pham_ttxh=9)
    client = api_client_for(users.nghean)
    with django_assert_max_num_queries(8):
        response = client.get("/api/indicators/values?unit=16939&from=2026-07&to=2026-10")
    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["code"] == "16939"
    assert [(v["indicator"], v["month"], v["value"]) for v in body["values"]] == [
        ("toi_pham_ttxh", "2026-10", "3.0000"),
        ("chay_no", "2026-10", "1.0000"),
    ]
    assert body["values"][0]["entered_by"] == "thaihoa"


def test_read_resolves_the_code_as_of_the_end_month(users, catalogue):
    old = unit("01840", dt.date(2025, 6, 30))
    save(users.thainguyen, old, dt.date(2025, 3, 1), toi_pham_ttxh=4)
    client = api_client_for(users.thainguyen)
    before = client.get("/api/indicators/values?unit=01840&from=2025-01&to=2025-06").json()
    after = client.get("/api/indicators/values?unit=01840&from=2025-01&to=2025-07").json()
    assert [v["value"] for v in before["values"]] == ["4.0000"]
    assert after["values"] == []  # the new ward of 1 July 2025, not the old one


def test_bulk_write(users, catalogue):
    response = put(
        api_client_for(users.nghean),
        [item(), item(indicator="chay_no", value=2), item(month="2026-09", value="5")],
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert stored(unit("16939"), "toi_pham_ttxh", dt.date(2026, 9, 1)) == 5
    change = IndicatorValue.objects.get(indicator__code="chay_no").changes.get()
    assert change.source == "api"


def test_post_works_like_put(users, catalogue):
    assert put(api_client_for(users.thaihoa), [item()], method="post").status_code == 200


def test_bulk_write_is_all_or_nothing(users, catalogue):
    response = put(
        api_client_for(users.nghean),
        [
            item(),
            item(indicator="chay_no", value="mười"),
            item(indicator="khong_co"),
            item(month="10/2026x"),
            item(indicator="nghi_quyet_dang_uy", value=3),
        ],
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [
        (1, "value"),
        (2, "indicator"),
        (3, "month"),
        (4, "value"),
    ]
    assert errors[0]["message"] == "«mười» không phải là số"
    assert not IndicatorValue.objects.exists()


def test_bulk_write_refuses_locked_values(users, catalogue):
    thai_hoa = unit("16939")
    save(users.thaihoa, thai_hoa, OCTOBER, toi_pham_ttxh=1)
    services.lock_values(unit_ids=[thai_hoa.pk], start=OCTOBER, end=OCTOBER, actor=None)
    response = put(api_client_for(users.nghean), [item(value=9)])
    assert response.status_code == 422
    assert "đã khóa" in response.json()["errors"][0]["message"]


def test_viewer_gets_403(users, catalogue):
    assert put(api_client_for(users.viewer), [item(unit="01840")]).status_code == 403
    assert put(api_client_for(users.inspector), [item()]).status_code == 403


def test_out_of_scope_unit_reads_like_an_unknown_one(users, catalogue):
    client = api_client_for(users.nghean)
    outside = put(client, [item(), item(unit="01840")])
    unknown = put(client, [item(), item(unit="99999")])
    assert outside.status_code == unknown.status_code == 422
    assert outside.json()["errors"][0]["message"].replace("01840", "X") == unknown.json()["errors"][
        0
    ]["message"].replace("99999", "X")
    assert not IndicatorValue.objects.exists()


def test_it_checks_scope(users, catalogue):
    client = api_client_for(users.thaihoa)
    assert (
        client.get("/api/indicators/values?unit=01840&from=2026-01&to=2026-10").status_code == 404
    )
    assert (
        client.get("/api/indicators/values?unit=16939&from=2026-01&to=2026-10").status_code == 200
    )


def test_bad_period_is_422(users, catalogue):
    response = api_client_for(users.thaihoa).get(
        "/api/indicators/values?unit=16939&from=2026-11&to=2026-10"
    )
    assert response.status_code == 422
