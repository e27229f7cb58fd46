"""谈话分工 and 谈话期限 on forms: who in a county talks with each talkee
group and how often at least (``talk_route_save``), and a unit's days
allowed per kind of must-talk (``talk_due_days_set``), each left to the seed's
defaults or the unit above until set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import LeaderPost, UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.talks.choices import TalkeeGroup, TalkerPost, TriggerKind
from cadrecare.talks.models import TalkPolicy, TalkRoute
from cadrecare.talks.routing import route_for, trigger_due_days
from cadrecare.talks.services import MAX_CADENCE_MONTHS, MAX_DUE_DAYS, talk_due_days_set, talk_route_save
from cadrecare.web.forms import choices_of, form_field
from cadrecare.web.views.policies import UnitPolicyPage


class TalkRouteForm(forms.Form):
    talker_post = forms.ChoiceField(label=_("谈话人岗位"))
    talker_leader_post = forms.ChoiceField(
        label=_("谈话人班子职务"), help_text=_("谈话人是所在单位中担任此职务的在职干部。")
    )
    talker_unit = forms.ModelChoiceField(
        label=_("谈话人所在单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("按岗位推定"),
        help_text=_("不选时：县委书记在县（区）本级，组织部部长在县委组织部，乡镇党委书记在本乡镇。"),
    )
    cadence_months = forms.IntegerField(
        label=_("经常性谈话周期（月）"),
        min_value=1,
        max_value=MAX_CADENCE_MONTHS,
        help_text=_("至少每隔多少个月谈一次，通常为 12。"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "talker_post", forms.ChoiceField).choices = choices_of(TalkerPost)
        posts = [post for post in LeaderPost if post != LeaderPost.NONE]
        form_field(self, "talker_leader_post", forms.ChoiceField).choices = choices_of(posts)
        form_field(self, "talker_unit", forms.ModelChoiceField).queryset = units


class TalkRouteView(UnitPolicyPage):
    """谈话分工 of a county: the three talkee groups' routes, one edited at a time (``?group=``)."""

    resource = "talk-routes"
    unit_kinds = (UnitKind.COUNTY,)
    template_name = "web/policies/talk_routes.html"
    form_class = TalkRouteForm
    success_message = _("谈话分工已保存。")

    @cached_property
    def group(self) -> str:
        group = self.request.GET.get("group") or self.request.POST.get("group") or TalkeeGroup.values[0]
        if group not in TalkeeGroup.values:
            raise Http404(_("没有这类谈话对象。"))
        return group

    def get_form(self) -> forms.BaseForm:
        units = OrgUnit.objects.filter(
            path__startswith=self.unit.path,
            active=True,
            kind__in=(UnitKind.COUNTY, UnitKind.COUNTY_AGENCY, UnitKind.TOWNSHIP),
        ).order_by("path")
        return TalkRouteForm(units=units, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        route = route_for(self.unit, self.group)
        return {
            "talker_post": route.talker_post,
            "talker_leader_post": route.talker_leader_post,
            "talker_unit": route.talker_unit,
            "cadence_months": route.cadence_months,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        own = set(TalkRoute.objects.filter(county=self.unit).values_list("talkee_group", flat=True))
        routes = [
            {
                "group": group,
                "group_label": choice_label(group.label),
                "route": (route := route_for(self.unit, group)),
                "talker_post_label": choice_label(TalkerPost(route.talker_post).label),
                "leader_post_label": choice_label(LeaderPost(route.talker_leader_post).label),
                "own": group.value in own,
            }
            for group in TalkeeGroup
        ]
        return {
            **super().get_context_data(**kwargs),
            "routes": routes,
            "group": self.group,
            "group_label": choice_label(TalkeeGroup(self.group).label),
        }

    def perform(self, form: forms.BaseForm) -> TalkRoute:
        route, _ = talk_route_save(
            actor=self.request.user,
            county=self.unit,
            talkee_group=self.group,
            request=self.request,
            **form.cleaned_data,
        )
        return route

    def get_success_url(self, route: TalkRoute) -> str:
        return reverse("web:talk-routes") + f"?unit={route.county_id}&group={route.talkee_group}"


class TalkDueDaysForm(forms.Form):
    """One field per kind of must-talk, empty to follow the unit above."""

    def __init__(self, *args: Any, in_force: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in TriggerKind:
            self.fields[kind.value] = forms.IntegerField(
                label=format_lazy(_("{kind}（天）"), kind=choice_label(kind.label)),
                min_value=1,
                max_value=MAX_DUE_DAYS,
                required=False,
                help_text=format_lazy(_("现行 {days} 天；留空则沿用上级单位或默认设置。"), days=in_force[kind]),
            )


class TalkDueDaysView(UnitPolicyPage):
    """谈话期限 of a unit: days from the event to the must-talk, per kind."""

    resource = "talk-policies"
    template_name = "web/policies/talk_due_days.html"
    form_class = TalkDueDaysForm
    success_message = _("谈话期限已保存。")

    def get_form(self) -> forms.BaseForm:
        in_force = {kind.value: trigger_due_days(self.unit, kind) for kind in TriggerKind}
        return TalkDueDaysForm(in_force=in_force, **self.get_form_kwargs())

    @cached_property
    def own(self) -> dict[str, int]:
        return dict(TalkPolicy.objects.filter(unit=self.unit).values_list("kind", "due_days"))

    def get_initial(self) -> dict[str, Any]:
        return dict(self.own)

    def perform(self, form: forms.BaseForm) -> OrgUnit:
        talk_due_days_set(actor=self.request.user, unit=self.unit, due_days=form.cleaned_data, request=self.request)
        return self.unit

    def get_success_url(self, unit: OrgUnit) -> str:
        return reverse("web:talk-due-days") + f"?unit={unit.pk}"


urlpatterns = [
    path("policies/talk-routes/", TalkRouteView.as_view(), name="talk-routes"),
    path("policies/talk-due-days/", TalkDueDaysView.as_view(), name="talk-due-days"),
]
