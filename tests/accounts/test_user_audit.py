from django.test import Client

from kieumau.accounts.models import Role
from kieumau.accounts.services import create_user, update_user
from kieumau.core.models import AuditEvent
from tests.conftest import unit


def test_creating_a_user_is_audited_with_the_actor(users):
    created = create_user(username="new", password="pw-123456789", role=Role.VIEWER,
                          home_unit=unit("40"), actor=users.ministry)
    event = AuditEvent.objects.get(action="user.created", object_id=str(created.pk))
    assert event.actor == users.ministry
    assert event.unit == unit("40")


def test_changing_role_is_audited_with_the_fields(users):
    update_user(user=users.viewer, actor=users.ministry, role=Role.PROVINCE_OFFICER)
    event = AuditEvent.objects.filter(action="user.changed").latest("id")
    assert event.detail["fields"] == ["role"]
    assert event.detail["role"] == Role.PROVINCE_OFFICER


def test_password_change_is_audited_without_the_password(users):
    update_user(user=users.viewer, actor=users.viewer, password="another-pass-987")
    event = AuditEvent.objects.filter(action="user.changed").latest("id")
    assert event.detail["fields"] == ["password"]
    assert "another-pass-987" not in str(event.detail)


def test_a_sign_in_does_not_count_as_a_user_change(users):
    before = AuditEvent.objects.filter(action="user.changed").count()
    client = Client()
    client.post("/accounts/sign-in/", {"username": "viewer", "password": "secret-pass-123"})
    assert AuditEvent.objects.filter(action="sign_in", actor=users.viewer).exists()
    assert AuditEvent.objects.filter(action="user.changed").count() == before


def test_deleting_a_user_is_audited(users):
    users.viewer.delete()
    assert AuditEvent.objects.filter(action="user.deleted", detail__username="viewer").exists()
