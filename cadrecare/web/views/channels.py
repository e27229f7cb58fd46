"""我的通知方式: anyone signed in chooses the channels that carry their
notices and their quiet hours (the same service as /api/v1/me/channels/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from cadrecare.reminders import selectors, services
from cadrecare.reminders.choices import Channel
from cadrecare.web.pages import FormPageView

#: Each channel's switch, and where its address comes from (said next to it).
SWITCHES = (
    (Channel.EMAIL, "email_on", _("电子邮件"), "email"),
    (Channel.SMS, "sms_on", _("短信"), "phone"),
    (Channel.WECOM, "wecom_on", _("企业微信"), "wecom_userid"),
    (Channel.DINGTALK, "dingtalk_on", _("钉钉"), "dingtalk_userid"),
)


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class ChannelPreferenceForm(forms.Form):
    """A switch for each channel the service has, and the quiet hours; the
    service checks that both times or neither are given."""

    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False, widget=_time_input())
    quiet_end = forms.TimeField(
        label=_("免打扰结束"),
        required=False,
        widget=_time_input(),
        help_text=_("留空则按单位作息。跨夜时段（如 21:30 至次日 07:00）照常填写。"),
    )

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        switches = {}
        for channel, name, label, address_key in SWITCHES:
            if channel not in current["available"]:
                continue
            address = current[address_key]
            switches[name] = forms.BooleanField(
                label=label,
                required=False,
                help_text=_("发送到：%(address)s") % {"address": address} if address else _("尚未登记，暂收不到。"),
            )
        # The switches first, then the quiet hours.
        self.fields = {**switches, **self.fields}


class MyChannelsView(FormPageView):
    resource = None
    template_name = "web/me/channels.html"
    form_class = ChannelPreferenceForm
    success_url = reverse_lazy("web:my-channels")
    success_message = _("通知方式已保存。")

    def current(self) -> dict[str, Any]:
        if not hasattr(self, "_current"):
            self._current = selectors.channel_preference_of(user=self.request.user)
        return self._current

    def get_initial(self) -> dict[str, Any]:
        return self.current()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "current": self.current()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "current": self.current()}

    def perform(self, form: forms.BaseForm) -> Any:
        return services.channel_preference_update(actor=self.request.user, data=form.cleaned_data, request=self.request)


urlpatterns = [
    path("me/channels/", MyChannelsView.as_view(), name="my-channels"),
]
