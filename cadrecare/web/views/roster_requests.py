"""换休审批 and 召回登记: the township party secretary decides the swap
requests both cadres agreed to (the API's approve / reject), and records the
cadres called back during rest (the API's recall), on the API's services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.rotation import selectors, services
from cadrecare.rotation.choices import AbsenceKind, MissedRestStatus, RestConfirmationStatus, SwapStatus
from cadrecare.rotation.models import MissedRest, Recall, RestConfirmation, SwapRequest
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.views.roster import month_url, span_label, township_choice

PAGE_SIZE = 30
SWAP_TABS = (
    ("pending", gettext_lazy("待我审批"), [SwapStatus.PENDING_APPROVAL]),
    ("open", gettext_lazy("待对方确认"), [SwapStatus.PENDING_COUNTERPART]),
    (
        "done",
        gettext_lazy("已办结"),
        [SwapStatus.APPLIED, SwapStatus.DECLINED, SwapStatus.REJECTED, SwapStatus.WITHDRAWN, SwapStatus.EXPIRED],
    ),
)


def swap_row(swap: SwapRequest) -> dict[str, Any]:
    return {
        "swap": swap,
        "status_label": choice_label(swap.get_status_display()),
        "requester_span": span_label(swap.requester_start, swap.requester_end),
        "counterpart_span": span_label(swap.counterpart_start, swap.counterpart_end),
        "roster_url": month_url(swap.roster.unit_id, swap.roster.month),
    }


class SwapListView(PageView):
    """换休审批: requests in my townships, those waiting for my decision first."""

    resource = "swap-requests"
    action = services.SWAP_APPROVE
    template_name = "web/roster/swaps.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        requests = selectors.swap_request_list(user=self.request.user)
        tab = self.request.GET.get("show", "pending")
        statuses = next((s for key, _label, s in SWAP_TABS if key == tab), SWAP_TABS[0][2])
        tab = next((key for key, _label, s in SWAP_TABS if s == statuses), "pending")
        counts = {key: requests.filter(status__in=s).count() for key, _label, s in SWAP_TABS}
        page = Paginator(requests.filter(status__in=statuses).order_by("requester_start", "id"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            tabs=[
                {"key": key, "label": label, "count": counts[key], "current": key == tab}
                for key, label, _s in SWAP_TABS
            ],
            tab=tab,
            page=page,
            rows=[swap_row(swap) for swap in page.object_list],
            query=f"show={tab}",
        )
        return context


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审批"),
        widget=forms.RadioSelect,
        choices=[("approve", gettext_lazy("批准（按申请互换休息）")), ("reject", gettext_lazy("不批准"))],
    )
    note = forms.CharField(
        label=gettext_lazy("审批意见"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不批准时必填，申请人和对方都会看到。"),
    )


class SwapDecideView(FormPageView):
    """One swap request: both blocks, the reason, and the decision. Approval
    applies the exchange as a roster edit, every rule checked again (a break
    names the rule; a request the roster overtook lapses)."""

    resource = "swap-requests"
    action = services.SWAP_APPROVE
    template_name = "web/roster/swap.html"
    form_class = DecisionForm
    nav_entry = "web:swap-requests"

    @cached_property
    def swap(self) -> SwapRequest:
        swap = get_object_or_404(selectors.swap_request_list(user=self.request.user), pk=self.kwargs["pk"])
        if not scoping.may_in_unit(self.request.user, self.resource, self.action, swap.roster.unit):
            raise PermissionDenied(_("您的角色无权审批这项申请。"))  # a party to it, not its approver
        return swap

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(swap_row(self.swap), may_decide=self.swap.status == SwapStatus.PENDING_APPROVAL)
        return context

    def perform(self, form: forms.BaseForm) -> SwapRequest:
        data = form.cleaned_data
        return services.swap_request_decide(
            actor=self.request.user, swap=self.swap, approve=data["decision"] == "approve", note=data["note"]
        )

    def get_success_message(self, result: SwapRequest) -> str:
        return (
            _("已批准，换休已写入排班。")
            if result.status == SwapStatus.APPLIED
            else _("已不批准，申请人和对方会收到通知。")
        )

    def get_success_url(self, result: SwapRequest) -> str:
        return reverse("web:swap-requests")


# ---------------------------------------------------------------------------
# Recalls (召回)
# ---------------------------------------------------------------------------


class RecallListView(PageView):
    """召回登记: cadres called back during rest, newest first; the days lost are owed to them."""

    resource = "recalls"
    template_name = "web/roster/recalls.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.recall_list(user=self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(page=page, may_add=scoping.may(self.request.user, "recalls", ADD))
        return context


class RecallForm(forms.Form):
    cadre = forms.ModelChoiceField(
        label=gettext_lazy("被召回的干部"), queryset=Cadre.objects.none(), empty_label=gettext_lazy("请选择")
    )
    date = forms.DateField(label=gettext_lazy("召回日期"), widget=forms.DateInput(attrs={"type": "date"}))
    days_lost = forms.IntegerField(
        label=gettext_lazy("损失休息天数"),
        min_value=1,
        max_value=services.MAX_REST_DAYS,
        help_text=gettext_lazy("这些天数记为欠休，在以后月份的排班中补休。"),
    )
    reason = forms.CharField(
        label=gettext_lazy("召回事由"), max_length=300, help_text=gettext_lazy("如防汛、森林火灾、督查。")
    )

    def __init__(self, *args: Any, cadres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "cadre", forms.ModelChoiceField).queryset = cadres


class RecallCreateView(FormPageView):
    """Record a recall in one of my townships (chosen first when I have several)."""

    resource = "recalls"
    action = ADD
    template_name = "web/roster/recall_form.html"
    nav_entry = "web:recalls"
    success_message = gettext_lazy("召回已登记，损失的休息天数将在以后月份补休。")

    @cached_property
    def township(self) -> tuple[Any, Any]:
        return township_choice(self, "recalls", ADD)

    def get_form(self) -> RecallForm:
        unit = self.township[0]
        cadres = selectors.rostered_cadres(unit=unit) if unit else Cadre.objects.none()
        return RecallForm(cadres=cadres, **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit, units = self.township
        context.update(unit=unit, units=None if unit else units)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.township[0] is None:
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=400)
        return super().post(request, *args, **kwargs)

    def perform(self, form: forms.BaseForm) -> Recall:
        return services.recall_save(actor=self.request.user, data=form.cleaned_data, request=self.request)

    def get_success_url(self, recall: Recall) -> str:
        return reverse("web:recalls")


class CorrectionAnswerForm(forms.Form):
    resolution = forms.CharField(
        label=gettext_lazy("处理意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("干部本人会看到；如需补登召回、外出或确认已休，请在相应页面或接口登记。"),
    )


class RestCorrectionView(FormPageView):
    """A cadre's correction of their month's rest (月末休息更正), with their
    month as the compliance report counts it, and the secretary's answer
    (``rotation.services.rest_confirmation_resolve``, as the API's resolve)."""

    resource = "rest-confirmations"
    action = services.CORRECTION_RESOLVE
    template_name = "web/roster/rest_correction.html"
    form_class = CorrectionAnswerForm
    nav_entry = "web:recalls"
    success_message = gettext_lazy("已答复，干部本人的本月休息计为已确认（排班锁定后）。")

    @cached_property
    def correction(self) -> RestConfirmation:
        confirmations = RestConfirmation.objects.select_related("cadre", "roster__unit")
        return get_object_or_404(scoping.scoped(confirmations, self.request.user, self.resource), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        row = (
            scoping.scoped(selectors.rest_compliance_rows(), self.request.user, "rest-compliance")
            .filter(cadre=self.correction.cadre_id, version__roster=self.correction.roster_id)
            .first()
        )
        return {
            **super().get_context_data(**kwargs),
            "correction": self.correction,
            "status": choice_label(RestConfirmationStatus(self.correction.status).label),
            "row": row,
            "may_answer": self.correction.status == RestConfirmationStatus.CORRECTED,
        }

    def perform(self, form: forms.BaseForm) -> Any:
        return services.rest_confirmation_resolve(
            actor=self.request.user, confirmation=self.correction, resolution=form.cleaned_data["resolution"]
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("web:rest-correction", kwargs={"pk": result.pk})


class MissedRestTakenForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("如：外出登记有误，当天其实在休息。"),
    )


class MissedRestView(FormPageView):
    """Published rest days a cadre spent away (an absence recorded over them):
    owed to them unless the secretary records here that the rest was taken
    after all (``rotation.services.missed_rest_taken``, as the API's taken)."""

    resource = "missed-rest"
    action = services.MISSED_TAKEN
    template_name = "web/roster/missed_rest.html"
    form_class = MissedRestTakenForm
    nav_entry = "web:recalls"
    success_message = gettext_lazy("已确认休息过，不再计为欠休。")

    @cached_property
    def missed(self) -> MissedRest:
        rows = MissedRest.objects.select_related("cadre", "roster__unit", "absence")
        return get_object_or_404(scoping.scoped(rows, self.request.user, self.resource), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "missed": self.missed,
            "status": choice_label(MissedRestStatus(self.missed.status).label),
            "kind": choice_label(AbsenceKind(self.missed.absence.kind).label),
            "dates": "、".join(f"{int(d[5:7])}月{int(d[8:])}日" for d in self.missed.dates),
            "may_mark": self.missed.status == MissedRestStatus.OWED,
        }

    def perform(self, form: forms.BaseForm) -> Any:
        return services.missed_rest_taken(actor=self.request.user, missed=self.missed, note=form.cleaned_data["note"])

    def get_success_url(self, result: Any) -> str:
        return reverse("web:missed-rest", kwargs={"pk": result.pk})


urlpatterns = [
    path("roster/swaps/", SwapListView.as_view(), name="swap-requests"),
    path("roster/swaps/<int:pk>/", SwapDecideView.as_view(), name="swap-request"),
    path("roster/recalls/", RecallListView.as_view(), name="recalls"),
    path("roster/recalls/new/", RecallCreateView.as_view(), name="recall-create"),
    path("roster/corrections/<int:pk>/", RestCorrectionView.as_view(), name="rest-correction"),
    path("roster/missed-rest/<int:pk>/", MissedRestView.as_view(), name="missed-rest"),
]
