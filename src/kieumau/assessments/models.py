"""Assessments of a unit against one version of a criteria set over one period.

An assessment moves through the stages of its `Workflow` (data, see workflow.py). Every change
bumps `revision`: forms post the revision they were rendered with, and a save against an older
one is refused (`services.AssessmentConflict`) instead of silently overwriting someone's work.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.accounts.scope import UnitScopedModel


class Workflow(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    stages = models.JSONField(_("các bước"), default=list)
    transitions = models.JSONField(_("các chuyển bước"), default=list)
    recogniser_level = models.CharField(
        _("cấp công nhận"),
        max_length=16,
        default="ministry",
        choices=[("ministry", _("Bộ Công an")), ("province", _("Công an tỉnh"))],
    )

    def __str__(self) -> str:
        return self.name

    @property
    def definition(self):
        """The checked definition, parsed once per instance."""
        cached = getattr(self, "_definition", None)
        if cached is None:
            from kieumau.assessments.workflow import parse_definition

            cached = self._definition = parse_definition(
                stages=self.stages,
                transitions=self.transitions,
                recogniser_level=self.recogniser_level,
            )
        return cached


class Assessment(UnitScopedModel):
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("đơn vị"),
    )
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("bộ tiêu chí"),
    )
    # The set's code, copied: one assessment per unit, set and period whichever version it
    # was opened under (a new version of the set must not open a second one beside it).
    set_code = models.SlugField(_("mã bộ tiêu chí"), max_length=64, editable=False)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="assessments")
    stage = models.CharField(_("bước"), max_length=32, db_index=True)
    is_locked = models.BooleanField(_("đã khóa"), default=False)
    revision = models.PositiveIntegerField(default=1)
    # The result of the last evaluation, stored on save and on each transition.
    met_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    qualifies = models.BooleanField(null=True, blank=True)
    grade = models.CharField(max_length=64, blank=True)
    outcome_label = models.CharField(max_length=200, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "set_code", "period_start"],
                name="assessment_unique_unit_set_code_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="assessment_period_order",
            ),
        ]
        indexes = [models.Index(fields=["unit", "period_end"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.criteria_set_id} · {self.period_start}..{self.period_end}"

    def save(self, *args, **kwargs):
        if not self.set_code and self.criteria_set_id:
            self.set_code = self.criteria_set.code
        super().save(*args, **kwargs)

    @property
    def stage_info(self):
        return self.workflow.definition.stage(self.stage)

    @property
    def year(self) -> int:
        return self.period_end.year


class CriterionJudgement(UnitScopedModel):
    class Judged(models.TextChoices):
        MET = "met", _("Đạt")
        NOT_MET = "not_met", _("Chưa đạt")

    class Computed(models.TextChoices):
        MET = "met", _("Đạt")
        NOT_MET = "not_met", _("Chưa đạt")
        NO_DATA = "no_data", _("Chưa có số liệu")
        MANUAL = "manual", _("Chờ đánh giá")

    scope_field = "assessment__unit_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.ForeignKey("criteria.Criterion", on_delete=models.PROTECT, related_name="+")
    self_status = models.CharField(
        _("tự đánh giá"), max_length=8, blank=True, choices=Judged.choices
    )
    self_comment = models.TextField(_("giải trình của đơn vị"), blank=True)
    review_status = models.CharField(
        _("thẩm định"), max_length=8, blank=True, choices=Judged.choices
    )
    review_comment = models.TextField(_("nhận xét thẩm định"), blank=True)
    computed_status = models.CharField(
        max_length=8, choices=Computed.choices, default=Computed.MANUAL
    )
    explanation = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="judgement_unique_per_criterion"
            ),
        ]
        # The dashboards count unmet criteria over thousands of assessments: reading only the
        # unmet judgements (about one in twelve) halves that query (bench_dashboard).
        indexes = [
            models.Index(fields=["assessment", "criterion"], name="judgement_unmet_idx",
                         condition=models.Q(computed_status="not_met")),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}: {self.computed_status}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A generated name: the uploaded name is kept only as data, never as a path."""
    return f"evidence/{timezone.localdate():%Y}/{uuid.uuid4().hex}"


class Evidence(UnitScopedModel):
    scope_field = "assessment__unit_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey("criteria.Criterion", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["assessment", "criterion"])]

    def __str__(self) -> str:
        return self.original_name


class Transition(UnitScopedModel):
    scope_field = "assessment__unit_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=32)
    from_stage = models.CharField(max_length=32)
    to_stage = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.from_stage} → {self.to_stage}"


class Recognition(UnitScopedModel):
    scope_field = "assessment__unit_id"

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="recognition"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.decision_date})"
