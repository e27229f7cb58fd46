"""Forms of the workbench's own pages (sign-in, password) and the pieces
every page's form shares. Forms only parse; the rules are in the services
and the authentication backend."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org.auth import ThrottledAuthenticationForm


def date_input() -> forms.DateInput:
    """A browser date picker; it takes and gives ISO dates whatever the page's language."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def year_choices(count: int) -> list[tuple[int, str]]:
    """A report's years to choose from: this year and the ``count - 1`` before it, newest first."""
    this = clock.today().year
    return [(year, _("%(year)s年") % {"year": year}) for year in range(this, this - count, -1)]


FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of its field ``name``, as the ``kind`` of field it is
    declared as: ``form.fields`` holds plain ``Field``s to the type checker, so
    this is how ``__init__`` sets a field's per-request ``choices`` or ``queryset``."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def choices_of(choices: Any, *, blank: bool = False) -> list[tuple[str, str]]:
    """A model's ``TextChoices`` as a form's choices, labelled in the request's
    language (choices are set in ``__init__`` for that), with an empty first one."""
    return [("", "---------")] * blank + [(choice.value, choice_label(choice.label)) for choice in choices]


class LoginForm(ThrottledAuthenticationForm):
    """Username or the mobile number of one's cadre record, and the password
    (the backend, ``cadrecare.org.auth``, resolves the number and throttles failures)."""

    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("用户名（或手机号）或密码不正确。"),
        "inactive": _("该账号已停用，请联系组织部门。"),
    }


class PasswordChangeForm(forms.Form):
    """The old password and the new one twice; the service checks the old one
    and the password rules (``org.services.user_password_change``)."""

    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全是数字，不能与用户名相近或过于常见。"),
    )
    new_password_again = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("new_password")
            and data.get("new_password_again")
            and data["new_password"] != data["new_password_again"]
        ):
            self.add_error("new_password_again", _("两次输入的新密码不一致。"))
        return data
