"""Cadre self-service in the workbench, on the API's services and serializers.

The cadre's own pages: 我要报告 (a family event or a difficulty of my own),
我的家庭信息 (my family as the records show it, and changes I propose) and
心里话 (to my party secretary or the county organization department, with
the answers). HR's and the secretary's side: 待确认 (reports and family
changes to confirm or reject, each on its own page) and 心里话信箱 (the
messages addressed to me, answered on their page).

Every record shown goes through the API's serializer (masked and audited as
there); every write is one call of ``cadrecare.selfservice.services``, which
checks who may, writes and audits.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadrecare.care import selectors as care_selectors
from cadrecare.care.api.serializers import FamilyMemberSerializer
from cadrecare.care.choices import FamilyEventKind, HardshipCategory, Relation
from cadrecare.care.models import FamilyMember
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import Gender
from cadrecare.selfservice import selectors, services
from cadrecare.selfservice.api.serializers import (
    FamilyMemberChangeSerializer,
    HeartMessageSerializer,
    SelfReportSerializer,
)
from cadrecare.selfservice.choices import Addressee, ChangeAction, Decision, MessageStatus, ReportKind
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.views.me import OwnPage

MY_LIST = 30


def member_label(member: FamilyMember) -> str:
    return f"{choice_label(member.get_relation_display())} {member.name}"


class FamilyMemberField(forms.ModelChoiceField):
    """One of the cadre's family, by relation and name."""

    def label_from_instance(self, obj: FamilyMember) -> str:
        return member_label(obj)


# ---------------------------------------------------------------------------
# 我要报告
# ---------------------------------------------------------------------------


