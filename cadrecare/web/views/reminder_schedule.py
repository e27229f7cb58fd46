"""提醒规则 on a form: when a unit's owners are reminded and when their
lateness goes to the county and then the city organisation department,
through ``reminder_schedule_save`` as ``ReminderScheduleViewSet`` calls it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.reminders.models import ReminderSchedule
from cadrecare.reminders.services import reminder_schedule_save, schedule_in_force
from cadrecare.web.views.policies import UnitPolicyPage


class ReminderScheduleForm(forms.Form):
    lead_days = forms.IntegerField(
        label=_("提前提醒天数"),
        min_value=0,
        max_value=90,
        help_text=_("到期前多少天开始提醒责任人；到期当天和逾期后每天也会提醒。"),
    )
    county_after_days = forms.IntegerField(label=_("逾期几天上报县委组织部"), min_value=1, max_value=365)
    city_after_days = forms.IntegerField(label=_("上报县委组织部后再过几天上报市委组织部"), min_value=1, max_value=365)


class ReminderScheduleView(UnitPolicyPage):
    """提醒规则 of a unit."""

    resource = "reminder-schedules"
    template_name = "web/policies/reminders.html"
    form_class = ReminderScheduleForm
    success_message = _("提醒规则已保存。")

    @cached_property
    def schedule(self) -> ReminderSchedule | None:
        return ReminderSchedule.objects.filter(unit=self.unit).first()

    def get_initial(self) -> dict[str, Any]:
        rule = schedule_in_force(self.unit)
        return {
            "lead_days": rule.lead_days,
            "county_after_days": rule.county_after_days,
            "city_after_days": rule.city_after_days,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "schedule": self.schedule}

    def perform(self, form: forms.BaseForm) -> ReminderSchedule:
        return reminder_schedule_save(
            actor=self.request.user, unit=self.unit, schedule=self.schedule, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, schedule: ReminderSchedule) -> str:
        return reverse("web:reminder-schedule") + f"?unit={schedule.unit_id}"


urlpatterns = [
    path("policies/reminders/", ReminderScheduleView.as_view(), name="reminder-schedule"),
]
