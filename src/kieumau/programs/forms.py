"""Forms of the programme and plan pages. Units are typed by code and resolved as of a date
(the plan's date: an old plan names old wards)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.core.money import MoneyError, parse_vnd
from kieumau.programs.models import (
    MAX_VND,
    MAX_YEAR,
    MIN_YEAR,
    Award,
    Committee,
    Enrolment,
    Program,
    Step,
    Target,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def _unit_field(label, *, required: bool = True, help_text="") -> forms.CharField:
    return forms.CharField(label=label, max_length=32, required=required, help_text=help_text)


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Tên mô hình"), max_length=300)
    owner_unit = _unit_field(_("Mã đơn vị chủ trì"),
                             help_text=_("Ví dụ 40 (Công an tỉnh Nghệ An), BCA (Bộ Công an)."))
    set_codes = forms.MultipleChoiceField(label=_("Bộ tiêu chí áp dụng"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kieumau.criteria.models import CriteriaSet

        rows = CriteriaSet.objects.order_by("code", "-year").values_list("code", "title")
        choices = {}
        for code, title in rows:
            choices.setdefault(code, f"{title} ({code})")
        self.fields["set_codes"].choices = list(choices.items())


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Hợp nhất vào mô hình"), queryset=Program.objects.none())
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: các kế hoạch, đơn vị và lịch sử của mô hình này chuyển sang mô hình "
                "được chọn; mô hình này được giữ lại làm hồ sơ."),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["target"].queryset = targets


class PlanForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Mô hình"), queryset=Program.objects.none())
    number = forms.CharField(label=_("Số kế hoạch"), max_length=64,
                             help_text=_("Dạng 340/KH-CAT-XDPTBVANTQ."))
    date = forms.DateField(label=_("Ngày ban hành"), widget=DATE)
    issuing_unit = _unit_field(_("Mã đơn vị ban hành"),
                               help_text=_("Mã được hiểu theo ngày ban hành (tỉnh cũ trước "
                                           "01/7/2025)."))
    title = forms.CharField(label=_("Trích yếu"), required=False, max_length=500)
    period_start = forms.DateField(label=_("Thực hiện từ ngày"), widget=DATE)
    period_end = forms.DateField(label=_("đến ngày"), widget=DATE)
    aims = forms.CharField(label=_("Mục đích, yêu cầu"), required=False, max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, programs=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs
        if editing:
            del self.fields["program"]
            del self.fields["issuing_unit"]


class EnrolForm(forms.Form):
    unit = _unit_field(_("Mã xã, phường"), help_text=_("Theo ngày ban hành kế hoạch."))
    target_year = _year_field(_("Năm phấn đấu đạt"))
    stage = forms.ChoiceField(label=_("Giai đoạn"), choices=Enrolment.Stage.choices,
                              initial=Enrolment.Stage.REPLICATION)


class TargetForm(forms.Form):
    year = _year_field(_("Năm"))
    kind = forms.ChoiceField(label=_("Loại chỉ tiêu"), choices=Target.Kind.choices)
    value = forms.IntegerField(label=_("Chỉ tiêu"), min_value=0, max_value=100_000)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Target.Kind.PERCENT and (data.get("value") or 0) > 100:
            self.add_error("value", _("Tỷ lệ không được vượt quá 100%."))
        return data


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Bước"), choices=Step.choices)
    done_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE,
                              help_text=_("Để trống để đánh dấu chưa hoàn thành."))
    document_number = forms.CharField(label=_("Số văn bản"), required=False, max_length=64)


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Committee.Kind.choices)
    name = forms.CharField(label=_("Tên"), max_length=300)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), required=False,
                                      max_length=64)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=200)
    position = forms.CharField(label=_("Chức vụ"), required=False, max_length=200)
    role = forms.CharField(label=_("Nhiệm vụ"), max_length=100,
                           help_text=_("Ví dụ: Trưởng ban, Phó trưởng ban, Thành viên, Tổ trưởng."))


class BudgetForm(forms.Form):
    year = _year_field(_("Năm"))
    amount = forms.CharField(label=_("Số tiền (đồng)"), max_length=40,
                             help_text=_("Số đồng nguyên, ví dụ 750.000.000."),
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    purpose = forms.CharField(label=_("Nội dung"), max_length=500)
    unit = _unit_field(_("Mã đơn vị thụ hưởng"), required=False,
                       help_text=_("Để trống nếu chi chung cho kế hoạch."))

    def clean_amount(self) -> int:
        try:
            return parse_vnd(self.cleaned_data["amount"], maximum=MAX_VND)
        except MoneyError as error:
            if error.kind == "too_large":
                raise forms.ValidationError(
                    _("Số tiền không được vượt quá 1.000.000.000.000.000 đ.")) from None
            raise forms.ValidationError(
                _("Số tiền phải là số đồng nguyên, không âm (ví dụ 750.000.000).")) from None


class AwardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Đối tượng"), choices=Award.Kind.choices)
    title = forms.ChoiceField(label=_("Hình thức"), choices=Award.Title.choices)
    recipient = forms.CharField(label=_("Tập thể / cá nhân được khen"), max_length=300)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64,
                                      help_text=_("Dạng 123/QĐ-CAT."))
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE)
    issuing_body = forms.CharField(label=_("Cấp khen"), max_length=200)
