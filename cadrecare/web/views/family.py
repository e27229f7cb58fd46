"""家属 for HR officers: a cadre's family on one page (add, edit), a major
family event recorded and, from the must-visit it opens, the visit; all
through the care services, as the API's care viewsets call them (placement
check, the service, the create/update audit row, in one transaction).

Family members are shown only through the API's ``FamilyMemberSerializer``,
so a child under 14 is masked below sensitive and every personal or sensitive
value shown is audited, exactly as ``/api/v1/family-members/`` does."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import FamilyEventSerializer, FamilyMemberSerializer
from cadrecare.care.choices import FamilyEventKind, ObligationSource, ObligationStatus, Relation, VisitKind
from cadrecare.care.models import FamilyEvent, FamilyMember, Visit, VisitObligation
from cadrecare.core import clock
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import Gender
from cadrecare.org.models import Cadre, User
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.people import CadreSearchMixin, PersonSearchMixin, UsersField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FamilyCadresView(CadreSearchMixin, PageView):
    """Whose family: the cadres in my scope by name, each linking to their family page."""

    resource = "family-members"
    template_name = "web/family/cadres.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.cadre_search()}


class CadreFamilyMixin:
    """The cadre named by ``pk``, looked up in the reader's scope for the page's resource (404 outside)."""

    @cached_property
    def cadre(self) -> Cadre:
        view: Any = self
        cadres = scoping.scoped(Cadre.objects.select_related("unit"), view.request.user, view.resource)
        return get_object_or_404(cadres, pk=view.kwargs["pk"])

    def chosen_member(self, member_id: int | None) -> FamilyMember | None:
        """The member picked on the form (its choices are this cadre's family only)."""
        return FamilyMember.objects.filter(pk=member_id, cadre=self.cadre).first() if member_id else None

    def member_choices(self) -> list[tuple[str, StrOrPromise]]:
        """The cadre's family as the reader may see them (masked, audited), for a 涉及家属 choice."""
        view: Any = self
        members = selectors.family_member_queryset().filter(cadre=self.cadre)
        rows = view.serialize(FamilyMemberSerializer, members, many=True, resource="family-members")
        return [("", _("（不涉及具体家属）"))] + [
            (str(row["id"]), f"{row['relation_label']} {row['name']}") for row in rows
        ]


class CadreFormView(FormPageView):
    """A care form about one cadre (``self.cadre``) on the shared page
    ``web/family/form.html``: the cadre named above the form, the page's
    heading, an optional line of explanation, and a way back."""

    nav_entry = "web:family"
    template_name = "web/family/form.html"
    heading: ClassVar[Any]
    intro: ClassVar[Any] = None
    submit_label: ClassVar[Any] = _("保存")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            intro=self.intro,
            submit_label=self.submit_label,
            cadre=self.cadre,
            back_url=self.back_url(),
        )
        return context

    @property
    def cadre(self) -> Cadre:
        """The cadre the form is about: each page finds it (in the reader's scope, 404 outside)."""
        raise NotImplementedError(f"{type(self).__name__} must say which cadre its form is about")

    def back_url(self) -> str:
        return reverse("web:family-cadre", kwargs={"pk": self.cadre.pk})


class CadreFamilyView(CadreFamilyMixin, PageView):
    """A cadre's family on one page: members (masked as the API masks them),
    the family events with their must-visit, and the buttons the reader's
    roles allow."""

    resource = "family-members"
    nav_entry = "web:family"
    template_name = "web/family/cadre.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        members = selectors.family_member_queryset().filter(cadre=self.cadre)
        events: list[dict[str, Any]] = []
        if scoping.may(user, "family-events", "view"):
            queryset = scoping.scoped(selectors.family_event_queryset(), user, "family-events").filter(cadre=self.cadre)
            events = self.serialize(
                FamilyEventSerializer, queryset.order_by("-date", "-id"), many=True, resource="family-events"
            )
            obligations = {event.pk: getattr(event, "obligation", None) for event in queryset}
            may_visit = VisitRecordView.allowed(user)
            for event in events:
                obligation = obligations.get(event["id"])
                event["obligation_status"] = obligation.get_status_display() if obligation else ""
                event["deadline"] = obligation.deadline if obligation else None
                event["visit_url"] = (
                    reverse("web:visit-record", kwargs={"pk": obligation.pk})
                    if may_visit and obligation and obligation.status == ObligationStatus.OPEN
                    else None
                )
        context.update(
            cadre=self.cadre,
            members=self.serialize(FamilyMemberSerializer, members, many=True),
            events=events,
            may_add=scoping.may_in_unit(user, self.resource, ADD, self.cadre.unit),
            may_change=scoping.may_in_unit(user, self.resource, CHANGE, self.cadre.unit),
            may_record_event=FamilyEventRecordView.allowed(user)
            and scoping.may_in_unit(user, "family-events", ADD, self.cadre.unit),
            may_open_hardship=scoping.may(user, "hardship-cases", ADD)
            and scoping.may_in_unit(user, "hardship-cases", ADD, self.cadre.unit),
        )
        return context


