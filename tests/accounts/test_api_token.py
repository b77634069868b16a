import datetime as dt

from django.test import Client, override_settings
from django.utils import timezone

from kieumau.accounts.models import ApiToken


def post_token(username, password):
    return Client().post("/api/auth/token", {"username": username, "password": password},
                         content_type="application/json")


def test_it_returns_a_token_that_authenticates(users):
    response = post_token("nghean", "secret-pass-123")
    assert response.status_code == 200
    token = response.json()["token"]
    listing = Client().get("/api/orgunits?level=province",
                           headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200
    assert [item["code"] for item in listing.json()["items"]] == ["40"]


def test_wrong_password_gives_401_json(users):
    response = post_token("nghean", "wrong")
    assert response.status_code == 401
    assert "không đúng" in response.json()["detail"]


def test_only_a_digest_is_stored(users):
    token = post_token("nghean", "secret-pass-123").json()["token"]
    stored = ApiToken.objects.get(user=users.nghean)
    assert token not in stored.digest
    assert len(stored.digest) == 64


def test_expired_token_is_refused(users):
    token = post_token("nghean", "secret-pass-123").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get("/api/orgunits", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_missing_token_gives_401_json(db):
    response = Client().get("/api/orgunits")
    assert response.status_code == 401
    assert "detail" in response.json()


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_api_shares_the_lock_out(users):
    post_token("nghean", "x")
    post_token("nghean", "x")
    assert post_token("nghean", "secret-pass-123").status_code == 429


def test_malformed_body_names_the_field(db):
    response = Client().post("/api/auth/token", {"username": "a"}, content_type="application/json")
    assert response.status_code == 422
    assert any(error["field"] and "password" in error["field"]
               for error in response.json()["errors"])
