from django.test import Client, override_settings

from kieumau.core.models import AuditEvent
from tests.conftest import client_for


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_sign_in_page_is_vietnamese(db):
    response = Client().get("/accounts/sign-in/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert "Mật khẩu" in response.text


def test_it_signs_in_and_lands_home(users):
    client = Client()
    response = sign_in(client, "thaihoa", "secret-pass-123")
    assert response.status_code == 302
    home = client.get("/")
    assert "Công an phường Thái Hòa" in home.text


def test_wrong_password_is_refused_with_a_message(users):
    response = sign_in(Client(), "thaihoa", "nope")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_it_locks_out_after_repeated_failures(users):
    client = Client()
    for _ in range(3):
        sign_in(client, "thaihoa", "nope")
    response = sign_in(client, "thaihoa", "secret-pass-123")
    assert response.status_code == 429
    assert "tạm khóa" in response.text
    assert client.get("/").status_code == 302  # still signed out


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_success_before_the_limit_clears_failures(users):
    client = Client()
    for _ in range(2):
        sign_in(client, "thaihoa", "nope")
    assert sign_in(client, "thaihoa", "secret-pass-123").status_code == 302
    for _ in range(2):
        sign_in(Client(), "thaihoa", "nope")
    assert sign_in(Client(), "thaihoa", "secret-pass-123").status_code == 302


def test_sign_ins_and_failures_are_audited(users):
    sign_in(Client(), "thaihoa", "nope")
    sign_in(Client(), "thaihoa", "secret-pass-123")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["sign_in.failed", "sign_in"]


def test_next_to_another_host_is_ignored(users):
    response = Client().post("/accounts/sign-in/?next=https://evil.example/",
                             {"username": "thaihoa", "password": "secret-pass-123"})
    assert response["Location"] == "/"


def test_pages_need_sign_in(db):
    response = Client().get("/units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_sign_out_ends_the_session(users):
    client = client_for(users.thaihoa)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_sign_in(users):
    users.thaihoa.is_active = False
    users.thaihoa.save()
    assert sign_in(Client(), "thaihoa", "secret-pass-123").status_code == 401
