from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.core import bounds


class SignInForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=bounds.MAX_USERNAME,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autofocus": True}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False, max_length=bounds.MAX_PASSWORD,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
