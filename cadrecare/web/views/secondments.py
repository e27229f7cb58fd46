"""挂职借调 and 基层经历 for the organization department: the terms of its
units (running first, the end soonest first), registering one, deciding one
(期满返回、延期、转任: the due item's page), and the grassroots-experience report
of the leadership teams with its .xlsx from the API's
``/api/v1/experience/teams/export/``. Each write goes through the service the
API's viewset calls (scope, the post change, the audit row); rows are shown
through the API's serializers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import LeaderPost, Rank, UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.secondments import selectors, services
from cadrecare.secondments.api.serializers import SecondmentSerializer, TeamExperienceSerializer
from cadrecare.secondments.choices import RUNNING, SecondmentDecision, SecondmentKind
from cadrecare.secondments.models import DEFAULT_NOTICE_DAYS, Secondment
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.people import CadreField, PersonSearchMixin

PAGE_SIZE = 30
RESOURCE = services.RESOURCE


class SecondmentFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=(("", _("期内（在岗或已延期）")), ("all", _("全部（含已结束）")))
    )


class SecondmentListView(PageView):
    """The terms of my units, home or host: running ones, the end soonest first."""

    resource = RESOURCE
    template_name = "web/secondments/list.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = SecondmentFilterForm(self.request.GET or None)
        terms = scoping.scoped(selectors.secondment_queryset(), user, self.resource)
        if not (form.is_valid() and form.cleaned_data["state"] == "all"):
            terms = terms.filter(status__in=RUNNING)
        ended_last = Case(When(status__in=RUNNING, then=Value(0)), default=Value(1), output_field=IntegerField())
        page = Paginator(terms.order_by(ended_last, "planned_end", "id"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            rows=self.serialize(SecondmentSerializer, page.object_list, many=True),
            query=query.urlencode(),
            today=clock.today().isoformat(),
            running=list(RUNNING),
            may_add=SecondmentStartView.allowed(user),
        )
        return context


# -- registering a term ----------------------------------------------------------------------------
class SecondmentStartForm(forms.Form):
    cadre = CadreField(label=_("干部"))
    kind = forms.ChoiceField(label=_("类型"))
    host_unit = forms.ModelChoiceField(label=_("挂职（借调）单位"), queryset=OrgUnit.objects.none())
    post_title = forms.CharField(label=_("挂任职务"), required=False, max_length=100, help_text=_("如：挂职副乡长。"))
    host_leader_post = forms.ChoiceField(label=_("挂任班子职务"), initial=LeaderPost.NONE)
    start = forms.DateField(
        label=_("开始日期"), widget=date_input(), help_text=_("到岗之日；登记后干部即转到挂职（借调）单位。")
    )
    planned_end = forms.DateField(
        label=_("计划结束日期"), required=False, widget=date_input(), help_text=_("挂职不填为两年期满。")
    )
    notice_days = forms.IntegerField(
        label=_("提前提醒天数"),
        initial=DEFAULT_NOTICE_DAYS,
        min_value=1,
        max_value=services.MAX_NOTICE_DAYS,
        help_text=_("期满前多少天提醒原单位组织部门作出期满决定。"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(SecondmentKind, blank=True)
        form_field(self, "host_leader_post", forms.ChoiceField).choices = [
            choice for choice in choices_of(LeaderPost) if choice[0] in services.HOST_POSTS
        ]
        form_field(self, "cadre", forms.ModelChoiceField).queryset = scoping.nameable(
            Cadre.objects.select_related("unit"), user, RESOURCE
        )
        form_field(self, "host_unit", forms.ModelChoiceField).queryset = scoping.nameable(
            OrgUnit.objects.filter(active=True), user, RESOURCE
        )


class SecondmentStartView(PersonSearchMixin, FormPageView):
    """登记挂职借调: the cadre chosen by name, the host among my units."""

    resource = RESOURCE
    action = ADD
    nav_entry = "web:secondments"
    template_name = "web/secondments/form.html"
    form_class = SecondmentStartForm
    success_message = _("挂职（借调）已登记，干部已转到挂职（借调）单位。")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"start": clock.today()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("登记挂职借调"),
            "back_url": reverse("web:secondments"),
        }

    def perform(self, form: forms.BaseForm) -> Secondment:
        data = {name: value for name, value in form.cleaned_data.items() if value is not None}
        return services.secondment_start(actor=self.request.user, **data)

    def get_success_url(self, result: Secondment) -> str:
        return reverse("web:secondment", kwargs={"pk": result.pk})


# -- one term and its decision ---------------------------------------------------------------------
class SecondmentDecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("期满决定"), widget=forms.RadioSelect)
    date = forms.DateField(
        label=_("返回或转任日期"),
        required=False,
        widget=date_input(),
        help_text=_("期满返回、转任时填写，不填为今天。"),
    )
    new_end = forms.DateField(label=_("延期至"), required=False, widget=date_input(), help_text=_("延期时填写。"))
    to_post_title = forms.CharField(
        label=_("转任职务"), required=False, max_length=100, help_text=_("转任时填写，不填沿用现职务。")
    )
    to_rank = forms.ChoiceField(label=_("转任后的职级"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "decision", forms.ChoiceField).choices = choices_of(SecondmentDecision)
        form_field(self, "to_rank", forms.ChoiceField).choices = [("", _("不变")), *choices_of(Rank)]


class SecondmentDecideView(FormPageView):
    """One term: its details, and for the home unit's organization department
    the decision (the ``secondment_decision`` due item's page)."""

    resource = RESOURCE
    nav_entry = "web:secondments"
    template_name = "web/secondments/decide.html"
    form_class = SecondmentDecideForm
    success_message = _("期满决定已登记。")

    @cached_property
    def term(self) -> Secondment:
        terms = scoping.scoped(selectors.secondment_queryset(), self.request.user, self.resource)
        return get_object_or_404(terms, pk=self.kwargs["pk"])

    def may_decide(self) -> bool:
        return self.term.status in RUNNING and scoping.may_in_unit(
            self.request.user, self.resource, services.DECIDE, self.term.home_unit
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "term": self.serialize(SecondmentSerializer, self.term),
            "may_decide": self.may_decide(),
        }

    def perform(self, form: forms.BaseForm) -> Secondment:
        data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        return services.secondment_decide(actor=self.request.user, secondment=self.term, **data)

    def get_success_url(self, result: Secondment) -> str:
        return reverse("web:secondment", kwargs={"pk": result.pk})


# -- the experience report -------------------------------------------------------------------------
class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("班子"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [
            (UnitKind.COUNTY.value, _("县（区）班子")),
            (UnitKind.TOWNSHIP.value, _("乡镇（街道）班子")),
        ]


class ExperienceReportView(PageView):
    """基层经历: the seed's statistics per leadership team and for all of them
    (the city's figure), from the post history; the .xlsx is the API's."""

    resource = selectors.EXPERIENCE
    template_name = "web/secondments/experience.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ExperienceForm(self.request.GET or None)
        kind = form.cleaned_data["kind"] if form.is_valid() and form.cleaned_data["kind"] else UnitKind.COUNTY
        report = selectors.team_report(user=self.request.user, kind=kind, today=clock.today())
        may_export = scoping.may(self.request.user, self.resource, "export")
        context.update(
            form=form,
            teams=TeamExperienceSerializer(report.teams, many=True).data,
            total=TeamExperienceSerializer(report.total).data if report.total else None,
            export_url=f"{reverse('experience-teams-export')}?{urlencode({'kind': kind})}" if may_export else None,
        )
        return context


urlpatterns = [
    path("secondments/", SecondmentListView.as_view(), name="secondments"),
    path("secondments/new/", SecondmentStartView.as_view(), name="secondment-new"),
    path("secondments/<int:pk>/", SecondmentDecideView.as_view(), name="secondment"),
    path("experience/", ExperienceReportView.as_view(), name="experience"),
]
