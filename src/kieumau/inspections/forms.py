"""Forms of the inspection pages; units are typed by code, resolved as of the inspection's date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.inspections.models import Finding, Inspection, Recommendation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("Nội dung kiểm tra, khảo sát"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại"), choices=Inspection.Kind.choices)
    date = forms.DateField(label=_("Ngày"), widget=DATE)
    owner_unit = forms.CharField(label=_("Mã đơn vị tổ chức"), max_length=32)
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(label=_("Kết luận chung"), required=False, max_length=8000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=200)
    position = forms.CharField(label=_("Chức vụ"), required=False, max_length=200)
    role = forms.CharField(label=_("Nhiệm vụ trong đoàn"), max_length=100,
                           help_text=_("Ví dụ: Trưởng đoàn, Thành viên, Thư ký."))


class VisitForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị được kiểm tra"), max_length=32,
                           help_text=_("Theo ngày kiểm tra (phường cũ trước 01/7/2025)."))
    difficulties = forms.CharField(label=_("Khó khăn, vướng mắc đơn vị nêu"), required=False,
                                   max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Finding.Kind.choices)
    text = forms.CharField(label=_("Nội dung"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    criterion_code = forms.CharField(label=_("Tiêu chí liên quan"), required=False, max_length=32,
                                     help_text=_("Ví dụ: TC 4. Có thể để trống."))


class RecommendationForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị chịu trách nhiệm"), max_length=32)
    text = forms.CharField(label=_("Kiến nghị, đề xuất"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Hạn thực hiện"), widget=DATE)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Recommendation.Status.choices)
    resolution_note = forms.CharField(label=_("Kết quả thực hiện"), required=False,
                                      max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE)
