from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY_ADMIN = "ministry_admin", _("Quản trị cấp Bộ")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Công an tỉnh")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ Công an xã, phường")
    INSPECTOR = "inspector", _("Thành viên đoàn kiểm tra")
    VIEWER = "viewer", _("Chỉ xem")


# Roles that may change assessed data within their subtree. Inspectors record inspections
# (a later issue) and read everything else; viewers only read.
WRITER_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER})
ADMIN_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.PROVINCE_OFFICER})


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    home_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Người dùng chỉ thấy và làm việc trong phạm vi đơn vị này và cấp dưới."),
    )

    @property
    def can_write(self) -> bool:
        return self.is_active and self.role in WRITER_ROLES

    @property
    def is_admin_level(self) -> bool:
        return self.is_active and self.role in ADMIN_ROLES


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the secret is shown once. It stops working
    when it expires or is revoked (by its owner, at sign-out, at a password change)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(
        _("địa chỉ khi cấp"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"


class SignInFailure(models.Model):
    """A failed sign-in, counted per (username, client address) for lock-out (`lockout.py`);
    the username is kept lower-cased. Rows older than the lock-out window are purged."""

    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip_address", "at"], name="signinfailure_counted")
        ]

    def __str__(self) -> str:
        return f"{self.username} at {self.at}"
