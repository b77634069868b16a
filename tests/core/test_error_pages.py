from django.test import override_settings

from tests.conftest import client_for


@override_settings(DEBUG=False)
def test_not_found_page_is_vietnamese_with_navigation(users):
    response = client_for(users.thaihoa).get("/units/01840/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text
    assert "ngoài phạm vi của bạn" in response.text
    assert 'href="/"' in response.text


@override_settings(DEBUG=False)
def test_forbidden_page_is_vietnamese(users):
    response = client_for(users.thaihoa).get("/criteria/phuong-kieu-mau/2024/edit/")
    assert response.status_code == 403
    assert "Không được phép" in response.text


def test_language_can_be_chosen_before_signing_in(db):
    from django.test import Client

    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/sign-in/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/"
    assert "Sign in" in client.get("/accounts/sign-in/").text


@override_settings(DEBUG=True)
def test_with_debug_on_an_out_of_scope_page_is_still_our_own(users):
    response = client_for(users.thaihoa).get("/units/01840/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text
    assert "Đức Xuân" not in response.text
    assert "Technical" not in response.text and "URLconf" not in response.text


@override_settings(DEBUG=True)
def test_with_debug_on_an_unknown_address_is_our_own_page(users):
    response = client_for(users.thaihoa).get("/no/such/page/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text
    assert "URLconf" not in response.text


@override_settings(DEBUG=True)
def test_with_debug_on_forbidden_is_our_own_page(users):
    response = client_for(users.thaihoa).get("/criteria/phuong-kieu-mau/2024/edit/")
    assert response.status_code == 403
    assert "Không được phép" in response.text


@override_settings(DEBUG=True)
def test_with_debug_on_the_api_keeps_its_json(users):
    from tests.conftest import api_client_for

    response = api_client_for(users.thaihoa).get("/api/orgunits/01840")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_every_answer_varies_on_htmx(users):
    response = client_for(users.thainguyen).get("/units/?q=duc+xuan")
    assert "HX-Request" in response["Vary"]