class SelfReportForm(forms.Form):
    """What happened, parsed only; the service says what is missing."""

    kind = forms.ChoiceField(label=gettext_lazy("报告什么"), widget=forms.RadioSelect)
    event_kind = forms.ChoiceField(label=gettext_lazy("变故类型"), required=False)
    hardship_category = forms.ChoiceField(label=gettext_lazy("困难类别"), required=False)
    family_member = FamilyMemberField(
        label=gettext_lazy("涉及家属"), required=False, queryset=FamilyMember.objects.none()
    )
    date = forms.DateField(label=gettext_lazy("发生日期"), widget=date_input())
    description = forms.CharField(
        label=gettext_lazy("情况说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("人事干部和组织部门可见；乡镇党委书记只看到类型和日期。"),
    )

    def __init__(self, *args: Any, family: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(ReportKind)
        form_field(self, "event_kind", forms.ChoiceField).choices = choices_of(FamilyEventKind, blank=True)
        form_field(self, "hardship_category", forms.ChoiceField).choices = choices_of(HardshipCategory, blank=True)
        form_field(self, "family_member", forms.ModelChoiceField).queryset = family


class MyReportView(OwnPage, FormPageView):
    """我要报告: a family event or a difficulty of my own, and what became of my reports."""

    resource = "self-reports"
    action = ADD
    template_name = "web/me/report.html"
    form_class = SelfReportForm
    success_message = gettext_lazy("已报告，人事干部确认后会通知您。")

    def get_form_kwargs(self) -> dict[str, Any]:
        family = FamilyMember.objects.filter(cadre=self.me, deceased_on__isnull=True).order_by("relation", "id")
        return {**super().get_form_kwargs(), "family": family}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        reports = selectors.self_report_list(user=self.request.user).filter(cadre=self.me)[:MY_LIST]
        context = super().get_context_data(**kwargs)
        return {**context, "reports": self.serialize(SelfReportSerializer, reports, many=True)}

    def perform(self, form: forms.BaseForm) -> Any:
        return services.self_report_submit(actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_url(self, result: Any) -> str:
        return reverse("web:my-report")


# ---------------------------------------------------------------------------
# 我的家庭信息
# ---------------------------------------------------------------------------

UNCHANGED = ""


class FamilyChangeForm(forms.Form):
    """A proposed change: new member, new values for one of mine (blank = unchanged), or one removed."""

    action = forms.ChoiceField(label=gettext_lazy("变更类型"), widget=forms.RadioSelect)
    member = FamilyMemberField(
        label=gettext_lazy("家属"),
        required=False,
        queryset=FamilyMember.objects.none(),
        help_text=gettext_lazy("修改或删除时选择。"),
    )
    relation = forms.ChoiceField(label=gettext_lazy("关系"), required=False)
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), required=False)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), required=False, widget=date_input())
    work_unit = forms.CharField(label=gettext_lazy("工作单位或学校"), max_length=100, required=False)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    lives_with_cadre = forms.ChoiceField(label=gettext_lazy("与我同住"), required=False)
    health_condition = forms.CharField(label=gettext_lazy("健康状况"), max_length=500, required=False)
    deceased_on = forms.DateField(label=gettext_lazy("去世日期"), required=False, widget=date_input())

    def __init__(self, *args: Any, family: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "action", forms.ChoiceField).choices = choices_of(ChangeAction)
        form_field(self, "member", forms.ModelChoiceField).queryset = family
        form_field(self, "relation", forms.ChoiceField).choices = choices_of(Relation, blank=True)
        form_field(self, "gender", forms.ChoiceField).choices = choices_of(Gender, blank=True)
        form_field(self, "lives_with_cadre", forms.ChoiceField).choices = [
            (UNCHANGED, "---------"),
            ("yes", _("是")),
            ("no", _("否")),
        ]

    def proposed(self) -> dict[str, Any]:
        """The fields given (a blank one is left as it is)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("relation", "name", "gender", "birth_date", "work_unit", "phone", "health_condition")
            if data.get(name) not in (None, "")
        }
        if data.get("deceased_on"):
            fields["deceased_on"] = data["deceased_on"]
        if data.get("lives_with_cadre") != UNCHANGED:
            fields["lives_with_cadre"] = data["lives_with_cadre"] == "yes"
        return fields


class MyFamilyView(OwnPage, FormPageView):
    """我的家庭信息: my family as the family records show it to me, changes I
    propose (applied when HR confirms) and what became of them."""

    resource = "family-member-changes"
    action = ADD
    template_name = "web/me/family.html"
    form_class = FamilyChangeForm
    success_message = gettext_lazy("已提交，人事干部确认后更新。")
    service_fields: ClassVar[dict[str, str]] = {}

    @cached_property
    def family(self) -> Any:
        return care_selectors.family_member_queryset().filter(cadre=self.me).order_by("relation", "id")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "family": self.family}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        members = scoping.scoped(self.family, self.request.user, "family-members")
        changes = selectors.family_member_change_list(user=self.request.user).filter(cadre=self.me)[:MY_LIST]
        return {
            **super().get_context_data(**kwargs),
            "members": self.serialize(FamilyMemberSerializer, members, many=True, resource="family-members"),
            "changes": self.serialize(FamilyMemberChangeSerializer, changes, many=True),
        }

    def perform(self, form: forms.BaseForm) -> Any:
        return services.family_member_change_propose(
            actor=self.request.user,
            action=form.cleaned_data["action"],
            member=form.cleaned_data.get("member"),
            fields=form.proposed(),  # type: ignore[attr-defined]
            request=self.request,
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("web:my-family")


# ---------------------------------------------------------------------------
# 心里话 (mine)
# ---------------------------------------------------------------------------


class MessageForm(forms.Form):
    addressee = forms.ChoiceField(label=gettext_lazy("写给"), widget=forms.RadioSelect)
    body = forms.CharField(
        label=gettext_lazy("想说的话"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("只有您和收信人能看到；通知里不会出现内容。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "addressee", forms.ChoiceField).choices = choices_of(Addressee)


class MyMessagesView(OwnPage, FormPageView):
    """心里话: write to my party secretary or the county organization department, and read the answers."""

    resource = "messages"
    action = ADD
    template_name = "web/me/messages.html"
    form_class = MessageForm
    success_message = gettext_lazy("已送达，收信人会在规定期限内回复您。")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sent = selectors.message_list(user=self.request.user, box="sent")[:MY_LIST]
        return {**super().get_context_data(**kwargs), "sent": self.serialize(HeartMessageSerializer, sent, many=True)}

    def perform(self, form: forms.BaseForm) -> Any:
        return services.heart_message_send(actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_url(self, result: Any) -> str:
        return reverse("web:my-messages")


# ---------------------------------------------------------------------------
# 待确认 (HR, the secretary)
# ---------------------------------------------------------------------------


class PendingView(PageView):
    """待确认: what cadres in my scope reported or proposed and nobody has decided yet, oldest first."""

    resource = "self-reports"
    action = "confirm"
    template_name = "web/selfservice/pending.html"

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return super().allowed(user) or scoping.may(user, "family-member-changes", "confirm")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        reports = selectors.self_report_list(user=user, pending=True).order_by("created_at", "id")[:100]
        changes = selectors.family_member_change_list(user=user, pending=True).order_by("created_at", "id")[:100]
        return {
            **super().get_context_data(**kwargs),
            "reports": self.serialize(SelfReportSerializer, reports, many=True),
            "changes": self.serialize(
                FamilyMemberChangeSerializer, changes, many=True, resource="family-member-changes"
            ),
            "may_changes": scoping.may(user, "family-member-changes", "confirm"),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("处理"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("未采纳理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不采纳时必填，干部本人会看到。"),
    )

    def __init__(self, *args: Any, confirm_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "decision", forms.ChoiceField).choices = [("confirm", confirm_label), ("reject", _("不采纳"))]


class _DecideView(FormPageView):
    """One item to confirm, and the decision; the service says who may."""

    action = "confirm"
    form_class = DecisionForm
    nav_entry = "web:self-pending"
    confirm_label: ClassVar[Any]
    serializer: ClassVar[Any]

    def record(self) -> Any:
        raise NotImplementedError

    def get_form(self) -> forms.BaseForm:
        return DecisionForm(confirm_label=str(self.confirm_label), **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.record()
        return {
            **super().get_context_data(**kwargs),
            "item": self.serialize(self.serializer, record),
            "may_decide": record.status == Decision.PENDING,
        }

    def get_success_url(self, result: Any) -> str:
        return reverse("web:self-pending")

    def get_success_message(self, result: Any) -> str:
        return _("已确认。") if result.status == Decision.CONFIRMED else _("已不采纳，干部本人会收到通知。")


class SelfReportDecideView(_DecideView):
    resource = "self-reports"
    template_name = "web/selfservice/report.html"
    serializer = SelfReportSerializer
    confirm_label = gettext_lazy("确认（登记为家庭重大变故或困难帮扶，安排走访和谈话）")

    @cached_property
    def report(self) -> Any:
        return get_object_or_404(selectors.self_report_list(user=self.request.user), pk=self.kwargs["pk"])

    def record(self) -> Any:
        return self.report

    def perform(self, form: forms.BaseForm) -> Any:
        if form.cleaned_data["decision"] == "confirm":
            return services.self_report_confirm(actor=self.request.user, report=self.report, request=self.request)[0]
        return services.self_report_reject(
            actor=self.request.user, report=self.report, reason=form.cleaned_data["reason"], request=self.request
        )


def _shown(name: str, value: Any) -> Any:
    """A proposed value as the family page shows it: a choice by its label, yes or no in words."""
    choices = {"relation": Relation, "gender": Gender}.get(name)
    if choices is not None and value in choices.values:
        return choice_label(choices(value).label)
    if name == "lives_with_cadre":
        return _("是") if value else _("否")
    return value


class FamilyChangeDecideView(_DecideView):
    resource = "family-member-changes"
    template_name = "web/selfservice/family_change.html"
    serializer = FamilyMemberChangeSerializer
    confirm_label = gettext_lazy("确认（按申请更新家属信息）")

    @cached_property
    def change(self) -> Any:
        return get_object_or_404(selectors.family_member_change_list(user=self.request.user), pk=self.kwargs["pk"])

    def record(self) -> Any:
        return self.change

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        fields = FamilyChangeForm.base_fields
        labels = {name: fields[name].label for name in services.MEMBER_FIELDS if name in fields}
        labels["notes"] = _("备注")
        context = super().get_context_data(**kwargs)
        proposed = context["item"]["proposed"]
        context["proposed_rows"] = (
            [(labels.get(name, name), _shown(name, value)) for name, value in proposed.items()]
            if isinstance(proposed, dict)
            else []  # masked for this reader
        )
        return context

    def perform(self, form: forms.BaseForm) -> Any:
        if form.cleaned_data["decision"] == "confirm":
            return services.family_member_change_confirm(
                actor=self.request.user, change=self.change, request=self.request
            )[0]
        return services.family_member_change_reject(
            actor=self.request.user, change=self.change, reason=form.cleaned_data["reason"], request=self.request
        )


# ---------------------------------------------------------------------------
# 心里话信箱 (the addressee)
# ---------------------------------------------------------------------------


class MessageInboxView(PageView):
    """心里话信箱: messages addressed to me, unanswered first."""

    resource = "messages"
    action = "answer"
    template_name = "web/selfservice/messages.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        received = selectors.message_list(user=self.request.user, box="received").order_by("-status", "answer_due")
        return {
            **super().get_context_data(**kwargs),
            "messages_received": self.serialize(HeartMessageSerializer, received[:100], many=True),
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("回复"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class MessageAnswerView(FormPageView):
    """One 心里话 addressed to me, and my answer."""

    resource = "messages"
    action = "answer"
    template_name = "web/selfservice/message.html"
    form_class = AnswerForm
    nav_entry = "web:messages"
    success_message = gettext_lazy("已回复，写信人会收到通知。")

    @cached_property
    def message(self) -> Any:
        return get_object_or_404(selectors.message_list(user=self.request.user, box="received"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "item": self.serialize(HeartMessageSerializer, self.message),
            "may_answer": self.message.status == MessageStatus.OPEN,
        }

    def perform(self, form: forms.BaseForm) -> Any:
        return services.heart_message_answer(
            actor=self.request.user, message=self.message, answer=form.cleaned_data["answer"], request=self.request
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("web:messages")


urlpatterns = [
    path("me/report/", MyReportView.as_view(), name="my-report"),
    path("me/family/", MyFamilyView.as_view(), name="my-family"),
    path("me/messages/", MyMessagesView.as_view(), name="my-messages"),
    path("self-service/pending/", PendingView.as_view(), name="self-pending"),
    path("self-service/reports/<int:pk>/", SelfReportDecideView.as_view(), name="self-report"),
    path("self-service/family-changes/<int:pk>/", FamilyChangeDecideView.as_view(), name="family-change"),
    path("messages/", MessageInboxView.as_view(), name="messages"),
    path("messages/<int:pk>/", MessageAnswerView.as_view(), name="message"),
]
