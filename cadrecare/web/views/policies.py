"""Policies on forms with Chinese labels instead of JSON: the check-up policy
of a unit (its interval, reminder lead times and payer, applying to its
subtree down to the next unit with its own), through ``checkup_policy_save``
as ``CheckupPolicyViewSet`` calls it (placement check first, then the
service, then the create or update audit row, in one transaction)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import transaction
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core.i18n import choice_label
from cadrecare.health import selectors
from cadrecare.health.choices import Payer
from cadrecare.health.models import CheckupPolicy
from cadrecare.health.services import checkup_policy_save
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
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
        self.fields["payer"].choices = [(payer.value, choice_label(payer.label)) for payer in Payer]

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
        data = form.cleaned_data
        with transaction.atomic():
            self.require_placement(self.unit, CHANGE if self.policy else ADD, field="unit")
            policy = checkup_policy_save(actor=self.request.user, unit=self.unit, policy=self.policy, **data)
            self.log_change("update" if self.policy else "create", policy, sorted(data))
        return policy

    def get_success_url(self, policy: CheckupPolicy) -> str:
        return reverse("web:checkup-policy") + f"?unit={policy.unit_id}"


urlpatterns = [
    path("policies/checkup/", CheckupPolicyView.as_view(), name="checkup-policy"),
]
