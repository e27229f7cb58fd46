"""谈话 for township party secretaries (and the organization department):
the talks I must hold (must-talks routed to me, regular talks due, follow-ups
I own: my due items of those kinds) and one form to record a talk, prefilled
from the item it answers.

The talk is written by ``talks.services.talk_record`` exactly as
``TalkViewSet.create`` does (the service places and audits it). Talkee and talkers are chosen by name
(``cadrecare.web.people``) from what the API's serializer lets the user name.
Talk contents are sensitive: this form writes them but no page here reads them
back, except a follow-up's own page, through the API's serializer with the
talker's per-record rule (``OwnerSeesNotesMixin``), audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre, User
from cadrecare.talks import selectors, services
from cadrecare.talks.api.serializers import TalkSerializer
from cadrecare.talks.choices import FollowUpStatus, TalkForm, TriggerKind, TriggerStatus
from cadrecare.talks.models import Talk, TalkFollowUp, TalkTrigger
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, PageView, redirect_after_post
from cadrecare.web.people import CadreField, PersonSearchMixin, UsersField
from cadrecare.web.views.home import HomeView

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from cadrecare.talks.selectors import RegularTalkDue

TALK_KINDS = ("talk_trigger", "confidential_talk_trigger", "regular_talk", "talk_follow_up")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TalksView(HomeView):
    """谈话: my due items of the talk kinds, soonest first, each linking to the
    form that answers it; and 记录谈话 for a talk no item asked for."""

    resource = "talks"
    action = ADD
    template_name = "web/talks/due.html"
    kinds_shown = TALK_KINDS


# -- recording a talk ------------------------------------------------------------------------------
class TriggerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(kind)s（%(event)s 发生，%(due)s 前应谈）") % {
            "kind": choice_label(TriggerKind(obj.kind).label),
            "event": f"{obj.event_date:%Y-%m-%d}",
            "due": f"{obj.due_date:%Y-%m-%d}",
        }


class TalkRecordForm(forms.Form):
    """The talk's fields as the API takes them; parsing only (the service judges).
    Choices are what the user may name in a talk, as the API's serializer scopes them."""

    talkee = CadreField(label=_("谈话对象"))
    talkers = UsersField(label=_("谈话人"))
    date = forms.DateField(label=_("谈话日期"), widget=DATE)
    form = forms.ChoiceField(label=_("谈话形式"), initial=TalkForm.FACE_TO_FACE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("谈话内容"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("敏感个人信息：仅谈话人和组织部门可查看，每次查看均记入审计日志。"),
    )
    triggers = TriggerChoiceField(
        label=_("本次谈话答复的必谈事项"),
        queryset=TalkTrigger.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_talk_date = forms.DateField(label=_("下次谈话日期"), required=False, widget=DATE)
    follow_up_action = forms.CharField(
        label=_("跟进事项"),
        max_length=500,
        required=False,
        help_text=_("谈话中商定需要跟进办理的事项（可不填），由您负责跟进。"),
    )
    follow_up_due = forms.DateField(label=_("跟进完成期限"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "form", forms.ChoiceField).choices = [
            (value.value, choice_label(value.label)) for value in TalkForm
        ]
        form_field(self, "talkee", forms.ModelChoiceField).queryset = scoping.nameable(
            Cadre.objects.select_related("unit"), user, "talks"
        )
        form_field(self, "talkers", forms.ModelChoiceField).queryset = scoping.nameable(
            User.objects.filter(is_active=True).select_related("cadre__unit"), user, "talks"
        )
        # The open must-talks of the talkee chosen (as the form was sent, else as prefilled) the user may see.
        talkee = str((self.data.get("talkee") if self.is_bound else self.initial.get("talkee")) or "")
        open_triggers = selectors.talk_trigger_list(user=user).filter(status=TriggerStatus.OPEN)
        form_field(self, "triggers", forms.ModelChoiceField).queryset = (
            open_triggers.filter(cadre_id=int(talkee)) if talkee.isdecimal() else open_triggers.none()
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("follow_up_action") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", _("填写了跟进事项时，请填写完成期限。"))
        return data


class TalkRecordView(PersonSearchMixin, FormPageView):
    """记录谈话 (a talk no due item asked for: the talkee chosen by name)."""

    resource = "talks"
    action = ADD
    nav_entry = "web:talks"
    template_name = "web/talks/record.html"
    form_class = TalkRecordForm
    success_message = _("谈话已记录。")
    service_fields = {"follow_ups[0].action": "follow_up_action", "follow_ups[0].due_date": "follow_up_due"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"date": clock.today(), "talkers": [self.request.user.pk]}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "form_url": self.request.path, "item": None}

    def perform(self, form: forms.BaseForm) -> Talk:
        user = self.request.user
        data = form.cleaned_data
        follow_ups = (
            [{"action": data["follow_up_action"], "due_date": data["follow_up_due"], "owner": user}]
            if data["follow_up_action"]
            else []
        )
        given = {name: data[name] for name in ("talkee", "date", "form", "place", "summary", "next_talk_date")}
        given.update(talkers=list(data["talkers"]), triggers=list(data["triggers"]), follow_ups=follow_ups)
        return services.talk_record(actor=user, request=self.request, **given)

    def get_success_url(self, talk: Talk) -> str:
        return reverse("web:talks")


class TalkTriggerRecordView(TalkRecordView):
    """记录谈话 answering one must-talk (``pk`` = the TalkTrigger, the due
    item's object): talkee, talker and the trigger prefilled."""

    @cached_property
    def trigger(self) -> TalkTrigger:
        return get_object_or_404(selectors.talk_trigger_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        talker = self.trigger.owner_now_id or self.request.user.pk  # type: ignore[attr-defined]
        return {
            **super().get_initial(),
            "talkee": self.trigger.cadre_id,
            "talkers": [talker],
            "triggers": [self.trigger.pk],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        trigger = self.trigger
        item = {
            "title": _("必谈事项：%(kind)s") % {"kind": choice_label(TriggerKind(trigger.kind).label)},
            "cadre": trigger.cadre,
            "due_date": trigger.due_date,
            "event_date": trigger.event_date,
            "closed": choice_label(TriggerStatus(trigger.status).label)
            if trigger.status != TriggerStatus.OPEN
            else None,
        }
        return {**super().get_context_data(**kwargs), "item": item}


class RegularTalkRecordView(TalkRecordView):
    """记录经常性谈心谈话 (``pk`` = the Cadre whose regular talk is due)."""

    @cached_property
    def cadre(self) -> WithAnnotations[Cadre, RegularTalkDue]:
        cadres = selectors.cadres_with_regular_talk_due(Cadre.objects.select_related("unit"))
        return get_object_or_404(scoping.scoped(cadres, self.request.user, self.resource, ADD), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "talkee": self.cadre.pk}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item = {
            "title": _("经常性谈心谈话"),
            "cadre": self.cadre,
            "due_date": self.cadre.next_regular_talk_due,
            "last_talk_date": self.cadre.last_talk_date,
        }
        return {**super().get_context_data(**kwargs), "item": item}


# -- a follow-up agreed in a talk -----------------------------------------------------------------
class TalkFollowUpView(PageView):
    """办理跟进事项 (``pk`` = the TalkFollowUp): the talk and what was agreed,
    shown as the API shows the talk (the action text to its talkers and the
    organization department, audited), and 标记办结 through the service."""

    resource = "talks"
    nav_entry = "web:talks"
    template_name = "web/talks/follow_up.html"

    @cached_property
    def follow_up(self) -> TalkFollowUp:
        user = self.request.user
        talks = selectors.talk_list(user=user).values("pk")
        # Its owner acts on it even where no grant shows them the talk (as the due item they own).
        follow_ups = TalkFollowUp.objects.select_related("talk__talkee__unit", "owner").filter(
            Q(talk__in=talks) | Q(owner=user)
        )
        return get_object_or_404(follow_ups, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        talk = selectors.talk_queryset().get(pk=self.follow_up.talk_id)
        talker_ids = {user.pk for user in talk.talkers.all()}
        data = self.serialize(
            TalkSerializer, talk, widen=lambda instance: Level.SENSITIVE if self.request.user.pk in talker_ids else None
        )
        mine = (
            next((item for item in data["follow_ups"] if item["id"] == self.follow_up.pk), None)
            if isinstance(data["follow_ups"], list)
            else None
        )
        return {
            **super().get_context_data(**kwargs),
            "talk": data,
            "follow_up": self.follow_up,
            "action_text": mine["action"] if mine else None,
            "open": self.follow_up.status == FollowUpStatus.OPEN,
            "today": clock.today(),
        }

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            services.talk_follow_up_close(actor=request.user, follow_up=self.follow_up, request=request)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect_after_post(request, request.path)
        messages.success(request, _("跟进事项已办结。"))
        return redirect_after_post(request, reverse("web:talks"))


urlpatterns = [
    path("talks/", TalksView.as_view(), name="talks"),
    path("talks/record/", TalkRecordView.as_view(), name="talk-record"),
    path("talks/triggers/<int:pk>/record/", TalkTriggerRecordView.as_view(), name="talk-trigger-record"),
    path("talks/regular/<int:pk>/record/", RegularTalkRecordView.as_view(), name="regular-talk-record"),
    path("talks/follow-ups/<int:pk>/", TalkFollowUpView.as_view(), name="talk-follow-up"),
]
