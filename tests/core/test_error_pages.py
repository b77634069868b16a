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
