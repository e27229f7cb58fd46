"""The county organization department's own follow-through, in the
workbench: 交流研判 (the year's exchange candidates, a decision per
candidate), 定期约谈 (the yearly interview plan, progress per township, an
interview recorded per cadre) and 组织部长下基层 (the townships not visited
this period, the visits, and recording one). Reads through
cadrecare.oversight.selectors scoped as the API scopes them; writes through
its services, which place and audit them as for the API's viewsets."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit, User, person_name
from cadrecare.oversight import selectors, services
from cadrecare.oversight.api.serializers import TransferDecisionSerializer
from cadrecare.oversight.choices import DECIDABLE_OUTCOMES, Checkpoints, LineStatus, TransferOutcome
from cadrecare.oversight.models import FieldVisit, InterviewPlan, InterviewPlanLine, TransferDecision, TransferReview
from cadrecare.talks.choices import TalkForm
from cadrecare.web.forms import date_input, form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.people import PersonSearchMixin, UsersField

PAGE_SIZE = 20


def _late(due: dt.date | None, today: dt.date) -> int:
    """Days past ``due`` (0: not late)."""
    return max((today - due).days, 0) if due else 0


# ---------------------------------------------------------------------------
# 交流研判
# ---------------------------------------------------------------------------


class TransferReviewListView(PageView):
    """The yearly exchange reviews of my counties, the newest first."""

    resource = "transfer-reviews"
    template_name = "web/oversight/transfer_reviews.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reviews = scoping.scoped(selectors.transfer_review_queryset(), self.request.user, self.resource)
        rows = []
        for review in reviews.order_by("-year", "county__path"):
            decisions = list(review.decisions.all())
            pending = sum(1 for d in decisions if d.outcome == TransferOutcome.PENDING)
            rows.append({"review": review, "total": len(decisions), "pending": pending})
        context.update(rows=rows, today=clock.today(), may_add=TransferReviewOpenView.allowed(self.request.user))
        return context


class TransferReviewView(PageView):
    """One review: every candidate with the decision on them (a reason is
    personal: masked and audited as in the API) and a 研判 link where it can
    still be decided."""

    resource = "transfer-reviews"
    nav_entry = "web:transfer-reviews"
    template_name = "web/oversight/transfer_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reviews = scoping.scoped(selectors.transfer_review_queryset(), self.request.user, self.resource)
        review: TransferReview = get_object_or_404(reviews, pk=self.kwargs["pk"])
        decisions = self.serialize(TransferDecisionSerializer, review.decisions.all(), many=True)
        context.update(
            review=review,
            decisions=decisions,
            pending=sum(1 for d in decisions if d["outcome"] == TransferOutcome.PENDING),
            may_decide=scoping.may_on(self.request.user, self.resource, "decide", review),
            overdue=_late(review.decide_by, clock.today()),
        )
        return context


def _counties(user: User, resource: str) -> Any:
    """The counties where ``user`` may add ``resource`` (a yearly plan is a county's)."""
    counties = OrgUnit.objects.filter(kind=UnitKind.COUNTY, active=True).order_by("path")
    return scoping.scoped(counties, user, resource, ADD)


class CountyYearForm(forms.Form):
    county = forms.ModelChoiceField(label=_("县（区）"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: User, resource: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "county", forms.ModelChoiceField).queryset = _counties(user, resource)


class TransferReviewOpenForm(CountyYearForm):
    decide_by = forms.DateField(
        label=_("研判截止"), required=False, widget=date_input(), help_text=_("不填则为三个月后。")
    )
    min_years = forms.DecimalField(
        label=_("边远乡镇工作年限不少于"), initial=5, min_value=0, max_value=50, max_digits=4, decimal_places=1
    )


class CountyYearPageView(FormPageView):
    """A yearly plan's form: counties where the user may add, this year by default."""

    resource: ClassVar[str]  # every plan page names its resource
    action = ADD

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "resource": self.resource}

    def get_initial(self) -> dict[str, Any]:
        counties = list(_counties(self.request.user, self.resource)[:2])
        return {"year": clock.today().year, "county": counties[0] if len(counties) == 1 else None}


class TransferReviewOpenView(CountyYearPageView):
    """开展交流研判: the county's candidates of the year are taken in, each a decision to make."""

    resource = "transfer-reviews"
    nav_entry = "web:transfer-reviews"
    template_name = "web/oversight/plan_form.html"
    form_class = TransferReviewOpenForm
    success_message = _("交流研判已开展，人选已列入待研判。")
    extra_context = {"heading": _("开展交流研判"), "back": "web:transfer-reviews"}

    def perform(self, form: forms.BaseForm) -> TransferReview:
        return services.transfer_review_open(actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_url(self, review: TransferReview) -> str:
        return reverse("web:transfer-review", kwargs={"pk": review.pk})


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("研判结果"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("暂缓交流须写明理由；本人不愿交流可写明本人意见。个人信息，查看均记入审计日志。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "outcome", forms.ChoiceField).choices = [
            (v, choice_label(TransferOutcome(v).label)) for v in DECIDABLE_OUTCOMES
        ]


class TransferDecisionView(FormPageView):
    """研判 one candidate (``pk`` = the decision, the due item's object)."""

    resource = "transfer-reviews"
    action = "decide"
    nav_entry = "web:transfer-reviews"
    template_name = "web/oversight/decide.html"
    form_class = DecisionForm
    success_message = _("研判结果已保存。")

    @cached_property
    def decision(self) -> TransferDecision:
        decisions = scoping.scoped(
            TransferDecision.objects.select_related("cadre", "township", "review__county"),
            self.request.user,
            self.resource,
        )
        return get_object_or_404(decisions, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        outcome = self.decision.outcome
        return {"outcome": outcome if outcome in DECIDABLE_OUTCOMES else None}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(decision=self.decision, row=self.serialize(TransferDecisionSerializer, self.decision))
        return context

    def perform(self, form: forms.BaseForm) -> TransferDecision:
        return services.transfer_decision_record(
            actor=self.request.user, decision=self.decision, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, decision: TransferDecision) -> str:
        return reverse("web:transfer-review", kwargs={"pk": decision.review_id})


# ---------------------------------------------------------------------------
# 定期约谈
# ---------------------------------------------------------------------------


class InterviewPlanListView(PageView):
    """The yearly interview plans of my counties, with their overall progress."""

    resource = "interview-plans"
    template_name = "web/oversight/interview_plans.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = scoping.scoped(selectors.interview_plan_queryset(), self.request.user, self.resource)
        rows = []
        for plan in plans.order_by("-year", "county__path"):
            lines = [line for line in plan.lines.all() if line.status != LineStatus.CANCELLED]
            done = sum(1 for line in lines if line.status == LineStatus.DONE)
            rows.append({"plan": plan, "total": len(lines), "done": done})
        context.update(rows=rows, may_add=InterviewPlanCreateView.allowed(self.request.user))
        return context


class InterviewPlanForm(CountyYearForm):
    checkpoints = forms.TypedChoiceField(
        label=_("进度检查"), coerce=int, choices=Checkpoints.choices, initial=Checkpoints.QUARTERLY
    )
    interviewers = UsersField(label=_("约谈人"))

    def __init__(self, *args: Any, user: User, resource: str, **kwargs: Any) -> None:
        super().__init__(*args, user=user, resource=resource, **kwargs)
        form_field(self, "interviewers", forms.ModelChoiceField).queryset = scoping.nameable(
            User.objects.filter(is_active=True, cadre__isnull=False).select_related("cadre__unit"), user, resource
        )


class InterviewPlanCreateView(PersonSearchMixin, CountyYearPageView):
    """制定约谈计划: every section-level cadre of the county's townships is a line to interview this year."""

    resource = "interview-plans"
    nav_entry = "web:interview-plans"
    template_name = "web/oversight/plan_form.html"
    form_class = InterviewPlanForm
    success_message = _("约谈计划已制定。")
    extra_context = {"heading": _("制定约谈计划"), "back": "web:interview-plans"}

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "interviewers": [self.request.user.pk]}

    def perform(self, form: forms.BaseForm) -> InterviewPlan:
        data = {**form.cleaned_data, "interviewers": list(form.cleaned_data["interviewers"])}
        return services.interview_plan_create(actor=self.request.user, request=self.request, **data)

    def get_success_url(self, plan: InterviewPlan) -> str:
        return reverse("web:interview-plan", kwargs={"pk": plan.pk})


class InterviewPlanView(PageView):
    """One plan: each township's progress against the checkpoints (behind
    first) and its cadres, each with 记录约谈 while open."""

    resource = "interview-plans"
    nav_entry = "web:interview-plans"
    template_name = "web/oversight/interview_plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = scoping.scoped(selectors.interview_plan_queryset(), self.request.user, self.resource)
        plan: InterviewPlan = get_object_or_404(plans, pk=self.kwargs["pk"])
        today = clock.today()
        lines: dict[int, list[InterviewPlanLine]] = {}
        for line in plan.lines.all():
            lines.setdefault(line.township_id, []).append(line)
        progress = selectors.interview_progress(plan, today)
        townships = [
            {
                "unit": township,
                "percent": round(100 * township.lines_done / township.lines_total),
                "late": _late(township.interview_due, today),
                "lines": lines.get(township.pk, []),
            }
            for township in progress
        ]
        context.update(
            plan=plan,
            interviewers="、".join(person_name(user) for user in plan.interviewers.all()),
            townships=townships,
            may_interview=scoping.may_on(self.request.user, self.resource, "interview", plan),
            total=sum(township.lines_total for township in progress),
            done=sum(township.lines_done for township in progress),
        )
        return context


class InterviewTownshipView(PageView):
    """A township's line of this year's plan (``pk`` = the township, the
    ``interview_plan`` due item's object): its county's plan, at the township."""

    resource = "interview-plans"
    nav_entry = "web:interview-plans"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        townships = scoping.scoped(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP), self.request.user, self.resource)
        township = get_object_or_404(townships, pk=kwargs["pk"])
        plan = get_object_or_404(InterviewPlan, county_id=township.parent_id, year=clock.today().year)
        return HttpResponseRedirect(reverse("web:interview-plan", kwargs={"pk": plan.pk}) + f"#township-{township.pk}")


class InterviewForm(forms.Form):
    date = forms.DateField(label=_("约谈日期"), widget=date_input())
    form = forms.ChoiceField(label=_("形式"))
    summary = forms.CharField(
        label=_("约谈内容"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("记入谈心谈话，仅谈话人和组织部门可查看，每次查看均记入审计日志。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "form", forms.ChoiceField).choices = [
            (value.value, choice_label(value.label)) for value in TalkForm
        ]


class InterviewRecordView(FormPageView):
    """记录约谈 with the cadre of one line (``pk``): a talk by the signed-in interviewer."""

    resource = "interview-plans"
    action = "interview"
    nav_entry = "web:interview-plans"
    template_name = "web/oversight/interview_record.html"
    form_class = InterviewForm
    success_message = _("约谈已记录。")

    @cached_property
    def line(self) -> InterviewPlanLine:
        lines = scoping.scoped(
            InterviewPlanLine.objects.select_related("cadre", "township", "plan__county"),
            self.request.user,
            self.resource,
        )
        return get_object_or_404(lines, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"date": clock.today(), "form": TalkForm.FACE_TO_FACE}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "line": self.line}

    def perform(self, form: forms.BaseForm) -> InterviewPlanLine:
        return services.interview_record(
            actor=self.request.user,
            plan=self.line.plan,
            cadre=self.line.cadre,
            request=self.request,
            **form.cleaned_data,
        )

    def get_success_url(self, line: InterviewPlanLine) -> str:
        return reverse("web:interview-plan", kwargs={"pk": line.plan_id}) + f"#township-{line.township_id}"


# ---------------------------------------------------------------------------
# 组织部长下基层
# ---------------------------------------------------------------------------


class FieldVisitListView(PageView):
    """The townships of my counties not visited this period (the longest late
    first), then the visits recorded, the newest first."""

    resource = "field-visits"
    template_name = "web/oversight/field_visits.html"
    partial = "visits"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, clock.today()
        townships = scoping.scoped(selectors.townships_with_visits(today=today), user, self.resource)
        due = townships.filter(visit_due__isnull=False).select_related("parent").order_by("visit_due", "path")
        visits = scoping.scoped(selectors.field_visit_queryset(), user, self.resource).order_by("-date", "-id")
        page = Paginator(visits, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            not_visited=[{"unit": unit, "late": _late(unit.visit_due, today)} for unit in due],
            page=page,
            visits=[
                {"visit": visit, "visitors": "、".join(person_name(user) for user in visit.visitors.all())}
                for visit in page.object_list
            ],
            may_add=FieldVisitRecordView.allowed(user),
        )
        return context


class FieldVisitForm(forms.Form):
    township = forms.ModelChoiceField(label=_("乡镇"), queryset=OrgUnit.objects.none())
    date = forms.DateField(label=_("日期"), widget=date_input())
    visitors = UsersField(label=_("下基层人员"))
    notes = forms.CharField(
        label=_("情况记录"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True).order_by("path")
        form_field(self, "township", forms.ModelChoiceField).queryset = scoping.nameable(
            townships, user, "field-visits"
        )
        form_field(self, "visitors", forms.ModelChoiceField).queryset = scoping.nameable(
            User.objects.filter(is_active=True, cadre__isnull=False).select_related("cadre__unit"), user, "field-visits"
        )


class FieldVisitRecordView(PersonSearchMixin, FormPageView):
    """登记下基层; with ``pk`` (the ``field_visit`` due item's township) the township is chosen."""

    resource = "field-visits"
    action = ADD
    nav_entry = "web:field-visits"
    template_name = "web/oversight/field_visit_record.html"
    form_class = FieldVisitForm
    success_message = _("下基层情况已登记。")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"date": clock.today(), "visitors": [self.request.user.pk]}
        if "pk" in self.kwargs:
            initial["township"] = self.kwargs["pk"]
        return initial

    def perform(self, form: forms.BaseForm) -> FieldVisit:
        data = {**form.cleaned_data, "visitors": list(form.cleaned_data["visitors"])}
        return services.field_visit_record(actor=self.request.user, request=self.request, **data)

    def get_success_url(self, visit: FieldVisit) -> str:
        return reverse("web:field-visits")


urlpatterns = [
    path("transfer-reviews/", TransferReviewListView.as_view(), name="transfer-reviews"),
    path("transfer-reviews/new/", TransferReviewOpenView.as_view(), name="transfer-review-open"),
    path("transfer-reviews/<int:pk>/", TransferReviewView.as_view(), name="transfer-review"),
    path("transfer-decisions/<int:pk>/", TransferDecisionView.as_view(), name="transfer-decision"),
    path("interview-plans/", InterviewPlanListView.as_view(), name="interview-plans"),
    path("interview-plans/new/", InterviewPlanCreateView.as_view(), name="interview-plan-create"),
    path("interview-plans/<int:pk>/", InterviewPlanView.as_view(), name="interview-plan"),
    path("interview-plans/township/<int:pk>/", InterviewTownshipView.as_view(), name="interview-township"),
    path("interview-plans/lines/<int:pk>/record/", InterviewRecordView.as_view(), name="interview-record"),
    path("field-visits/", FieldVisitListView.as_view(), name="field-visits"),
    path("field-visits/new/", FieldVisitRecordView.as_view(), name="field-visit-record"),
    path("field-visits/new/<int:pk>/", FieldVisitRecordView.as_view(), name="field-visit-township"),
]
