"""What the assessment services raise; pages and the API turn these into Vietnamese answers."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class AssessmentConflict(Exception):
    """Someone saved the assessment after the form was rendered: nothing was written (409)."""

    def __init__(self, *, current_revision: int | None, updated_at: dt.datetime | None) -> None:
        super().__init__(f"assessment changed (now revision {current_revision})")
        self.current_revision = current_revision
        self.updated_at = updated_at

    @property
    def message(self) -> str:
        when = (
            formats.date_format(timezone.localtime(self.updated_at), "H:i d/m/Y")
            if self.updated_at
            else "…"
        )
        return _("Hồ sơ đã được người khác cập nhật lúc %(when)s; tải lại để xem thay đổi.") % {
            "when": when
        }


class AssessmentInputError(Exception):
    """Bad input: nothing changed. `errors` name the field (or criterion) and say what is wrong."""

    def __init__(self, detail: str, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class AssessmentLocked(AssessmentInputError):
    """The assessment is in a locked stage (approved, recognised): nothing may change."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Hồ sơ đã khóa sau khi thẩm định; không thể thay đổi. "
                "Cấp trên có thể mở khóa (kèm lý do)."
            )
        )


class NotEditableNow(AssessmentInputError):
    """The user may see the assessment, but the current stage is not theirs to edit."""

    def __init__(self, stage_name: str) -> None:
        super().__init__(
            _("Ở bước “%(stage)s”, bạn không được sửa hồ sơ này.") % {"stage": stage_name}
        )


class InvalidTransition(AssessmentInputError):
    """The action does not leave the current stage."""


class NotYourStep(PermissionDenied):
    """The user may see the assessment but not take this step (403), e.g. approving their own."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
