"""Residents as the measure: satisfaction answers, one-time codes, requests, Open311 clients.

Anonymity is structural. `SurveyAnswer` has no time finer than the month, no address, no session
and no code; `SurveyCode` records only that a code was used, not when or by which answer. The
limits that stop floods (`SubmitBudget`, `UsedFormNonce`) live in the database so that every
server process shares them; they hold keyed digests, never an address in clear, and no answer
points at them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.accounts.scope import UnitScopedModel

SCALE = (1, 2, 3, 4, 5)
ASPECTS = ("access", "procedure", "officer", "result", "feedback")


class SurveyAnswer(UnitScopedModel):
    """One resident's answer. Deliberately no created_at, no IP, no link to a code or a cookie.

    The hottest insert of the public pages: no index beyond what a read needs (the unit's
    answers are found through (unit, month))."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    month = models.DateField(_("tháng"), help_text=_("Luôn là ngày 1 của tháng."))
    procedure = models.CharField(_("thủ tục"), max_length=32)
    access = models.PositiveSmallIntegerField(_("tiếp cận dịch vụ"))
    procedure_score = models.PositiveSmallIntegerField(_("thủ tục hành chính"))
    officer = models.PositiveSmallIntegerField(_("cán bộ giải quyết"))
    result = models.PositiveSmallIntegerField(_("kết quả giải quyết"))
    feedback = models.PositiveSmallIntegerField(_("tiếp nhận, xử lý góp ý"))
    comment = models.CharField(_("góp ý"), max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(access__gte=1, access__lte=5, procedure_score__gte=1,
                            procedure_score__lte=5, officer__gte=1, officer__lte=5,
                            result__gte=1, result__lte=5, feedback__gte=1, feedback__lte=5),
                name="survey_answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} of {self.unit_id} in {self.month:%Y-%m}"


class SurveyTally(UnitScopedModel):
    """Running totals per unit and month, kept up to date by every accepted answer (in the same
    transaction), so dashboards never aggregate raw answers."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             db_index=False)  # (unit, month) is unique, so indexed
    month = models.DateField()
    answers = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    sum_access = models.PositiveIntegerField(default=0)
    sum_procedure = models.PositiveIntegerField(default=0)
    sum_officer = models.PositiveIntegerField(default=0)
    sum_result = models.PositiveIntegerField(default=0)
    sum_feedback = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="survey_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"tally {self.unit_id} {self.month:%Y-%m}: {self.satisfied}/{self.answers}"


class SurveyCode(UnitScopedModel):
    """A printed one-time code; only its keyed digest is stored, and only whether it was used."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    batch = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"code of {self.unit_id} (batch {self.batch})"


class SubmitBudget(models.Model):
    """A counter per key and time window, shared by all processes through the database."""

    key = models.CharField(max_length=96)
    count = models.PositiveIntegerField(default=0)
    window_end = models.DateTimeField(db_index=True)

    class Meta:
        # A constraint rather than unique=True: on PostgreSQL the latter adds a second index
        # for LIKE that no query uses, and every answer writes here.
        constraints = [models.UniqueConstraint(fields=["key"], name="submit_budget_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class UsedFormNonce(models.Model):
    """The digest of each form token already spent, until the token would have expired anyway."""

    digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [  # as SubmitBudget's: no LIKE index on PostgreSQL
            models.UniqueConstraint(fields=["digest"], name="used_form_nonce_unique_digest"),
        ]

    def __str__(self) -> str:
        return self.digest[:12]


# --- requests to the ward police -----------------------------------------------------------


class RequestCategory(UnitScopedModel):
    """A kind of request, owned by a province (which edits it), with its handling deadline."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("công an tỉnh"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn xử lý (ngày)"))
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="request_category_unique_code"),
            models.CheckConstraint(condition=Q(deadline_days__gte=1, deadline_days__lte=365),
                                   name="request_category_deadline_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", _("đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("đang xử lý")
    RESOLVED = "resolved", _("đã xử lý")
    CLOSED = "closed", _("đã kết thúc")
    REJECTED = "rejected", _("không thụ lý")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class CitizenRequest(UnitScopedModel):
    """A resident's report. The contact fields and the photo are personal data: shown only to
    officers of the handling unit itself (see `selectors.may_see_reporter`)."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị xử lý"))
    category = models.ForeignKey(RequestCategory, on_delete=models.PROTECT, related_name="+")
    tracking_code = models.CharField(max_length=16, unique=True)
    description = models.TextField(_("nội dung"), max_length=2000)
    address = models.CharField(_("địa điểm"), max_length=300, blank=True)
    address_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Xã, phường mà địa chỉ thuộc về (tự nhận biết, có thể trống)."))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(upload_to="citizens/%Y/", blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(max_length=254, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    status_note = models.CharField(_("ghi chú công khai"), max_length=500, blank=True)
    received_at = models.DateTimeField()
    due_on = models.DateField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    resident_fixed = models.BooleanField(null=True, blank=True)
    channel = models.CharField(max_length=16, default="web")
    client = models.ForeignKey("Open311Client", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        indexes = [models.Index(fields=["unit", "status", "due_on"]),
                   models.Index(fields=["unit", "received_at"])]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestEvent(UnitScopedModel):
    """The trail of a request: each status change, reassignment and resident answer."""

    scope_field = "request__unit_id"

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    from_unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class Open311Client(models.Model):
    """A third-party client allowed to POST requests; only the key's SHA-256 is stored."""

    name = models.CharField(max_length=100)
    key_digest = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
