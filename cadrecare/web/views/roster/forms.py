"""The roster pages' forms: they parse; the rules are the services'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadrecare.org.models import Cadre
from cadrecare.rotation import selectors, services
from cadrecare.rotation.models import Roster
from cadrecare.web.forms import form_field
from cadrecare.web.views.roster.dates import MonthConverter


class MonthPickForm(forms.Form):
    unit = forms.IntegerField(label=gettext_lazy("乡镇"), widget=forms.HiddenInput)
    month = forms.CharField(label=gettext_lazy("月份"), max_length=7, widget=forms.DateInput(attrs={"type": "month"}))

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"].strip()
        if not re.fullmatch(MonthConverter.regex, text):
            raise forms.ValidationError(_("月份格式应为 YYYY-MM，如 2027-03。"))
        return MonthConverter().to_python(text)


class GenerateForm(forms.Form):
    keep_pinned = forms.BooleanField(label=gettext_lazy("保留已固定的休息日"), required=False, initial=True)


class PublishForm(forms.Form):
    confirm_provisional = forms.BooleanField(
        label=gettext_lazy("我已知悉本月节假日安排为暂定（尚未按国务院通知确认），仍要发布"), required=False
    )


class BlockForm(forms.Form):
    """One edit of a cadre's rest block, as the API's roster edit takes it:
    the block (any day of it), the roster version the secretary saw (the
    If-Match of the API) and, once a rule break was shown, why to break it."""

    op = forms.ChoiceField(choices=[(op, op) for op in services.EDIT_OPS], widget=forms.HiddenInput)
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), label=gettext_lazy("干部"), widget=forms.HiddenInput)
    date = forms.DateField(label=gettext_lazy("休息日"), widget=forms.HiddenInput)
    version = forms.IntegerField(label=gettext_lazy("版本"), min_value=0, widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=gettext_lazy("打破规则仍要调整的理由"), required=False, max_length=300, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, roster: Roster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cadres = selectors.roster_cadres(roster=roster)
        form_field(self, "cadre", forms.ModelChoiceField).queryset = self.cadres

    def offer_override(self) -> None:
        """After a rule break: ask for the reason to break it (kept with the version)."""
        field = self.fields["override_reason"]
        field.widget = forms.Textarea(attrs={"rows": 2, "maxlength": 300})
        field.help_text = _("写明为什么仍要这样调整；理由随版本保存，县（区）委组织部可以看到。")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "op": data["op"],
            "cadre": data["cadre"],
            "date": data["date"],
            "override_reason": data.get("override_reason") or "",
        }


class MoveForm(BlockForm):
    to_date = forms.TypedChoiceField(label=gettext_lazy("调到（新的开始日期）"), coerce=dt.date.fromisoformat)

    def __init__(self, *args: Any, starts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "to_date", forms.TypedChoiceField).choices = [("", _("请选择")), *starts]

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "to_date": self.cleaned_data["to_date"]}


class SwapForm(BlockForm):
    other = forms.ChoiceField(label=gettext_lazy("与谁的休息互换"))

    def __init__(self, *args: Any, blocks: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "other", forms.ChoiceField).choices = [("", _("请选择")), *blocks]

    def clean_other(self) -> tuple[Cadre, dt.date]:
        cadre_id, _sep, day = self.cleaned_data["other"].partition(":")
        cadre = self.cadres.filter(pk=int(cadre_id)).first()
        if cadre is None:
            raise forms.ValidationError(_("请选择这份排班中另一名干部的休息。"))
        return cadre, dt.date.fromisoformat(day)

    def service_kwargs(self) -> dict[str, Any]:
        other_cadre, other_date = self.cleaned_data["other"]
        return {**super().service_kwargs(), "other_cadre": other_cadre, "other_date": other_date}


class LockForm(forms.Form):
    pass


class PrintForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("值班电话"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("印在表头，供群众联系；如 0888-5123456。"),
    )
    maker = forms.CharField(label=gettext_lazy("制表人"), required=False, max_length=20)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"[0-9][0-9\- ]{4,19}", phone):
            raise forms.ValidationError(_("请填写数字电话号码，可含连字符，如 0888-5123456。"))
        return phone
