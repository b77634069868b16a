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


def add_errors(form: forms.Form, errors: list[dict]) -> None:
    """A service's refusal ({"field", "message"} items) onto the form: on the field where the
    form has it, else on the form as a whole."""
    for item in errors:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, item["message"])


def unit_in_form(user, form: forms.Form, field: str, day):
    """The unit whose code was typed in `field`, as of `day` and in the user's scope; else a
    form error on that field and None (a unit out of scope reads like one that does not exist)."""
    from kieumau.accounts import scope
    from kieumau.orgunits import selectors

    code = form.cleaned_data.get(field) or ""
    try:
        return selectors.unit_for(user, code=code, as_of=day)
    except scope.NotVisible:
        form.add_error(field, _("Không có đơn vị mã %(code)s vào ngày %(day)s trong phạm vi "
                                "của bạn.") % {"code": code, "day": f"{day:%d/%m/%Y}"})
        return None
