"""API tokens can be listed and revoked by their owner; sign-out and a new password revoke them
all (issue 6, hole 7). Someone else's token answers 404, like one that does not exist."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from kieumau.accounts import services
from kieumau.accounts.models import ApiToken
from kieumau.core.models import AuditEvent
from tests.conftest import client_for


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def works(secret) -> bool:
    status = Client().get("/api/auth/tokens", headers=bearer(secret)).status_code
    assert status in (200, 401)
    return status == 200


def issue(user):
    return services.issue_api_token(user=user)


# --- sign-out and password change ---------------------------------------------------------------

def test_signing_out_of_the_pages_revokes_the_users_tokens(users):
    secret, _ = issue(users.nghean)
    other, _ = issue(users.ministry)
    assert works(secret)
    assert client_for(users.nghean).post("/accounts/sign-out/").status_code == 302
    assert not works(secret)
    assert works(other)
    event = AuditEvent.objects.get(action="api_token.revoked_all")
    assert (event.actor, event.detail["reason"]) == (users.nghean, "sign_out")
    assert AuditEvent.objects.filter(action="sign_out", actor=users.nghean).exists()


def test_a_new_password_revokes_every_token(users):
    first, _ = issue(users.nghean)
    second, _ = issue(users.nghean)
    services.update_user(user=users.nghean, actor=users.ministry, password="mat-khau-moi-456")
    assert not works(first) and not works(second)
    event = AuditEvent.objects.get(action="api_token.revoked_all")
    assert (event.actor, event.detail["reason"]) == (users.ministry, "password_changed")
    assert len(event.detail["token_ids"]) == 2


def test_other_changes_to_the_user_keep_the_tokens(users):
    secret, _ = issue(users.nghean)
    services.update_user(user=users.nghean, actor=users.ministry, first_name="Nguyễn Văn A")
    assert works(secret)


def test_django_rehashing_the_same_password_keeps_the_tokens(users):
    secret, _ = issue(users.nghean)
    user = users.nghean
    # What AbstractBaseUser.check_password does when it upgrades the hash at sign-in.
    user.set_password("secret-pass-123")
    user._password = None
    user.save(update_fields=["password"])
    assert works(secret)


def test_a_token_works_until_it_is_revoked(users):
    secret, token = issue(users.nghean)
    assert works(secret)
    services.revoke_token(actor=users.nghean, token=token)
    assert not works(secret)


# --- the API --------------------------------------------------------------------------------

def test_the_token_answer_names_its_id_and_expiry(users):
    response = Client().post("/api/auth/token",
                             {"username": "nghean", "password": "secret-pass-123"},
                             content_type="application/json", REMOTE_ADDR="198.51.100.7")
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == users.nghean
    assert token.ip_address == "198.51.100.7"
    # JSON carries milliseconds.
    assert abs(dt.datetime.fromisoformat(body["expires_at"]) - token.expires_at) < dt.timedelta(
        milliseconds=1)


def test_the_list_holds_only_my_live_tokens(users):
    mine, token = issue(users.nghean)
    _, revoked = issue(users.nghean)
    _, expired = issue(users.nghean)
    _, theirs = issue(users.ministry)
    services.revoke_token(actor=users.nghean, token=revoked)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    body = Client().get("/api/auth/tokens", headers=bearer(mine)).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [token.pk]
    assert theirs.pk not in [item["id"] for item in body["items"]]


def test_delete_revokes_my_token_and_is_audited(users):
    mine, _ = issue(users.nghean)
    target_secret, target = issue(users.nghean)
    response = Client().delete(f"/api/auth/tokens/{target.pk}", headers=bearer(mine))
    assert response.status_code == 204
    assert not works(target_secret)
    assert works(mine)
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor, event.object_id) == (users.nghean, str(target.pk))


def test_someone_elses_token_is_404_and_stays_valid(users):
    mine, _ = issue(users.nghean)
    theirs_secret, theirs = issue(users.ministry)
    response = Client().delete(f"/api/auth/tokens/{theirs.pk}", headers=bearer(mine))
    missing = Client().delete("/api/auth/tokens/987654321", headers=bearer(mine))
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert works(theirs_secret)
    assert not AuditEvent.objects.filter(action="api_token.revoked").exists()


def test_a_revoked_token_cannot_be_revoked_twice(users):
    mine, _ = issue(users.nghean)
    _, target = issue(users.nghean)
    assert Client().delete(f"/api/auth/tokens/{target.pk}", headers=bearer(mine)).status_code == 204
    assert Client().delete(f"/api/auth/tokens/{target.pk}", headers=bearer(mine)).status_code == 404
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_an_id_beyond_the_database_range_is_404(users):
    mine, _ = issue(users.nghean)
    for token_id in (0, 2**63, 10**30):
        assert Client().delete(f"/api/auth/tokens/{token_id}", headers=bearer(mine)).status_code \
            == 404, token_id


def test_a_token_can_revoke_itself(users):
    mine, token = issue(users.nghean)
    assert Client().delete(f"/api/auth/tokens/{token.pk}", headers=bearer(mine)).status_code == 204
    assert not works(mine)


# --- the page -------------------------------------------------------------------------------

def test_the_page_lists_my_tokens_only(users):
    _, mine = issue(users.nghean)
    _, theirs = issue(users.ministry)
    page = client_for(users.nghean).get("/accounts/tokens/")
    assert page.status_code == 200
    assert f"/accounts/tokens/{mine.pk}/revoke/" in page.text
    assert f"/accounts/tokens/{theirs.pk}/revoke/" not in page.text


def test_the_page_revokes_one_token(users):
    secret, token = issue(users.nghean)
    client = client_for(users.nghean)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "Đã thu hồi mã truy cập." in response.text
    assert not works(secret)


def test_the_page_refuses_someone_elses_token_with_404(users):
    secret, theirs = issue(users.ministry)
    response = client_for(users.nghean).post(f"/accounts/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    assert works(secret)


def test_the_page_revokes_all_my_tokens(users):
    first, _ = issue(users.nghean)
    second, _ = issue(users.nghean)
    other, _ = issue(users.ministry)
    response = client_for(users.nghean).post("/accounts/tokens/revoke-all/", follow=True)
    assert "Đã thu hồi 2 mã truy cập." in response.text
    assert not works(first) and not works(second)
    assert works(other)


def test_the_header_links_to_the_page(users):
    assert 'href="/accounts/tokens/"' in client_for(users.viewer).get("/").text
