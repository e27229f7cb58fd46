"""Policies on forms with Chinese labels instead of JSON: the check-up policy
of a unit (its interval, reminder lead times and payer, applying to its
subtree down to the next unit with its own), through ``checkup_policy_save``
as ``CheckupPolicyViewSet`` calls it (the service places and audits it)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.health import selectors
from cadrecare.health.choices import Payer
from cadrecare.health.models import CheckupPolicy
from cadrecare.health.services import checkup_policy_save
from cadrecare.org import scoping
from cadrecare.org.access import CHANGE
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.rotation import selectors as rotation_selectors
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import DEFAULT_MIN_ON_DUTY_RATIO, RotationPolicy
from cadrecare.rotation.services import rotation_policy_create, rotation_policy_update
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView


class CheckupPolicyForm(forms.Form):
    """The policy's fields; ``clean`` only parses (the service judges)."""

    interval_months = forms.IntegerField(
        label=_("体检间隔（月）"), min_value=1, max_value=120, help_text=_("两次年度体检之间的月数，通常为 12。")
    )
    reminder_days = forms.CharField(
        label=_("提前提醒天数"), max_length=50, help_text=_("到期前多少天提醒，多个用逗号分开，如“60，30”。")
    )
    payer = forms.ChoiceField(label=_("付费方"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "payer", forms.ChoiceField).choices = [
            (payer.value, choice_label(payer.label)) for payer in Payer
        ]

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"].replace("，", ",").replace("、", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("请填写整数天数，用逗号分开。")) from None


class UnitPolicyPage(FormPageView):
    """A policy page for one unit (``?unit=``, or ``unit_id`` in the post;
    else the highest the user may set) among the active units of
    ``unit_kinds`` the user may change the ``resource`` in: another is 404.
    Every policy form of the workbench stands on it."""

    resource: ClassVar[str]  # every policy page names its resource
    action = CHANGE
    unit_kinds: ClassVar[tuple[str, ...]] = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP)

    @cached_property
    def units(self) -> Any:
        return scoping.scoped(
            OrgUnit.objects.filter(kind__in=self.unit_kinds, active=True), self.request.user, self.resource, CHANGE
        ).order_by("path")

    @cached_property
    def unit(self) -> OrgUnit:
        wanted = self.request.GET.get("unit") or self.request.POST.get("unit_id")
        unit = (
            (self.units.filter(pk=wanted).first() if str(wanted).isdecimal() else None)
            if wanted
            else self.units.first()
        )
        if unit is None:
            raise Http404(_("没有这个单位。"))
        return unit

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "unit": self.unit, "units": self.units}


