from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.core import bounds


class SignInForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=bounds.MAX_USERNAME,
                               error_messages={"max_length": _(
                                   "Tên đăng nhập tối đa %(limit_value)d ký tự.")},
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autofocus": True}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False, max_length=bounds.MAX_PASSWORD,
                               error_messages={"max_length": _(
                                   "Mật khẩu tối đa %(limit_value)d ký tự.")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