# -- family members --------------------------------------------------------------------------------
class FamilyMemberForm(forms.Form):
    """A family member's fields as the API takes them; parsing only (the service judges)."""

    relation = forms.ChoiceField(label=_("关系"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), required=False)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=date_input())
    work_unit = forms.CharField(label=_("工作单位或学校"), required=False, max_length=100)
    phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, help_text=_("11位手机号或带区号的固定电话。")
    )
    lives_with_cadre = forms.BooleanField(label=_("与干部同住"), required=False)
    health_condition = forms.CharField(label=_("健康状况"), required=False, max_length=500)
    notes = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    deceased_on = forms.DateField(label=_("去世日期"), required=False, widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "relation", forms.ChoiceField).choices = choices_of(Relation, blank=True)
        form_field(self, "gender", forms.ChoiceField).choices = choices_of(Gender, blank=True)


class FamilyMemberAddView(CadreFamilyMixin, CadreFormView):
    """添加家属 to the cadre ``pk``."""

    resource = "family-members"
    action = ADD
    heading = _("添加家属")
    form_class = FamilyMemberForm
    success_message = _("家属信息已添加。")

    def perform(self, form: forms.BaseForm) -> FamilyMember:
        return services.family_member_create(
            actor=self.request.user, cadre=self.cadre, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, member: FamilyMember) -> str:
        return reverse("web:family-cadre", kwargs={"pk": member.cadre_id})