class CheckupPolicyView(UnitPolicyPage):
    """体检政策 of a unit."""

    resource = "checkup-policies"
    template_name = "web/policies/checkup.html"
    form_class = CheckupPolicyForm
    success_message = _("体检政策已保存。")

    @cached_property
    def policy(self) -> CheckupPolicy | None:
        return CheckupPolicy.objects.filter(unit=self.unit).first()

    def get_initial(self) -> dict[str, Any]:
        source = self.policy or selectors.effective_policy(self.unit)
        return {
            "interval_months": source.interval_months,
            "payer": source.payer,
            "reminder_days": "，".join(str(day) for day in source.reminder_days),
            "note": getattr(source, "note", ""),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        effective = selectors.effective_policy(self.unit)
        inherited_from = (
            OrgUnit.objects.filter(pk=effective.source_unit_id).first()
            if self.policy is None and effective.source_unit_id
            else None
        )
        return {
            **super().get_context_data(**kwargs),
            "policy": self.policy,
            "inherited_from": inherited_from,
        }

    def perform(self, form: forms.BaseForm) -> CheckupPolicy:
        return checkup_policy_save(
            actor=self.request.user, unit=self.unit, policy=self.policy, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, policy: CheckupPolicy) -> str:
        return reverse("web:checkup-policy") + f"?unit={policy.unit_id}"


class RotationPolicyForm(forms.Form):
    """A township's own rest rotation: the mode, the least share on duty and
    its own blackout dates, one a line (``2030-09-20 2030-09-30 换届选举``);
    ``clean`` only parses, the service judges them against the county's bounds."""

    effective_from = forms.CharField(label=_("起始月份"), max_length=7, help_text=_("如 2030-03，从该月起适用。"))
    mode = forms.ChoiceField(label=_("轮休模式"))
    min_on_duty_ratio = forms.DecimalField(
        label=_("最低在岗比例"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        help_text=_("如 0.65，即每天至少 65% 的干部在岗。"),
    )
    blackout = forms.CharField(
        label=_("本乡镇的禁休日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "每行一段：开始日期 结束日期 原因，如“2030-09-20 2030-09-30 换届选举”。县里规定的禁休日期自动保留。"
        ),
    )

    def __init__(self, *args: Any, modes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "mode", forms.ChoiceField).choices = [(mode, choice_label(Mode(mode).label)) for mode in modes]

    def clean_effective_from(self) -> dt.date:
        try:
            return dt.date.fromisoformat(self.cleaned_data["effective_from"].strip() + "-01")
        except ValueError:
            raise forms.ValidationError(_("请按“年-月”填写，如 2030-03。")) from None

    def clean_blackout(self) -> list[dict[str, str]]:
        spans = []
        for line in self.cleaned_data["blackout"].splitlines():
            parts = line.replace("至", " ").split(maxsplit=2)
            if not parts:
                continue
            if len(parts) < 3:
                raise forms.ValidationError(_("每行须写开始日期、结束日期和原因，用空格分开。"))
            spans.append({"from": parts[0], "to": parts[1], "reason": parts[2]})
        return spans


class RotationPolicyView(UnitPolicyPage):
    """轮休政策 of a township, set by its party secretary within the county's
    bounds (the modes it allows, the least share on duty, its blackout dates),
    through the services ``RotationPolicyViewSet`` calls."""

    resource = "rotation-policies"
    unit_kinds = (UnitKind.TOWNSHIP,)
    template_name = "web/policies/rotation.html"
    form_class = RotationPolicyForm
    success_message = _("轮休政策已保存。")

    @cached_property
    def month(self) -> dt.date:
        return (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)

    @cached_property
    def bounds(self) -> RotationPolicy | None:
        return rotation_selectors.county_bounds(unit=self.unit, month=self.month)

    def get_form_kwargs(self) -> dict[str, Any]:
        allowed = self.bounds.township_modes if self.bounds and self.bounds.township_modes else list(Mode.values)
        return {**super().get_form_kwargs(), "modes": allowed}

    def get_initial(self) -> dict[str, Any]:
        current = rotation_selectors.policy_in_force(unit=self.unit, month=self.month)
        imposed = self.bounds.blackout if self.bounds else []
        own = [span for span in (current.blackout if current else []) if span not in imposed]
        return {
            "effective_from": f"{self.month:%Y-%m}",
            "mode": current.mode if current else Mode.WEEKLY,
            "min_on_duty_ratio": current.min_on_duty_ratio if current else DEFAULT_MIN_ON_DUTY_RATIO,
            "blackout": "\n".join(f"{span['from']} {span['to']} {span['reason']}" for span in own),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        bounds = self.bounds
        modes = "、".join(choice_label(Mode(mode).label) for mode in bounds.township_modes) if bounds else ""
        return {**super().get_context_data(**kwargs), "bounds": bounds, "allowed_modes": modes}

    def perform(self, form: forms.BaseForm) -> RotationPolicy:
        data = form.cleaned_data
        existing = RotationPolicy.objects.filter(unit=self.unit, effective_from=data["effective_from"]).first()
        if existing is None:
            return rotation_policy_create(actor=self.request.user, unit=self.unit, data=data, request=self.request)
        return rotation_policy_update(actor=self.request.user, policy=existing, data=data, request=self.request)

    def get_success_url(self, policy: RotationPolicy) -> str:
        return reverse("web:rotation-policy") + f"?unit={policy.unit_id}"


urlpatterns = [
    path("policies/checkup/", CheckupPolicyView.as_view(), name="checkup-policy"),
    path("policies/rotation/", RotationPolicyView.as_view(), name="rotation-policy"),
]
