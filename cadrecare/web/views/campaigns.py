"""体检活动 for HR officers: the campaigns of my units, and one campaign's
attendance as one table: each row is ticked 已体检 (with the date and the
conclusion, which records the check-up), 缺检 or 请假 (with the reason) and
saved on its own with htmx, without leaving the page, through
``campaign_attendance_record`` exactly as the API's ``attendance`` action
calls it (the service refuses a check-up the role may not record, and audits both writes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.health import selectors, services
from cadrecare.health.api.serializers import CheckupCampaignDetailSerializer, CheckupCampaignSerializer
from cadrecare.health.choices import AttendanceStatus, CampaignStatus, Conclusion
from cadrecare.health.models import CampaignAttendee, CheckupCampaign
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.models import OrgUnit
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import FormPageView, PageView, add_service_error, redirect_after_post

TEMPLATE = "web/health/campaign.html"
# The service's names for the row's fields where they differ (the check-up inside the attendance).
SERVICE_FIELDS = {"checkup.date": "date", "checkup.conclusion": "conclusion", "checkup": "conclusion"}


class CampaignListView(PageView):
    """The check-up campaigns of my units, newest first, with their attendance counts."""

    resource = "checkup-campaigns"
    template_name = "web/health/campaigns.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaigns = scoping.scoped(selectors.campaign_queryset(), self.request.user, self.resource)[:50]
        context["campaigns"] = self.serialize(CheckupCampaignSerializer, campaigns, many=True)
        context["may_plan"] = CampaignPlanView.allowed(self.request.user)
        return context


class AttendanceForm(forms.Form):
    """One row of the table: parsing only (the service judges what each status needs)."""

    status = forms.ChoiceField(label=_("登记为"), widget=forms.RadioSelect)
    date = forms.DateField(label=_("体检日期"), required=False, widget=date_input())
    conclusion = forms.ChoiceField(label=_("总体结论"), required=False)
    reason = forms.CharField(label=_("请假原因"), required=False, max_length=500)

    def __init__(self, data: Any = None, *, attendee: CampaignAttendee, **kwargs: Any) -> None:
        # Ids and the form="…" link are per row: every row's inputs sit in one table.
        row = f"att-{attendee.pk}"
        super().__init__(data, auto_id=f"id_{row}_%s", **kwargs)
        form_field(self, "status", forms.ChoiceField).choices = [
            (s.value, choice_label(s.label)) for s in AttendanceStatus if s != AttendanceStatus.PENDING
        ]
        form_field(self, "conclusion", forms.ChoiceField).choices = choices_of(Conclusion, blank=True)
        for field in self.fields.values():
            field.widget.attrs["form"] = row


class CampaignView(PageView):
    """One campaign's attendance table (``pk`` = the campaign). A POST records
    one row (``attendee``) and answers, for htmx, that row again: saved, or
    with the service's message beside the field (400, nothing saved)."""

    resource = "checkup-campaigns"
    nav_entry = "web:campaigns"
    template_name = TEMPLATE
    http_method_names = ["get", "post"]

    @cached_property
    def campaign(self) -> CheckupCampaign:
        return get_object_or_404(
            scoping.scoped(selectors.campaign_queryset(), self.request.user, self.resource), pk=self.kwargs["pk"]
        )

    @cached_property
    def may_record(self) -> bool:
        return self.campaign.status != CampaignStatus.CLOSED and scoping.may_in_unit(
            self.request.user, self.resource, CHANGE, self.campaign.unit
        )

    def campaign_data(self, only: int | None = None) -> dict[str, Any]:
        """The campaign as the API's detail shows it (reasons masked and audited
        by the reader's level), with all its attendees or only one."""
        attendees = selectors.attendee_queryset().order_by("cadre__name", "cadre_id")
        if only is not None:
            attendees = attendees.filter(pk=only)
        campaign = (
            selectors.campaign_queryset()
            .prefetch_related(Prefetch("attendees", queryset=attendees))
            .get(pk=self.campaign.pk)
        )
        return self.serialize(CheckupCampaignDetailSerializer, campaign)

    def row(
        self,
        data: dict[str, Any],
        attendee: CampaignAttendee | None,
        form: AttendanceForm | None = None,
        saved: bool = False,
    ) -> dict[str, Any]:
        editable = self.may_record and data["checkup"] is None
        if editable and form is None and attendee is not None:
            form = AttendanceForm(
                attendee=attendee,
                initial={
                    "status": data["status"]
                    if data["status"] != AttendanceStatus.PENDING
                    else AttendanceStatus.ATTENDED,
                    "date": min(clock.today(), self.campaign.date_to),
                    "reason": data["reason"],
                },
            )
        return {**data, "form": form if editable else None, "saved": saved}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.campaign_data()
        attendees = {a.pk: a for a in self.campaign.attendees.all()} if self.may_record else {}
        rows = [self.row(row, attendees.get(row["id"])) for row in data["attendees"]]
        context.update(
            campaign=data,
            rows=rows,
            may_record=self.may_record,
            may_close=self.may_record,
            may_import=self.may_record and scoping.may(self.request.user, "health-checkups", "import"),
            action_url=self.request.path,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may_record:
            raise PermissionDenied(_("该体检活动已结束，或您的角色无权登记。"))
        attendee = get_object_or_404(
            CampaignAttendee.objects.select_related("cadre__unit"),
            campaign=self.campaign,
            pk=request.POST.get("attendee"),
        )
        form = AttendanceForm(request.POST, attendee=attendee)
        status = 400
        if form.is_valid():
            try:
                self.record(attendee, form.cleaned_data)
                status = 200
            except DomainError as error:
                add_service_error(form, error, SERVICE_FIELDS)
                status = error.status_code
        if not self.request.htmx:
            if status == 200:
                return redirect_after_post(request, request.path)
            response = self.render_to_response(self.get_context_data())
            response.status_code = status
            return response
        campaign = self.campaign_data(only=attendee.pk)
        context = {
            "row": self.row(campaign["attendees"][0], attendee, form if status != 200 else None, saved=status == 200),
            "action_url": request.path,
            "campaign": campaign,
            "oob": True,
        }
        # The row, and the counts above the table out of band (in a <template>: a <dl> may not follow a <tr>).
        row = render_to_string(f"{TEMPLATE}#row", context, request)
        facts = render_to_string(f"{TEMPLATE}#facts", context, request)
        return HttpResponse(f"{row}<template>{facts}</template>", status=status)

    def record(self, attendee: CampaignAttendee, data: dict[str, Any]) -> None:
        """One row through the service, as the API's ``attendance`` action records it."""
        checkup = None
        if data["status"] == AttendanceStatus.ATTENDED:
            checkup = {"date": data["date"], "conclusion": data["conclusion"]}
        services.campaign_attendance_record(
            actor=self.request.user,
            campaign=self.campaign,
            cadre=attendee.cadre,
            status=data["status"],
            reason=data["reason"],
            checkup=checkup,
            request=self.request,
        )


class CampaignPlanForm(forms.Form):
    """A campaign's fields as the API takes them; its list is every cadre due by its last day (the service picks)."""

    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=OrgUnit.objects.none(), help_text=_("含下级单位；名单为截至结束日期应检的在岗干部。")
    )
    name = forms.CharField(label=_("名称"), max_length=100)
    date_from = forms.DateField(label=_("开始日期"), widget=date_input())
    date_to = forms.DateField(label=_("结束日期"), widget=date_input())
    institution = forms.CharField(label=_("体检机构"), max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units


class CampaignPlanView(FormPageView):
    """安排体检活动 for one of my units, as ``POST /api/v1/checkup-campaigns/``
    does it (the service places and audits it)."""

    resource = "checkup-campaigns"
    action = ADD
    nav_entry = "web:campaigns"
    template_name = "web/health/campaign_plan.html"
    success_message = _("体检活动已安排。")

    def get_form(self) -> forms.BaseForm:
        units = scoping.visible_units(self.request.user, self.resource, ADD).order_by("path")
        return CampaignPlanForm(units=units, **self.get_form_kwargs())

    def perform(self, form: forms.BaseForm) -> CheckupCampaign:
        return services.campaign_plan(actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_url(self, campaign: CheckupCampaign) -> str:
        return reverse("web:campaign", kwargs={"pk": campaign.pk})


class CampaignCloseView(PageView):
    """结束体检活动: those still pending become 缺检 (``campaign_close``)."""

    resource = "checkup-campaigns"
    action = CHANGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = get_object_or_404(
            scoping.scoped(CheckupCampaign.objects.select_related("unit"), self.request.user, self.resource),
            pk=kwargs["pk"],
        )
        if not scoping.may_in_unit(self.request.user, self.resource, CHANGE, campaign.unit):
            raise PermissionDenied(_("您的角色无权结束该体检活动。"))
        services.campaign_close(actor=self.request.user, campaign=campaign, request=self.request)
        return redirect_after_post(request, reverse("web:campaign", kwargs={"pk": campaign.pk}))


urlpatterns = [
    path("checkups/campaigns/", CampaignListView.as_view(), name="campaigns"),
    path("checkups/campaigns/new/", CampaignPlanView.as_view(), name="campaign-plan"),
    path("checkups/campaigns/<int:pk>/", CampaignView.as_view(), name="campaign"),
    path("checkups/campaigns/<int:pk>/close/", CampaignCloseView.as_view(), name="campaign-close"),
]
