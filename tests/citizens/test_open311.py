"""Open311 GeoReport v2: the documents a 311 client reads and writes, in JSON and XML."""

import json

import pytest
from defusedxml import ElementTree
from django.test import Client

from kieumau.citizens.models import CitizenRequest, Open311Client, Status
from kieumau.citizens.open311.views import DEMO_KEY
from kieumau.citizens.requests import services
from tests.citizens.conftest import THAI_HOA

BASE = "/open311/v2"
POST = {"api_key": DEMO_KEY, "service_code": "trom-cap", "description": "Mất xe máy trước chợ",
        "address_string": "chợ Thái Hòa", "address_id": THAI_HOA, "first_name": "Lê",
        "last_name": "Văn C", "phone": "0911111111", "email": "c@example.vn",
        "lat": "19.30", "long": "105.44"}


@pytest.fixture(autouse=True)
def _debug_like_the_demo(settings):
    """The demo key is accepted only while debug is on (the test runner turns it off)."""
    settings.DEBUG = True


def get(path: str, **params):
    return Client().get(f"{BASE}/{path}", params)


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def post(fmt: str = "json", **changes):
    data = {key: value for key, value in {**POST, **changes}.items() if value is not None}
    return Client().post(f"{BASE}/requests.{fmt}", data)


def test_discovery_names_the_endpoint(db):
    document = get("discovery.json").json()
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(get("discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml",
                                                                         "application/json"]


def test_services_in_json_and_xml(db):
    services_json = get("services.json").json()
    codes = [s["service_code"] for s in services_json]
    assert "trom-cap" in codes
    first = services_json[0]
    assert set(first) >= {"service_code", "service_name", "description", "metadata", "type",
                          "keywords", "group"}
    assert first["metadata"] is False and first["type"] == "realtime"
    root = xml(get("services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == codes
    assert root.find("service/metadata").text == "false"


def test_a_provinces_services_are_its_categories(users):
    from tests.conftest import unit

    services.save_category(actor=users.nghean, province=unit("40"), code="karaoke",
                           name="Karaoke gây ồn", deadline_days=5)
    codes = [s["service_code"] for s in get("services.json", jurisdiction_id="40").json()]
    assert "karaoke" in codes
    assert "karaoke" not in [s["service_code"] for s in get("services.json").json()]
    bad = get("services.json", jurisdiction_id="999")
    assert bad.status_code == 404
    assert bad.json()[0]["code"] == 404


def test_service_definition(db):
    assert get("services/trom-cap.json").json() == {"service_code": "trom-cap", "attributes": []}
    root = xml(get("services/trom-cap.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "trom-cap"
    missing = get("services/khong-co.xml")
    assert missing.status_code == 404
    error = xml(missing)
    assert error.tag == "errors" and error.findtext("error/code") == "404"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_posts_a_request(db, fmt):
    response = post(fmt)
    assert response.status_code == 201
    if fmt == "json":
        [answer] = response.json()
        request_id, token = answer["service_request_id"], answer["token"]
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        request_id = root.findtext("request/service_request_id")
        token = root.findtext("request/token")
    filed = CitizenRequest.objects.filter(pk=int(request_id)).get()
    assert filed.tracking_code == token and filed.channel == "open311"
    assert filed.contact_name == "Lê Văn C" and filed.unit.code == THAI_HOA
    assert get(f"tokens/{token}.json").json() == [{"service_request_id": request_id,
                                                   "token": token}]


def test_a_request_is_placed_from_its_address_alone(thai_hoa):
    response = post(address_id=None,
                    address_string="số 5 đường Lê Lợi, phường Thái Hòa, tỉnh Nghệ An")
    assert response.status_code == 201
    assert CitizenRequest.objects.filter(unit=thai_hoa).count() == 1


@pytest.mark.parametrize("changes, code, words", [
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"api_key": None}, 403, "api_key"),
    ({"service_code": "khong-co"}, 400, "service_code"),
    ({"description": ""}, 400, "description"),
    ({"address_id": None, "address_string": "không rõ"}, 400, "address_id"),
    ({"address_id": "99999"}, 400, "address_id"),
    ({"lat": "200"}, 400, "lat/long"),
])
def test_bad_posts_are_refused_in_the_standard_error_format(db, changes, code, words):
    response = post(**changes)
    assert response.status_code == code
    [error] = response.json()[:1]
    assert error["code"] == code and words in error["description"]
    assert not CitizenRequest.objects.exists()
    xml_error = xml(post("xml", **changes))
    assert xml_error.tag == "errors" and xml_error.findtext("error/code") == str(code)


def test_the_demo_key_works_only_in_debug(db, settings):
    settings.DEBUG = False
    response = post()
    assert response.status_code == 403
    assert not CitizenRequest.objects.exists()


def test_an_issued_key_works_without_debug(db, settings):
    from kieumau.citizens.open311.keys import issue_key

    key = issue_key(name="Ứng dụng phường")
    settings.DEBUG = False
    assert post(api_key=key).status_code == 201
    client = Open311Client.objects.filter(name="Ứng dụng phường").get()
    assert client.key_digest != key


def test_get_requests_has_standard_fields_and_no_personal_data(db):
    post()
    [row] = get("requests.json").json()
    assert set(row) >= {"service_request_id", "status", "status_notes", "service_name",
                        "service_code", "description", "agency_responsible", "service_notice",
                        "requested_datetime", "updated_datetime", "expected_datetime",
                        "address", "address_id", "zipcode", "lat", "long", "media_url"}
    assert row["status"] == "open"
    body = get("requests.json").content.decode() + get("requests.xml").content.decode()
    for private in ("Lê", "Văn C", "0911111111", "c@example.vn", "Mất xe máy", "chợ Thái Hòa",
                    "19.3"):
        assert private not in body
    root = xml(get("requests.xml"))
    assert root.findtext("request/status") == "open"


def test_filters_status_service_code_and_dates(users, thai_hoa):
    ids = [int(post().json()[0]["service_request_id"]),
           int(post(service_code="te-nan-xa-hoi").json()[0]["service_request_id"])]
    closing = CitizenRequest.objects.filter(pk=ids[0]).get()
    services.move_request(actor=users.thaihoa, request=closing, to=Status.REJECTED,
                          note="Trùng phản ánh")
    closed = get("requests.json", status="closed").json()
    assert [r["service_request_id"] for r in closed] == [str(ids[0])]
    assert "Trùng phản ánh" in closed[0]["status_notes"]
    assert [r["service_request_id"] for r in get("requests.json", status="open").json()] == \
        [str(ids[1])]
    assert [r["service_request_id"]
            for r in get("requests.json", service_code="te-nan-xa-hoi").json()] == [str(ids[1])]
    assert get("requests.json", start_date="2001-01-01T00:00:00Z",
               end_date="2001-02-01T00:00:00Z").json() == []
    assert len(get("requests.json", service_request_id=f"{ids[0]},{ids[1]}").json()) == 2
    one = get(f"requests/{ids[1]}.json").json()
    assert one[0]["service_request_id"] == str(ids[1])
    assert xml(get(f"requests/{ids[1]}.xml")).findtext("request/service_request_id") == str(ids[1])


@pytest.mark.parametrize("params", [{"status": "pending"}, {"start_date": "hôm qua"},
                                    {"service_code": "khac\x00"}, {"end_date": "2026\x00"},
                                    {"start_date": "2026-02-01T00:00:00Z",
                                     "end_date": "2026-01-01T00:00:00Z"},
                                    {"service_request_id": "1,x"}])
def test_bad_filters_answer_400(db, params):
    response = get("requests.json", **params)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_unknown_request_and_token_are_404(db):
    assert get("requests/999999.json").status_code == 404
    assert get("tokens/NOPE.json").json()[0]["code"] == 404


def test_json_is_utf8(db):
    response = get("services.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Trộm cắp" in json.loads(response.content.decode("utf-8"))[2]["service_name"]
