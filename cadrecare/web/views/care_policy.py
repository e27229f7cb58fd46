"""关爱政策 on a form: a unit's own visit deadlines, hardship review period,
a new hardship case's first-contact days, the sick leave that asks for a care
decision, and designated visit owner (chosen by name), each left empty to follow the
unit above, through ``care_policy_save`` as ``CarePolicyViewSet`` calls it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadrecare.care import selectors
from cadrecare.care.models import CarePolicy
from cadrecare.care.services import CARE_POLICY_LIMITS, care_policy_save
from cadrecare.org import scoping
from cadrecare.org.models import User
from cadrecare.web.forms import form_field
from cadrecare.web.people import OptionalUserField, PersonSearchMixin
from cadrecare.web.views.policies import UnitPolicyPage


def inherit(default: Any) -> Any:
    """The help text of a setting that may be left to the unit above."""
    return format_lazy(_("留空则沿用上级单位的设置（默认 {default}）。"), default=default)


# Each setting's label and default, in words; its bounds are the service's (CARE_POLICY_LIMITS), so the
# form and care_policy_save cannot come to differ.
SETTINGS = {
    "family_event_days": (_("家庭变故必访期限（天）"), _("7 天")),
    "illness_days": (_("干部重病慰问期限（天）"), _("7 天")),
    "death_days": (_("干部去世慰问期限（天）"), _("3 天")),
    "hardship_review_months": (_("困难帮扶回访周期（月）"), _("3 个月")),
    "message_answer_days": (_("心里话回复期限（天）"), _("7 天")),
    "first_contact_days": (_("困难帮扶首次联系期限（天）"), _("7 天")),
    "sick_leave_days": (_("长期病假关怀起点（天）"), _("14 天")),
}


class CarePolicyForm(forms.Form):
    visit_owner = OptionalUserField(
        label=_("指定走访责任人"),
        required=False,
        help_text=_("不指定时：乡镇干部由乡镇党委书记走访，其他单位由主要负责人走访。"),
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = {
            name: forms.IntegerField(
                label=label,
                min_value=CARE_POLICY_LIMITS[name][0],
                max_value=CARE_POLICY_LIMITS[name][1],
                required=False,
                help_text=inherit(default),
            )
            for name, (label, default) in SETTINGS.items()
        }
        self.fields = {**days, **self.fields}  # the settings first, then the visit owner
        form_field(self, "visit_owner", forms.ModelChoiceField).queryset = owners


class CarePolicyView(PersonSearchMixin, UnitPolicyPage):
    """关爱政策 of a unit."""

    resource = "care-policies"
    template_name = "web/policies/care.html"
    form_class = CarePolicyForm
    success_message = _("关爱政策已保存。")

    @cached_property
    def policy(self) -> CarePolicy | None:
        return CarePolicy.objects.filter(unit=self.unit).select_related("visit_owner").first()

    def get_form(self) -> forms.BaseForm:
        # The logins this user may name (as for any care record), found by name.
        owners = User.objects.filter(is_active=True).select_related("cadre__unit")
        owners = scoping.nameable(owners, self.request.user, self.resource)
        return CarePolicyForm(owners=owners, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        if self.policy is None:
            return {}
        return {**{name: getattr(self.policy, name) for name in SETTINGS}, "visit_owner": self.policy.visit_owner_id}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "policy": self.policy,
            "effective": selectors.care_policy_effective(self.unit),
        }

    def perform(self, form: forms.BaseForm) -> CarePolicy:
        return care_policy_save(
            actor=self.request.user, unit=self.unit, policy=self.policy, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, policy: CarePolicy) -> str:
        return reverse("web:care-policy") + f"?unit={policy.unit_id}"


urlpatterns = [
    path("policies/care/", CarePolicyView.as_view(), name="care-policy"),
]
