"""The indicator catalogue and the values each unit reports month by month.

A value belongs to one unit (as a dated body: codes are reused) and one month (stored as its first
day). Every change keeps the previous value in `IndicatorValueChange`; an approved assessment locks
the values it used. Uploaded spreadsheets are imported in the background: `IndicatorImport` is the
record the upload page polls.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kieumau.accounts.scope import UnitScopedModel
from kieumau.core.jobs import JobRecord


class Aggregation(models.TextChoices):
    SUM = "sum", _("cộng các tháng")
    AVG = "avg", _("trung bình các tháng")
    LAST = "last", _("giá trị tháng gần nhất")


class ValueType(models.TextChoices):
    COUNT = "count", _("số nguyên không âm")
    NUMBER = "number", _("số không âm")
    PERCENT = "percent", _("tỉ lệ phần trăm (0–100)")
    FLAG = "flag", _("có (1) / không (0)")


class Source(models.TextChoices):
    FORM = "form", _("nhập trên trang")
    XLSX = "xlsx", _("tệp Excel")
    API = "api", _("API")


class Indicator(models.Model):
    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50)
    aggregation = models.CharField(
        _("cách gộp các tháng"), max_length=8, choices=Aggregation.choices
    )
    value_type = models.CharField(_("kiểu giá trị"), max_length=8, choices=ValueType.choices)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class IndicatorValue(UnitScopedModel):
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="indicator_values",
        verbose_name=_("đơn vị"),
        db_index=False,  # the unique (unit, indicator, month) index serves lookups by unit
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("chỉ số")
    )
    month = models.DateField(_("tháng"), help_text=_("Luôn là ngày 1 của tháng."))
    # Null once someone clears a value: the row stays so that its history stays.
    value = models.DecimalField(
        _("giá trị"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("cập nhật lúc"))
    locked = models.BooleanField(
        _("đã khóa"),
        default=False,
        help_text=_("Một đánh giá đã duyệt dùng giá trị này; không sửa được."),
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "month"],
                name="indicator_value_unique_unit_indicator_month",
            ),
        ]
        # Covers the aggregation of a period (sum/avg/last per unit and indicator) without
        # reading the table: national evaluations read a million values.
        indexes = [
            models.Index(
                fields=["unit", "indicator", "month", "value"], name="indicator_value_covering"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.indicator_id} {self.month:%Y-%m} = {self.value}"


class MonthlyTotal(UnitScopedModel):
    """An indicator's values of one month summed over every commune a province or the ministry
    reaches (`Reach`: the communes under it at any time and those whose history rolls up into
    them), kept by `services.set_values` in the transaction that changes the values, and
    rebuilt whole when the tree's reach is (`totals.rebuild`).

    A national trend sums millions of values; read from here it is one row per indicator and
    month. Only the levels whose sums are costly are kept (`totals.TOTALLED_LEVELS`)."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    # 13,000 communes' values of up to 14 integer digits each
    total = models.DecimalField(max_digits=24, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "month"], name="monthly_total_unique_unit_indicator_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.indicator_id} {self.month:%Y-%m} = {self.total}"


class IndicatorValueChange(UnitScopedModel):
    """One change of one value: who, when, from what to what, and through which channel."""

    scope_field = "value__unit_id"

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="changes")
    previous = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    new = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value_id}: {self.previous} → {self.new}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("đang chờ")
    RUNNING = "running", _("đang kiểm tra")
    WRITING = "writing", _("đang ghi")
    DONE = "done", _("hoàn tất")
    FAILED = "failed", _("bị từ chối")


class IndicatorImport(UnitScopedModel, JobRecord):
    """One uploaded spreadsheet. Scoped by the uploader's home unit, so their superiors see it.

    A job record (`kieumau.core.jobs`): an import whose process died is marked failed."""

    RUNNING_STATUSES = (ImportStatus.RUNNING, ImportStatus.WRITING)

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="indicator-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    values_created = models.PositiveIntegerField(default=0)
    values_updated = models.PositiveIntegerField(default=0)
    values_unchanged = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "tin_bao_tiep_nhan", "message": "..."}]; row/column may be null.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} {self.original_name} ({self.status})"

    def interrupted_fields(self, *, message: str, now) -> dict:
        return {
            "status": ImportStatus.FAILED,
            "errors": [{"row": None, "column": None, "message": message}],
            "error_count": 1,
            "finished_at": now,
        }

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_processed * 100 // self.rows_total)
