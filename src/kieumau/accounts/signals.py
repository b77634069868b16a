"""Every change to a user is audited, whichever path made it (pages, CLI, shell); a new password
revokes the user's API tokens."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from kieumau.accounts.models import User
from kieumau.core import audit

_WATCHED = ("username", "role", "home_unit_id", "is_active", "is_superuser", "password",
            "first_name", "last_name", "email")


def _snapshot(user: User) -> dict:
    return {name: getattr(user, name) for name in _WATCHED}


@receiver(pre_save, sender=User)
def remember_before(sender, instance: User, **kwargs) -> None:
    before = User.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = _snapshot(before) if before else None


@receiver(post_save, sender=User)
def audit_user_change(sender, instance: User, created: bool, **kwargs) -> None:
    before = getattr(instance, "_audit_before", None)
    after = _snapshot(instance)
    changed = sorted(k for k in _WATCHED if before is None or before[k] != after[k])
    if not created and not changed:
        return  # e.g. only last_login moved: the sign-in has its own audit row
    detail = {"fields": changed}
    if "role" in changed:
        detail["role"] = instance.role
    if "home_unit_id" in changed:
        detail["home_unit_id"] = instance.home_unit_id
    audit.record(
        actor=getattr(instance, "_audit_actor", None),
        action="user.created" if created else "user.changed",
        target=instance,
        unit=instance.home_unit,
        detail=detail,
    )
    if not created and "password" in changed and _password_was_set(instance):
        from kieumau.accounts.services import revoke_all_tokens

        revoke_all_tokens(user=instance, actor=getattr(instance, "_audit_actor", None),
                          reason="password_changed")


def _password_was_set(user: User) -> bool:
    """A new password (or none at all), not Django re-hashing the same one at sign-in: its
    upgrade path clears `_password` before saving, `set_password` keeps it until after."""
    return getattr(user, "_password", None) is not None or not user.has_usable_password()


@receiver(post_delete, sender=User)
def audit_user_delete(sender, instance: User, **kwargs) -> None:
    audit.record(actor=getattr(instance, "_audit_actor", None), action="user.deleted",
                 detail={"username": instance.username, "id": instance.pk})
