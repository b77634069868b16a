"""Inspections and surveys ("đoàn kiểm tra, khảo sát") and the follow-up of their recommendations.

- `Inspection`: the team's visit, run by `owner_unit` (usually a provincial police), on a date,
  optionally under a plan (`programs.Plan`); `InspectionMember`s are the team.
- `Visit`: one unit visited, with the difficulties it raised ("khó khăn, vướng mắc").
- `Finding`: a strength or a shortcoming ("ưu điểm" / "tồn tại") seen at a visited unit,
  optionally tied to a criterion code.
- `Recommendation` ("kiến nghị, đề xuất"): what must be done, by which unit (`unit`), by when,
  its status (open, in progress, done, dropped) and a resolution note. Overdue = not done or
  dropped and due before the day looked at (`selectors.overdue_recommendations`).

Who sees what (all `UnitScopedModel`):
- an inspection and its team by the owner unit (the province and the ministry);
- a visit and its findings by the visited unit, a recommendation by the unit responsible: the ward
  officer sees what was found at their ward and what they must do, on their own unit page,
  without the rest of the inspection. Because `Reach` rolls history up, a recommendation made
  to an old ward shows under the ward it merged into.
Writes: recording an inspection (team, visits, findings, recommendations) is for the ministry,
province officers and inspectors within scope (inspectors still cannot change assessed data:
`User.can_write` stays false for them). Progress on a recommendation (status, note) may also be
recorded by a commune officer of the responsible unit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kieumau.accounts.scope import UnitScopedModel


class Inspection(UnitScopedModel):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Kiểm tra")
        SURVEY = "survey", _("Khảo sát")

    scope_field = "owner_unit_id"

    owner_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="inspections",
        verbose_name=_("đơn vị tổ chức"),
    )
    plan = models.ForeignKey(
        "programs.Plan", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inspections", verbose_name=_("theo kế hoạch"),
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices,
                            default=Kind.INSPECTION)
    title = models.CharField(_("nội dung"), max_length=300)
    date = models.DateField(_("ngày kiểm tra"))
    summary = models.TextField(_("kết luận chung"), blank=True)
    demo_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class InspectionMember(UnitScopedModel):
    scope_field = "inspection__owner_unit_id"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role = models.CharField(_("nhiệm vụ trong đoàn"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Visit(UnitScopedModel):
    scope_field = "unit_id"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="inspection_visits",
        verbose_name=_("đơn vị được kiểm tra"),
    )
    difficulties = models.TextField(_("khó khăn, vướng mắc của đơn vị"), blank=True)

    class Meta:
        ordering = ["unit__name_folded", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="visit_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.unit_id}"


class Finding(UnitScopedModel):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Ưu điểm")
        SHORTCOMING = "shortcoming", _("Tồn tại, hạn chế")

    scope_field = "visit__unit_id"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    criterion_code = models.CharField(_("tiêu chí liên quan"), max_length=32, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class Recommendation(UnitScopedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã thực hiện")
        DROPPED = "dropped", _("Không thực hiện")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    scope_field = "unit_id"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="recommendations",
        verbose_name=_("đơn vị chịu trách nhiệm"),
    )
    text = models.TextField(_("kiến nghị, đề xuất"))
    due_on = models.DateField(_("hạn thực hiện"))
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolution_note = models.TextField(_("kết quả thực hiện"), blank=True)
    resolved_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.text[:40]} ({self.due_on:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
