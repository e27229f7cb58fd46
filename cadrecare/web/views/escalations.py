"""督办事项: items escalated to the organization department and still open,
with 改派 (another talker or visit owner) and 免办 (waive, with the reason)
where the item's kind and the user's role allow, through the same services
and audit rows as the API's ``talk-triggers`` and ``visit-obligations``
endpoints (``update`` and ``waive``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.care import selectors as care
from cadrecare.care.services import visit_obligation_update, visit_obligation_waive
from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import CHANGE
from cadrecare.org.choices import Role
from cadrecare.org.models import RoleGrant, User, ancestor_paths
from cadrecare.reminders.selectors import escalation_list
from cadrecare.reminders.sources import SOURCES
from cadrecare.talks import selectors as talks
from cadrecare.talks.services import talk_trigger_update, talk_trigger_waive
from cadrecare.web.actions import action_for
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, PageView

PAGE_SIZE = 30


@dataclass(frozen=True)
class Target:
    """How the department acts on one kind of escalated item: the records the
    user may reach (the API's selector), the resource and actions in the
    access table, and the service calls, given the page's ``request`` for the
    audit row each service writes."""

    resource: str
    records: Callable[[User], models.QuerySet]
    unit_path: Callable[[Any], str]
    reassign: Callable[..., Any]  # (actor, record, to, request) -> record
    waive: Callable[..., Any]  # (actor, record, reason, request) -> record
    waive_action: str


TALK_TRIGGER = Target(
    resource="talk-triggers",
    records=lambda user: talks.talk_trigger_list(user=user),
    unit_path=lambda trigger: trigger.cadre.unit.path,
    reassign=lambda actor, trigger, to, request: talk_trigger_update(
        actor=actor, trigger=trigger, data={"talker": to}, request=request
    ),
    waive=lambda actor, trigger, reason, request: talk_trigger_waive(
        actor=actor, trigger=trigger, reason=reason, request=request
    ),
    waive_action=CHANGE,
)
TARGETS: dict[str, Target] = {
    "talk_trigger": TALK_TRIGGER,
    "confidential_talk_trigger": TALK_TRIGGER,
    "visit_obligation": Target(
        resource="visit-obligations",
        records=lambda user: scoping.scoped(care.visit_obligation_queryset(), user, "visit-obligations"),
        unit_path=lambda obligation: obligation.cadre.unit.path,
        reassign=lambda actor, obligation, to, request: visit_obligation_update(
            actor=actor, obligation=obligation, owner=to, request=request
        ),
        waive=lambda actor, obligation, reason, request: visit_obligation_waive(
            actor=actor, obligation=obligation, reason=reason, request=request
        ),
        waive_action="waive",
    ),
}


class EscalationListView(PageView):
    """督办事项: what the reminders escalated to the user, still open, soonest due first."""

    resource = "dashboard"
    template_name = "web/dashboard/escalations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, clock.today()
        page = Paginator(escalation_list(user=user, today=today), PAGE_SIZE).get_page(self.request.GET.get("page"))
        may = {
            kind: {
                "reassign": scoping.may(user, target.resource, CHANGE),
                "waive": scoping.may(user, target.resource, target.waive_action),
            }
            for kind, target in TARGETS.items()
        }
        rows = []
        for notice in page.object_list:
            allowed = may.get(notice.kind, {})
            links = {
                op: reverse(f"web:escalation-{op}", kwargs={"kind": notice.kind, "pk": notice.object_id})
                for op in ("reassign", "waive")
                if allowed.get(op)
            }
            source = SOURCES.get(notice.kind)
            rows.append(
                {
                    "notice": notice,
                    "kind_label": choice_label(source.label) if source else notice.kind,
                    "days_overdue": (today - notice.due_date).days,
                    "links": links,
                    "action": action_for(user, notice.kind, notice.object_id),
                }
            )
        context.update(page=page, rows=rows, today=today)
        return context


class NamedUserField(forms.ModelChoiceField):
    """People by their full name (a login without one by its username)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ReassignForm(forms.Form):
    to = NamedUserField(
        label=_("改派给"),
        queryset=User.objects.none(),
        help_text=_("可选本单位及上级单位的书记、人事干部和组织部门干部。"),
    )


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("免办理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class EscalationActionView(FormPageView):
    """改派 or 免办 one escalated item (``kind`` and ``pk`` = the item's object)."""

    resource = "dashboard"
    nav_entry = "web:escalations"
    template_name = "web/dashboard/escalation_form.html"
    operation: str

    @cached_property
    def target(self) -> Target:
        target = TARGETS.get(self.kwargs["kind"])
        if target is None:
            raise PermissionDenied(_("这类事项不能在此改派或免办。"))
        return target

    @cached_property
    def record(self) -> Any:
        record = get_object_or_404(self.target.records(self.request.user), pk=self.kwargs["pk"])
        action = CHANGE if self.operation == "reassign" else self.target.waive_action
        if not scoping.may_on(self.request.user, self.target.resource, action, record):
            raise PermissionDenied(_("您的角色无权对该事项执行此操作。"))
        return record

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        source = SOURCES[self.kwargs["kind"]]
        return {
            **super().get_context_data(**kwargs),
            "record": self.record,
            "operation": self.operation,
            "kind_label": choice_label(source.label),
        }

    def get_success_url(self, result: Any) -> str:
        return reverse("web:escalations")


class EscalationReassignView(EscalationActionView):
    operation = "reassign"
    form_class = ReassignForm
    success_message = _("已改派。")
    service_fields = {"talker": "to", "owner": "to"}

    def get_form(self) -> forms.BaseForm:
        form = super().get_form()
        # Who may take it: the people holding a township, county or city role
        # over the item's unit (not its cadres), among those the user may name.
        grants = RoleGrant.objects.filter(
            unit__path__in=ancestor_paths(self.target.unit_path(self.record)), unit__active=True
        ).exclude(role=Role.CADRE)
        candidates = scoping.nameable(User.objects.filter(is_active=True), self.request.user, self.target.resource)
        form_field(form, "to", forms.ModelChoiceField).queryset = candidates.filter(
            pk__in=grants.values("user")
        ).order_by("last_name", "pk")
        return form

    def perform(self, form: forms.BaseForm) -> Any:
        return self.target.reassign(self.request.user, self.record, form.cleaned_data["to"], self.request)


class EscalationWaiveView(EscalationActionView):
    operation = "waive"
    form_class = WaiveForm
    success_message = _("已免办，理由已记录。")

    def perform(self, form: forms.BaseForm) -> Any:
        return self.target.waive(self.request.user, self.record, form.cleaned_data["reason"], self.request)


urlpatterns = [
    path("dashboard/escalated/", EscalationListView.as_view(), name="escalations"),
    path(
        "dashboard/escalated/<str:kind>/<int:pk>/reassign/",
        EscalationReassignView.as_view(),
        name="escalation-reassign",
    ),
    path("dashboard/escalated/<str:kind>/<int:pk>/waive/", EscalationWaiveView.as_view(), name="escalation-waive"),
]
