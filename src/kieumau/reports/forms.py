"""The form that asks for a report or an export: every field bounded."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.reports import sheets
from kieumau.reports.models import JobFormat
from kieumau.reports.services import REVIEW


def subject_choices():
    return [(REVIEW, _("Báo cáo sơ kết, tổng kết")),
            *[(name, sheet.title) for name, sheet in sheets.TABLES.items()]]


class JobForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị"), max_length=32)
    subject = forms.ChoiceField(label=_("Nội dung"), choices=subject_choices)
    format = forms.ChoiceField(label=_("Định dạng"), choices=JobFormat.choices)
    plan = forms.CharField(label=_("Số kế hoạch"), max_length=64, required=False,
                           help_text=_("Để trống: báo cáo theo đơn vị. Ví dụ: 340/KH-CAT-XDPTBVANTQ"))
    date_from = forms.DateField(label=_("Từ ngày"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.CharField(label=_("Số văn bản"), max_length=60, required=False,
                             help_text=_("Ví dụ: 12/BC-CAT"))
    place = forms.CharField(label=_("Địa danh"), max_length=60, required=False)
    proposals = forms.CharField(label=_("Đề xuất, kiến nghị"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Mỗi ý một dòng; sửa tiếp trong Word trước khi ký."))
    recipients = forms.CharField(label=_("Nơi nhận"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Mỗi nơi một dòng."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=100, required=False)
    set_code = forms.SlugField(label=_("Mã bộ tiêu chí"), max_length=64, required=False,
                               help_text=_("Để trống: bộ tiêu chí đang áp dụng."))

    def clean(self):
        data = super().clean()
        for key, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(key, _("Có ký tự không hợp lệ."))
        return data


class TemplateForm(forms.Form):
    file = forms.FileField(label=_("Tệp mẫu Word (.docx)"),
                           help_text=_("Tải mẫu chung về, sửa trong Word (giữ các thẻ {{ … }}), "
                                       "rồi tải lên."))
