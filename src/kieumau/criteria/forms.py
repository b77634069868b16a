"""Forms of the editing pages; they only shape input into a SetSpec change, the services check it."""

import re
from dataclasses import replace
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kieumau.criteria.models import CriterionKind, OutcomeRule
from kieumau.criteria.rules import format_number
from kieumau.criteria.spec import CriterionSpec, GradeBandSpec, GroupSpec, SetSpec
from kieumau.criteria.validation import Problem
from kieumau.orgunits.models import Kind

NOT_PASSING = "(không công nhận)"
_BAND = re.compile(r"^(?P<name>.+?)\s*:\s*(?P<points>[0-9]+(?:[.,][0-9]+)?)\s*(?P<flag>\(.*\))?$")
_GROUP = re.compile(r"^(?P<code>[^:]+?)\s*:\s*(?P<title>.+)$")
HUNDRED = Decimal(100)


def _kind_choices():
    return [(value, label) for value, label in Kind.choices if value != Kind.BO]


class SetForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên bộ tiêu chí"), max_length=300)
    document_number = forms.CharField(
        label=gettext_lazy("Số văn bản"), max_length=100, required=False
    )
    document_date = forms.DateField(
        label=gettext_lazy("Ngày văn bản"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document_body = forms.CharField(
        label=gettext_lazy("Cơ quan ban hành"), max_length=200, required=False
    )
    applies_to_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Áp dụng cho loại đơn vị"),
        choices=_kind_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start_day = forms.IntegerField(
        label=gettext_lazy("Kỳ bắt đầu: ngày"), min_value=1, max_value=31
    )
    period_start_month = forms.IntegerField(label=gettext_lazy("tháng"), min_value=1, max_value=12)
    period_months = forms.IntegerField(
        label=gettext_lazy("Số tháng của kỳ"), min_value=1, max_value=24
    )
    outcome_rule = forms.ChoiceField(
        label=gettext_lazy("Cách xác định kết quả"), choices=OutcomeRule.choices
    )
    min_met = forms.IntegerField(
        label=gettext_lazy("Số tiêu chí tối thiểu phải đạt (khi chọn «Đạt ít nhất N»)"),
        min_value=1,
        required=False,
    )
    grade_bands = forms.CharField(
        label=gettext_lazy("Mức xếp loại (khi chấm điểm): mỗi dòng «tên: điểm tối thiểu»"),
        help_text=gettext_lazy(
            "Ví dụ «khá: 70». Thêm «(không công nhận)» sau điểm cho mức như «yếu: 0 "
            "(không công nhận)»."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    groups = forms.CharField(
        label=gettext_lazy("Nhóm tiêu chí: mỗi dòng «mã: tên nhóm»"),
        help_text=gettext_lazy(
            "Xóa một dòng thì các tiêu chí của nhóm đó thành tiêu chí không thuộc nhóm nào."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    reconstructed = forms.BooleanField(
        label=gettext_lazy("Dựng lại (chưa có nguyên văn chính thức)"), required=False
    )
    source_note = forms.CharField(
        label=gettext_lazy("Ghi chú nguồn"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    SPEC_FIELDS = (
        "title",
        "document_number",
        "document_date",
        "document_body",
        "period_start_day",
        "period_start_month",
        "period_months",
        "outcome_rule",
        "min_met",
        "reconstructed",
        "source_note",
    )

    @classmethod
    def initial_from(cls, spec: SetSpec) -> dict:
        initial = {name: getattr(spec, name) for name in cls.SPEC_FIELDS}
        initial["applies_to_kinds"] = list(spec.applies_to_kinds)
        initial["grade_bands"] = "\n".join(
            f"{b.name}: {format_number(b.min_points)}" + ("" if b.passing else f" {NOT_PASSING}")
            for b in spec.grade_bands
        )
        initial["groups"] = "\n".join(f"{g.code}: {g.title}" for g in spec.groups)
        return initial

    def clean_grade_bands(self) -> tuple[GradeBandSpec, ...]:
        bands = []
        for number, line in enumerate(self.cleaned_data["grade_bands"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _BAND.match(line.strip())
            if match is None or (match["flag"] and match["flag"] != NOT_PASSING):
                raise forms.ValidationError(
                    _("Dòng %(n)s: cần dạng «tên: điểm», ví dụ «khá: 70».") % {"n": number}
                )
            bands.append(
                GradeBandSpec(
                    name=match["name"].strip(),
                    min_points=Decimal(match["points"].replace(",", ".")),
                    passing=not match["flag"],
                )
            )
        return tuple(bands)

    def clean_groups(self) -> tuple[GroupSpec, ...]:
        groups = []
        for number, line in enumerate(self.cleaned_data["groups"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _GROUP.match(line.strip())
            if match is None:
                raise forms.ValidationError(
                    _("Dòng %(n)s: cần dạng «mã: tên nhóm», ví dụ «I: Xây dựng lực lượng».")
                    % {"n": number}
                )
            groups.append(GroupSpec(code=match["code"].strip(), title=match["title"].strip()))
        return tuple(groups)

    def apply_to(self, spec: SetSpec) -> SetSpec:
        data = self.cleaned_data
        changes = {name: data[name] for name in self.SPEC_FIELDS}
        for name in ("document_number", "document_body", "source_note"):
            changes[name] = changes[name] or ""
        changes["applies_to_kinds"] = tuple(data["applies_to_kinds"])
        changes["grade_bands"] = data["grade_bands"]
        changes["groups"] = data["groups"]
        kept = {g.code for g in data["groups"]}
        changes["criteria"] = tuple(c if c.group in kept else _ungrouped(c) for c in spec.criteria)
        return spec.replace(**changes)

    def show_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            field = problem.field if problem.field in self.fields else None
            if problem.criterion:
                field = None
            self.add_error(field, problem.message)


def _ungrouped(c: CriterionSpec) -> CriterionSpec:
    return replace(c, group=None)


def _plain(value: Decimal) -> str:
    """70.0000 → "70", 72.50 → "72.5": what a number input shows."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class CriterionForm(forms.Form):
    group = forms.ChoiceField(label=gettext_lazy("Nhóm"), required=False)
    code = forms.CharField(label=gettext_lazy("Mã tiêu chí"), max_length=32)
    title = forms.CharField(
        label=gettext_lazy("Nội dung tiêu chí"), widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance = forms.CharField(
        label=gettext_lazy("Hướng dẫn đánh giá"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_required = forms.BooleanField(label=gettext_lazy("Cần minh chứng"), required=False)
    points = forms.DecimalField(
        label=gettext_lazy("Điểm (bộ chấm điểm)"), min_value=0, decimal_places=2, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại tiêu chí"), choices=CriterionKind.choices)
    expression = forms.CharField(
        label=gettext_lazy("Biểu thức theo chỉ số"),
        help_text=gettext_lazy("Ví dụ: tin_bao_da_xu_ly >= tin_bao_tiep_nhan"),
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "autocapitalize": "off"}),
        required=False,
    )
    child_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Loại đơn vị cơ sở được tính"),
        choices=_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    child_sets = forms.CharField(
        label=gettext_lazy("Mã bộ tiêu chí công nhận đơn vị cơ sở (cách nhau bằng dấu phẩy)"),
        max_length=255,
        required=False,
    )
    child_min_percent = forms.DecimalField(
        label=gettext_lazy("Tỷ lệ tối thiểu được công nhận (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args, groups: tuple[GroupSpec, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("(không thuộc nhóm nào)"))] + [
            (g.code, f"{g.code}. {g.title}") for g in groups
        ]

    @staticmethod
    def initial_from(c: CriterionSpec) -> dict:
        return {
            "group": c.group or "",
            "code": c.code,
            "title": c.title,
            "guidance": c.guidance,
            "evidence_required": c.evidence_required,
            "points": c.points,
            "kind": c.kind,
            "expression": c.expression,
            "child_kinds": list(c.child_kinds),
            "child_sets": ", ".join(c.child_sets),
            "child_min_percent": (
                _plain(c.child_min_share * HUNDRED) if c.child_min_share is not None else None
            ),
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        percent = data["child_min_percent"]
        return {
            "group": data["group"] or None,
            "code": data["code"].strip(),
            "title": data["title"].strip(),
            "guidance": data["guidance"].strip(),
            "evidence_required": data["evidence_required"],
            "points": data["points"],
            "kind": data["kind"],
            "expression": data["expression"].strip(),
            "child_kinds": tuple(data["child_kinds"]),
            "child_sets": tuple(
                code for code in data["child_sets"].replace(" ", "").split(",") if code
            ),
            "child_min_share": percent / HUNDRED if percent is not None else None,
        }

    def new_criterion(self) -> CriterionSpec:
        return CriterionSpec(**self.changes())

    def show_problems(self, problems: list[Problem], *, code: str) -> None:
        names = {"child_min_share": "child_min_percent"}
        for problem in problems:
            mine = problem.criterion in (code, self.cleaned_data.get("code"))
            field = names.get(problem.field, problem.field)
            self.add_error(field if mine and field in self.fields else None, problem.message)
