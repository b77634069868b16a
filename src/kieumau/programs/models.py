"""Programs of model units, their plans and roadmaps, committees, checklists, money and merit.

- `Program` ("mô hình"): a movement a unit runs (name, owner unit, the criteria-set codes whose
  results count for it). Several run at once in a province. Merging one into another moves its
  plans over and leaves the merged one as a read-only record pointing at the survivor
  (`merged_into`), so nothing is lost.
- `Plan` ("kế hoạch"): official number ("340/KH-CAT-XDPTBVANTQ"), date, issuing unit, program,
  period, aims. Units are `OrgUnit` rows valid on the plan's date: a plan of old Bắc Giang
  province names the old wards; their history rolls up into today's units through `Reach`.
- `Enrolment`: a unit in a plan, with the year it is meant to qualify and whether it is a pilot.
- `Target`: a yearly goal, a count of units ("16 wards in 2023") or a percent of the enrolled
  units ("100% by 2030").
- `ChecklistStep`: the required steps of an enrolled unit (Party-committee resolution, People's
  Committee plan, steering committee, registration), each with its date and document number.
- `Committee` + `CommitteeMember`: "Ban chỉ đạo" and "Tổ công tác" of a plan.
- `BudgetLine`: whole đồng (BigInteger, 0..MAX_VND), per plan, year and optionally unit.
- `Award`: "Giấy khen"/"Bằng khen" to a collective or an individual.

Who sees what (every model is a `UnitScopedModel`; `scope_field` names the unit):
- programs by their owner unit, and also by the units below it (a national programme is read by
  every province that runs plans under it; only the owner's subtree changes it); plans by their issuing unit, and everything hanging off a plan
  (targets, committees, budget lines, awards) by the plan's issuing unit: a province's officers,
  viewers and inspectors, and the ministry. Because `Reach` rolls history up, today's Bắc Ninh
  sees the plans of old Bắc Giang province.
- enrolments and their checklist steps by the enrolled unit: a ward officer sees that their ward
  is enrolled (plan number, target year, steps) on their own unit page without seeing the whole
  plan; the province sees all of them.
Writes: ministry admins and province officers (`User.is_admin_level`) within scope; a commune
officer may tick their own unit's checklist steps. See services.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kieumau.accounts import scope
from kieumau.accounts.scope import UnitScopedModel, UnitScopedQuerySet

MAX_VND = 10**15  # one million billion đồng: far above any line, small enough for every database
MIN_YEAR, MAX_YEAR = 2000, 2100


class ProgramQuerySet(UnitScopedQuerySet):
    def visible_to(self, user) -> "ProgramQuerySet":
        """Programs of the user's subtree, and those of the units above them (a national or
        provincial programme is read by the units that take part in it)."""
        return self.filter(
            Q(owner_unit_id__in=scope.visible_unit_ids(user))
            | Q(owner_unit_id__in=scope.units_above_ids(user))
        )


class Program(UnitScopedModel):
    scope_field = "owner_unit_id"
    objects = ProgramQuerySet.as_manager()

    name = models.CharField(_("tên mô hình"), max_length=300)
    owner_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="programs",
        verbose_name=_("đơn vị chủ trì"),
    )
    # Codes of criteria sets (criteria.CriteriaSet.code) whose results count for the roadmap;
    # empty means any set.
    set_codes = models.JSONField(_("bộ tiêu chí áp dụng"), default=list, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        verbose_name=_("đã hợp nhất vào"),
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    demo_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Plan(UnitScopedModel):
    scope_field = "issuing_unit_id"

    number = models.CharField(_("số kế hoạch"), max_length=64)
    date = models.DateField(_("ngày ban hành"))
    issuing_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="issued_plans",
        verbose_name=_("đơn vị ban hành"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="plans", verbose_name=_("mô hình")
    )
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    aims = models.TextField(_("mục đích, yêu cầu"), blank=True)
    demo_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "number"], name="plan_unique_number"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Enrolment(UnitScopedModel):
    class Stage(models.TextChoices):
        PILOT = "pilot", _("Thí điểm")
        REPLICATION = "replication", _("Nhân rộng")

    scope_field = "unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="enrolments")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="enrolments",
        verbose_name=_("đơn vị"),
    )
    target_year = models.PositiveSmallIntegerField(
        _("năm phấn đấu đạt"),
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    stage = models.CharField(
        _("giai đoạn"), max_length=16, choices=Stage.choices, default=Stage.REPLICATION
    )

    class Meta:
        ordering = ["target_year", "unit__name_folded", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="enrolment_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.unit_id} ({self.target_year})"


class Target(UnitScopedModel):
    class Kind(models.TextChoices):
        COUNT = "count", _("Số đơn vị")
        PERCENT = "percent", _("Tỷ lệ % đơn vị tham gia")

    scope_field = "plan__issuing_unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    kind = models.CharField(_("loại chỉ tiêu"), max_length=8, choices=Kind.choices)
    value = models.PositiveIntegerField(_("chỉ tiêu"))

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="target_unique_year"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="target_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}{'%' if self.kind == self.Kind.PERCENT else ''}"


class Step(models.TextChoices):
    """The required steps of an enrolled unit (Thông tư 124/2021, quý I), in order."""

    PARTY_RESOLUTION = "party_resolution", _("Nghị quyết của Đảng ủy")
    PEOPLES_COMMITTEE_PLAN = "committee_plan", _("Kế hoạch của UBND")
    STEERING_COMMITTEE = "steering_committee", _("Thành lập Ban chỉ đạo")
    REGISTRATION = "registration", _("Đăng ký thi đua")


class ChecklistStep(UnitScopedModel):
    scope_field = "enrolment__unit_id"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("bước"), max_length=24, choices=Step.choices)
    done_on = models.DateField(_("ngày hoàn thành"))
    document_number = models.CharField(_("số văn bản"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="checklist_unique_step")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.step}"


class Committee(UnitScopedModel):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Ban chỉ đạo")
        WORKING_GROUP = "working_group", _("Tổ công tác")

    scope_field = "plan__issuing_unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=300)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=64, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(UnitScopedModel):
    scope_field = "committee__plan__issuing_unit_id"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role = models.CharField(_("nhiệm vụ trong ban"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(UnitScopedModel):
    scope_field = "plan__issuing_unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("đơn vị thụ hưởng"),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    amount = models.BigIntegerField(
        _("số tiền (đồng)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_VND)]
    )
    purpose = models.CharField(_("nội dung"), max_length=500)
    demo_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_VND), name="budget_amount_bounds"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount} đ"


class Award(UnitScopedModel):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    class Title(models.TextChoices):
        GIAY_KHEN = "giay_khen", _("Giấy khen")
        BANG_KHEN = "bang_khen", _("Bằng khen")

    scope_field = "plan__issuing_unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("đối tượng"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("hình thức khen thưởng"), max_length=12, choices=Title.choices)
    recipient = models.CharField(_("tập thể / cá nhân được khen"), max_length=300)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_body = models.CharField(_("cấp khen"), max_length=200)
    demo_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["decision_date", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_title_display()}: {self.recipient}"
