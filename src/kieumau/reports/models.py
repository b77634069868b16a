"""A report or export job: what was asked, how far it got, and the file it left.

Scoped by the unit whose data it covers (a province, the country): whoever's scope covers that
unit may see and download it; everyone else gets 404. The file lives under MEDIA_ROOT/reports/,
written under a temporary name and renamed when whole, and is removed once `expires_at` passes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kieumau.accounts.scope import UnitScopedModel
from kieumau.core.jobs import JobRecord


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    RUNNING = "running", _("đang chạy")
    DONE = "done", _("xong")
    FAILED = "failed", _("lỗi")


class JobFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV"


class ReportJob(UnitScopedModel, JobRecord):
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # "review" (the review report) or the name of a table in reports.sheets.
    subject = models.CharField(max_length=40)
    format = models.CharField(max_length=4, choices=JobFormat.choices)
    # Bounded, validated parameters: {"from": "2025-01-01", "to": "...", "plan": "340/KH-…", …}
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    RUNNING_STATUSES = (JobStatus.RUNNING,)

    def __str__(self) -> str:
        return f"report job {self.pk} {self.subject}.{self.format} ({self.status})"

    def interrupted_fields(self, *, message: str, now) -> dict:
        return {"status": JobStatus.FAILED, "message": message[:500], "finished_at": now}

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    @property
    def download_name(self) -> str:
        return f"kieumau-{self.subject}-{self.pk}.{self.format}"


class ReportTemplate(UnitScopedModel):
    """A province's own Word template of the review report (docxtpl tags), used for reports of
    the units under it instead of the shipped one."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="report-templates/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report template {self.name} of {self.unit_id}"
