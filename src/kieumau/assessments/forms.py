"""Forms of the assessment pages. Each write form carries the revision it was rendered with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.assessments.services import JudgementInput
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.criteria.models import CriteriaSet, SetStatus
from kieumau.criteria.selectors import sets_for_unit
from kieumau.orgunits.models import Kind, OrgUnit


class CreateAssessmentForm(forms.Form):
    unit = forms.CharField(
        label=_("Đơn vị"),
        max_length=100,
        help_text=_("Tên (không cần dấu) hoặc mã xã, phường; hiểu theo ngày cuối kỳ."),
    )
    criteria_set = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"),
        queryset=CriteriaSet.objects.none(),
        empty_label=None,
    )
    year = forms.IntegerField(
        label=_("Năm kết thúc kỳ đánh giá"), min_value=bounds.FIRST_YEAR, max_value=bounds.LAST_YEAR
    )

    def __init__(self, *args, unit: OrgUnit | None = None, choices: list | None = None, **kwargs):
        """With `unit`, only the sets that apply to it are offered, the newest first and chosen.
        With `choices` (the units in the user's scope, when they are few enough to list) the unit
        is picked by name from a list instead of typed."""
        super().__init__(*args, **kwargs)
        sets = CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)
        if unit is not None:
            applying = sets_for_unit(unit)
            sets = sets.filter(pk__in=[s.pk for s in applying])
            if applying and not self.is_bound and "criteria_set" not in self.initial:
                newest = max(applying, key=lambda s: (s.year, s.revision, -s.pk))
                self.initial["criteria_set"] = newest.pk
        self.fields["criteria_set"].queryset = sets.order_by("title", "-year", "-revision")
        self.fields["criteria_set"].label_from_instance = set_label
        self.fields["year"].initial = today().year
        if choices:
            self.fields["unit"].widget = forms.Select(
                choices=[("", _("— chọn xã, phường —"))]
                + [(u.code, unit_choice_label(u)) for u in choices]
            )
            self.fields["unit"].help_text = _(
                "Chỉ các đơn vị trong phạm vi của bạn; đơn vị cũ (trước sắp xếp): gõ mã ở trang "
                "đơn vị."
            )
        else:
            self.fields["unit"].widget.attrs.update(
                {"placeholder": _("ví dụ: thai hoa, hoặc 16939"), "autocomplete": "off"}
            )

    def clean(self):
        data = super().clean()
        criteria_set, year = data.get("criteria_set"), data.get("year")
        if criteria_set is not None and year is not None:
            try:
                data["period"] = criteria_set.period_ending_in(year)
            except ValueError:
                self.add_error("year", _("Bộ tiêu chí này không có kỳ nào kết thúc trong năm đó."))
        return data


def unit_choice_label(unit: OrgUnit) -> str:
    parent = getattr(unit, "province_name", "") or ""
    return f"{unit.police_name} · {parent}" if parent else unit.police_name


def set_label(criteria_set: CriteriaSet) -> str:
    """"Phường kiểu mẫu — 2024 (phường)": the title, the version and whom it is for, in words."""
    kinds = ", ".join(
        str(Kind(kind).label) for kind in criteria_set.applies_to_kinds or [] if kind in Kind.values
    )
    return f"{criteria_set.title} — {criteria_set.version}" + (f" ({kinds})" if kinds else "")


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=32)
    revision = forms.IntegerField(min_value=1)
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)
    decision_number = forms.CharField(required=False, max_length=64)
    decision_date = forms.DateField(required=False)
    issuing_body = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, max_length=1000)

    def clean_decision_date(self):
        day = self.cleaned_data.get("decision_date")
        if day is not None and day > today():
            raise forms.ValidationError(_("Ngày quyết định không được sau hôm nay."))
        return day


class EvidenceForm(forms.Form):
    criterion = forms.IntegerField()
    file = forms.FileField(label=_("Tệp minh chứng"))


class RevisionForm(forms.Form):
    revision = forms.IntegerField(min_value=1)


def judgement_inputs(post, *, criteria) -> tuple[list[JudgementInput], dict[int, dict]]:
    """Read `status-<id>` and `comment-<id>` for each criterion of the page; also return what was
    typed, so a refused form can be shown again as the person left it."""
    items, typed = [], {}
    for criterion in criteria:
        status = post.get(f"status-{criterion.pk}")
        comment = post.get(f"comment-{criterion.pk}")
        if status is None and comment is None:
            continue
        typed[criterion.pk] = {"status": status or "", "comment": comment or ""}
        items.append(
            JudgementInput(
                criterion_id=criterion.pk, status=status, comment=comment, ref=criterion.code
            )
        )
    return items, typed
