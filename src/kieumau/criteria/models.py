"""Criteria sets: versioned data, not code.

A set (code + year) changes every round, and an admin may correct it during the round. An
assessment keeps the exact revision it was made against, so a set in use is never edited: the
edit becomes a new revision ("2024.2") that supersedes it. Sets are global reference data (not
tied to a unit); every signed-in user may read them. A set with an `owner` (a province's own set)
applies only to units within that province or its successor: `selectors.sets_for_unit`.
"""

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.criteria import periods
from kieumau.criteria.rules import Rule, compile_rule


class OutcomeRule(models.TextChoices):
    ALL = "all", _("Tất cả tiêu chí phải đạt")
    AT_LEAST = "at_least", _("Đạt ít nhất N tiêu chí")
    POINTS = "points", _("Chấm điểm, xếp loại")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đang áp dụng")
    SUPERSEDED = "superseded", _("Đã thay thế")


class CriterionKind(models.TextChoices):
    MANUAL = "manual", _("Đánh giá thủ công")
    INDICATOR_RULE = "indicator_rule", _("Theo chỉ số")
    CHILD_COVERAGE = "child_coverage", _("Tỷ lệ đơn vị cơ sở được công nhận")


class CriteriaSet(models.Model):
    code = models.SlugField(_("mã bộ tiêu chí"), max_length=64)
    year = models.PositiveSmallIntegerField(_("năm"))
    revision = models.PositiveSmallIntegerField(_("lần sửa đổi"), default=1)
    version = models.CharField(_("phiên bản"), max_length=16)
    title = models.CharField(_("tên"), max_length=300)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    document_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    applies_to_kinds = models.JSONField(_("áp dụng cho loại đơn vị"), default=list, blank=True)
    period_start_day = models.PositiveSmallIntegerField(_("ngày bắt đầu kỳ"), default=1)
    period_start_month = models.PositiveSmallIntegerField(_("tháng bắt đầu kỳ"), default=1)
    period_months = models.PositiveSmallIntegerField(_("số tháng của kỳ"), default=12)
    outcome_rule = models.CharField(
        _("cách xác định kết quả"),
        max_length=16,
        choices=OutcomeRule.choices,
        default=OutcomeRule.ALL,
    )
    min_met = models.PositiveIntegerField(
        _("số tiêu chí tối thiểu phải đạt"), null=True, blank=True
    )
    # [{"name": "xuất sắc", "min_points": 90}, …] highest first; "passing": false marks a band
    # that is graded but not recognised (e.g. "yếu").
    grade_bands = models.JSONField(_("mức xếp loại"), default=list, blank=True)
    reconstructed = models.BooleanField(_("dựng lại (chưa có văn bản gốc)"), default=False)
    source_note = models.TextField(_("ghi chú nguồn"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # A province's own set (e.g. Bắc Giang's plan 340) applies only within that province and the
    # province that succeeded it; null: a national set, applying everywhere.
    owner = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("đơn vị ban hành bộ tiêu chí riêng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["code", "year", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteriaset_unique_version"),
            models.UniqueConstraint(
                fields=["code", "year", "revision"], name="criteriaset_unique_revision"
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1), name="criteriaset_revision_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code} {self.version})"

    def period_ending_in(self, year: int) -> tuple[dt.date, dt.date]:
        """The assessment period that ends in `year`: for 16/11–15/11 and 2024,
        2023-11-16..2024-11-15; for the calendar year, 2024-01-01..2024-12-31."""
        return periods.period_ending_in(
            year,
            day=self.period_start_day,
            month=self.period_start_month,
            months=self.period_months,
        )

    def period_containing(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        return periods.period_containing(
            day,
            day=self.period_start_day,
            month=self.period_start_month,
            months=self.period_months,
        )

    @property
    def in_use(self) -> bool:
        """True when an assessment was made against this revision (it must then stay as it is)."""
        related = getattr(self, "assessments", None)
        return related is not None and related.exists()

    @property
    def is_current(self) -> bool:
        return self.status != SetStatus.SUPERSEDED

    def compiled_rules(self, *, known_indicators: Collection[str]) -> dict[int, Rule]:
        """Every indicator rule of the set compiled once, by criterion id."""
        return {
            c.pk: c.compiled_rule(known_indicators=known_indicators)
            for c in self.criteria.all()
            if c.kind == CriterionKind.INDICATOR_RULE
        }


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã nhóm"), max_length=32)
    title = models.CharField(_("tên nhóm"), max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criteriongroup_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(
        CriterionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )
    code = models.CharField(_("mã tiêu chí"), max_length=32)
    title = models.TextField(_("nội dung tiêu chí"))
    guidance = models.TextField(_("hướng dẫn đánh giá"), blank=True)
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    kind = models.CharField(
        _("loại tiêu chí"),
        max_length=20,
        choices=CriterionKind.choices,
        default=CriterionKind.MANUAL,
    )
    expression = models.TextField(_("biểu thức"), blank=True)
    child_kinds = models.JSONField(_("loại đơn vị cơ sở"), default=list, blank=True)
    # One set code, or several separated by commas when the children are of several kinds each
    # recognised under its own set (Thông tư 124: khu dân cư, cơ quan, doanh nghiệp, trường học).
    child_set_code = models.CharField(_("bộ tiêu chí của đơn vị cơ sở"), max_length=255, blank=True)
    child_min_share = models.DecimalField(
        _("tỷ lệ tối thiểu được công nhận"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "order", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title[:60]}"

    @property
    def child_set_codes(self) -> list[str]:
        return [code for code in self.child_set_code.replace(" ", "").split(",") if code]

    def compiled_rule(self, *, known_indicators: Collection[str] | None = None) -> Rule:
        """The indicator rule, compiled once per instance. Without `known_indicators` the
        catalogue is read (one query); pass the codes when compiling many criteria."""
        cached = getattr(self, "_compiled_rule", None)
        if cached is not None and cached.text == self.expression:
            return cached
        if self.kind != CriterionKind.INDICATOR_RULE:
            raise ValueError(f"{self.code} is not an indicator rule")
        if known_indicators is None:
            from kieumau.criteria.selectors import indicator_codes

            known_indicators = indicator_codes()
        self._compiled_rule = compile_rule(self.expression, known_indicators=known_indicators)
        return self._compiled_rule
