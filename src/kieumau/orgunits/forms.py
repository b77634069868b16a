from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.orgunits.models import Kind
from kieumau.orgunits.services import GRASSROOTS_KINDS


class LocalUnitForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[(k.value, k.label) for k in Kind if k in GRASSROOTS_KINDS]
    )
    valid_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