class FamilyMemberEditView(CadreFormView):
    """修改家属 ``pk``: the form starts from the member as the API shows them to this reader (read audited)."""

    resource = "family-members"
    action = CHANGE
    heading = _("修改家属信息")
    form_class = FamilyMemberForm
    success_message = _("家属信息已保存。")

    @cached_property
    def member(self) -> FamilyMember:
        members = scoping.scoped(selectors.family_member_queryset(), self.request.user, self.resource)
        return get_object_or_404(members, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        data = self.serialize(FamilyMemberSerializer, self.member)
        # Parsed back (dates), so the update audits only the fields the form changed.
        return {name: field.to_python(data[name]) for name, field in FamilyMemberForm.base_fields.items()}

    @property
    def cadre(self) -> Cadre:
        return self.member.cadre

    def perform(self, form: forms.BaseForm) -> FamilyMember:
        return services.family_member_update(
            actor=self.request.user, member=self.member, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, member: FamilyMember) -> str:
        return reverse("web:family-cadre", kwargs={"pk": member.cadre_id})


# -- a family event, then its visit ----------------------------------------------------------------
class FamilyEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("变故类型"))
    date = forms.DateField(label=_("发生日期"), widget=date_input())
    family_member = forms.TypedChoiceField(label=_("涉及家属"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(
        label=_("情况说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # One key per form shown: a double click or a resent form records the event once (the service's Idempotency-Key).
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, members: list[tuple[str, StrOrPromise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(FamilyEventKind, blank=True)
        form_field(self, "family_member", forms.ChoiceField).choices = members


class FamilyEventRecordView(CadreFamilyMixin, CadreFormView):
    """记录家庭变故 for the cadre ``pk``; the service opens the must-visit
    (and the must-talk), and the page goes on to record that visit."""

    resource = "family-events"
    action = ADD
    heading = _("登记家庭变故")
    intro = _("登记后将按关爱政策生成必访任务，并提醒谈心谈话；保存后可直接记录走访。")
    submit_label = _("登记")
    form_class = FamilyEventForm
    success_message = _("家庭变故已登记，已生成必访任务。")
    service_fields = {"family_member": "family_member"}

    def get_form(self) -> forms.BaseForm:
        return FamilyEventForm(members=self.member_choices(), **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        return {"request_key": uuid.uuid4().hex, "date": clock.today()}

    def perform(self, form: forms.BaseForm) -> FamilyEvent:
        data = dict(form.cleaned_data)
        member = self.chosen_member(data.pop("family_member"))
        event, _created = services.family_event_record(
            actor=self.request.user, cadre=self.cadre, family_member=member, request=self.request, **data
        )
        return event

    def get_success_url(self, event: FamilyEvent) -> str:
        obligation = getattr(event, "obligation", None)
        if obligation is not None and VisitRecordView.allowed(self.request.user):
            return reverse("web:visit-record", kwargs={"pk": obligation.pk})
        return reverse("web:family-cadre", kwargs={"pk": event.cadre_id})


class VisitForm(forms.Form):
    date = forms.DateField(label=_("走访日期"), widget=date_input())
    kind = forms.ChoiceField(label=_("走访类型"))
    visitors = UsersField(label=_("走访人"))
    family_member = forms.TypedChoiceField(label=_("走访家属"), required=False, coerce=int, empty_value=None)
    money_amount = forms.DecimalField(label=_("慰问金（元）"), max_digits=12, decimal_places=2, initial=0)
    goods = forms.CharField(label=_("慰问物资"), required=False, max_length=500)
    notes = forms.CharField(
        label=_("走访情况"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, members: list[tuple[str, StrOrPromise]], visitors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(VisitKind)
        form_field(self, "family_member", forms.ChoiceField).choices = members
        form_field(self, "visitors", forms.ModelChoiceField).queryset = visitors


class VisitRecordView(PersonSearchMixin, CadreFamilyMixin, FormPageView):
    """记录走访 for the must-visit ``pk`` (a VisitObligation, the due item's
    object): the visit fulfils it (``care.services.visit_record``)."""

    resource = "visits"
    action = ADD
    nav_entry = "web:family"
    template_name = "web/family/visit.html"
    form_class = VisitForm
    success_message = _("走访已记录。")

    @cached_property
    def obligation(self) -> VisitObligation:
        obligations = scoping.scoped(selectors.visit_obligation_queryset(), self.request.user, self.resource)
        return get_object_or_404(obligations, pk=self.kwargs["pk"])

    @cached_property
    def cadre(self) -> Cadre:
        return self.obligation.cadre

    def visitors(self) -> Any:
        """Who may be named as visitors, found by name: the logins the API's
        visit serializer accepts from this user (``scoping.nameable``)."""
        users = User.objects.filter(is_active=True).select_related("cadre__unit")
        return scoping.nameable(users, self.request.user, self.resource)

    def get_form(self) -> forms.BaseForm:
        return VisitForm(members=self.member_choices(), visitors=self.visitors(), **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        must = self.obligation.source == ObligationSource.FAMILY_EVENT
        event = getattr(self.obligation, "family_event", None)
        return {
            "date": clock.today(),
            "kind": VisitKind.MUST_VISIT if must else VisitKind.CONDOLENCE,
            "visitors": [self.request.user.pk],
            "family_member": event.family_member_id if event is not None else None,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cadre": self.cadre, "obligation": self.obligation}

    def perform(self, form: forms.BaseForm) -> Visit:
        data = dict(form.cleaned_data)
        member = self.chosen_member(data.pop("family_member"))
        return services.visit_record(
            actor=self.request.user,
            cadre=self.cadre,
            family_member=member,
            obligations=[self.obligation],
            request=self.request,
            **data,
        )

    def get_success_url(self, visit: Visit) -> str:
        if CadreFamilyView.allowed(self.request.user):
            return reverse("web:family-cadre", kwargs={"pk": visit.cadre_id})
        return reverse("web:home")


urlpatterns = [
    path("family/", FamilyCadresView.as_view(), name="family"),
    path("family/<int:pk>/", CadreFamilyView.as_view(), name="family-cadre"),
    path("family/<int:pk>/add/", FamilyMemberAddView.as_view(), name="family-member-add"),
    path("family/members/<int:pk>/edit/", FamilyMemberEditView.as_view(), name="family-member-edit"),
    path("family/<int:pk>/event/", FamilyEventRecordView.as_view(), name="family-event-record"),
    path("visits/record/<int:pk>/", VisitRecordView.as_view(), name="visit-record"),
]
