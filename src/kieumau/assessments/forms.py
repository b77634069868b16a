"""Forms of the assessment pages. Each write form carries the revision it was rendered with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.assessments.services import JudgementInput
from kieumau.core import bounds
from kieumau.core.dates import today
from kieumau.criteria.models import CriteriaSet, SetStatus
from kieumau.criteria.selectors import sets_for_unit
from kieumau.orgunits.models import OrgUnit


class CreateAssessmentForm(forms.Form):
    unit = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=32,
        help_text=_("Mã xã, phường (ví dụ 16939); mã được hiểu theo ngày cuối kỳ."),
    )
    criteria_set = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"),
        queryset=CriteriaSet.objects.none(),
        empty_label=None,
    )
    year = forms.IntegerField(
        label=_("Năm kết thúc kỳ đánh giá"), min_value=bounds.FIRST_YEAR, max_value=bounds.LAST_YEAR
    )

    def __init__(self, *args, unit: OrgUnit | None = None, **kwargs):
        """With `unit`, only the sets that apply to it are offered."""
        super().__init__(*args, **kwargs)
        sets = CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)
        if unit is not None:
            sets = sets.filter(pk__in=[s.pk for s in sets_for_unit(unit)])
        self.fields["criteria_set"].queryset = sets.order_by("code", "-year", "-revision")
        self.fields["criteria_set"].label_from_instance = _set_label
        self.fields["year"].initial = today().year

    def clean(self):
        data = super().clean()
        criteria_set, year = data.get("criteria_set"), data.get("year")
        if criteria_set is not None and year is not None:
            try:
                data["period"] = criteria_set.period_ending_in(year)
            except ValueError:
                self.add_error("year", _("Bộ tiêu chí này không có kỳ nào kết thúc trong năm đó."))
        return data


def _set_label(criteria_set: CriteriaSet) -> str:
    kinds = ", ".join(criteria_set.applies_to_kinds or [])
    return f"{criteria_set.title} — {criteria_set.version} ({kinds})"


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
