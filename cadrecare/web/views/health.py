"""体检 for HR officers: who is due for a check-up in my units (the selector
the API's ``/api/v1/checkup-due/`` uses), and recording a check-up or its
recheck with the report file through the check-up service, as
``CheckupViewSet.create`` does (the service places and audits it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.core.privacy import Level
from cadrecare.health import selectors, services
from cadrecare.health.api.serializers import HealthArchiveSerializer
from cadrecare.health.choices import CheckupKind, Conclusion, DueState
from cadrecare.health.models import Checkup
from cadrecare.health.rules import overdue_days
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.web.actions import action_for
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, PageView

PAGE_SIZE = 30
# The due list shows who needs attention; "全部" adds those not yet due.
STATE_FILTERS = (
    ("", _("需关注（逾期、应检、即将到期）")),
    ("overdue", _("已逾期")),
    ("due", _("应检")),
    ("upcoming", _("即将到期")),
    ("all", _("全部在岗干部")),
)
ATTENTION = (DueState.OVERDUE, DueState.DUE, DueState.UPCOMING)


class DueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATE_FILTERS)
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)


class CheckupDueView(PageView):
    """The check-up due list for my units: overdue first (soonest due date
    first, as the API orders it), each row linking to 登记体检."""

    resource = "checkup-due"
    template_name = "web/health/due.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DueFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        today = clock.today()
        user = self.request.user
        due = selectors.checkup_due_items(user=user, today=today)
        state = filters.get("state") or ""
        if state == "":
            # The plugin types a lookup on an annotation as the annotation itself (a str), not a list of them.
            due = due.filter(due_state__in=ATTENTION)  # type: ignore[misc]
        elif state != "all":
            due = due.filter(due_state=state)
        if filters.get("name"):
            due = due.filter(name__contains=filters["name"])
        page = Paginator(due, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [
            {
                "cadre": cadre,
                "state": cadre.due_state,
                "state_label": choice_label(DueState(cadre.due_state).label),
                "overdue_days": overdue_days(cadre.due_date, today),
                "days_left": (cadre.due_date - today).days,
                "action": action_for(user, "checkup", cadre.pk),
            }
            for cadre in page.object_list
        ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            rows=rows,
            today=today,
            query=query.urlencode(),
            may_archive=HealthArchiveView.allowed(user),
        )
        return context


class CheckupForm(forms.Form):
    """The check-up's fields as the API takes them; parsing only (the service judges)."""

    date = forms.DateField(label=_("体检日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("体检类型"), initial=CheckupKind.ANNUAL)
    institution = forms.CharField(label=_("体检机构"), max_length=100)
    conclusion = forms.ChoiceField(label=_("总体结论"))
    findings = forms.CharField(
        label=_("体检发现"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_needed = forms.BooleanField(label=_("需要复查"), required=False)
    follow_up_by = forms.DateField(
        label=_("复查期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("需要复查时填写，应晚于体检日期。"),
    )
    cost = forms.DecimalField(label=_("费用（元）"), max_digits=10, decimal_places=2, initial=0, min_value=0)
    attachment = forms.FileField(
        label=_("体检报告"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [
            (kind.value, choice_label(kind.label)) for kind in CheckupKind
        ]
        form_field(self, "conclusion", forms.ChoiceField).choices = [("", "---------")] + [
            (value.value, choice_label(value.label)) for value in Conclusion
        ]


class CheckupRecordView(FormPageView):
    """登记体检 for one cadre (``pk`` = the Cadre, the due item's object)."""

    resource = "health-checkups"
    action = ADD
    nav_entry = "web:checkups"
    template_name = "web/health/record.html"
    form_class = CheckupForm
    success_message = _("体检记录已登记。")

    @cached_property
    def cadre(self) -> Cadre:
        cadres = scoping.scoped(Cadre.objects.select_related("unit"), self.request.user, self.resource)
        return get_object_or_404(cadres, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "cadre": self.cadre,
            "recheck_of": None,
            "form_url": self.request.path,
        }

    def perform(self, form: forms.BaseForm) -> Checkup:
        return services.checkup_record(
            actor=self.request.user, cadre=self.cadre, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, checkup: Checkup) -> str:
        return reverse("web:checkups")


class CheckupRecheckView(CheckupRecordView):
    """登记复查 (``pk`` = the Checkup that asked for it): the same form for its
    cadre, as a recheck at the same institution."""

    success_message = _("复查记录已登记。")

    @cached_property
    def recheck_of(self) -> Checkup:
        checkups = scoping.scoped(selectors.checkup_queryset(), self.request.user, self.resource)
        return get_object_or_404(checkups, pk=self.kwargs["pk"])

    @cached_property
    def cadre(self) -> Cadre:
        return self.recheck_of.cadre

    def get_initial(self) -> dict[str, Any]:
        return {"kind": CheckupKind.FOLLOW_UP, "institution": self.recheck_of.institution}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "recheck_of": self.recheck_of}


class HealthArchiveView(PageView):
    """健康档案 of one cadre (``pk``): every check-up with its findings, the
    policy followed and the next due date, exactly as ``/api/v1/health-archives/<pk>/``
    shows them to this reader (findings masked below sensitive, every value
    shown audited); the report opens through the API's audited download."""

    resource = "health-archives"
    nav_entry = "web:checkups"
    template_name = "web/health/archive.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cadre = get_object_or_404(
            scoping.scoped(selectors.health_archive_queryset(), user, self.resource), pk=self.kwargs["pk"]
        )
        today = clock.today()
        due = selectors.checkup_due_items(cadres=Cadre.objects.filter(pk=cadre.pk), today=today).first()
        archive = self.serialize(
            HealthArchiveSerializer,
            cadre,
            extra={"today": today, "due": due, "policy": selectors.effective_policy(cadre.unit)},
        )
        may_read_reports = scoping.visible_level(user, "health-checkups", cadre.unit.path, cadre.pk) >= Level.SENSITIVE
        for checkup in archive["checkups"]:
            checkup["report_url"] = (
                reverse("health-checkup-attachment", kwargs={"pk": checkup["id"]})
                if may_read_reports and checkup["has_attachment"]
                else None
            )
        context.update(
            archive=archive,
            today=today,
            state_label=choice_label(DueState(archive["state"]).label) if archive["state"] else "",
            may_record=CheckupRecordView.allowed(user)
            and scoping.may_in_unit(user, "health-checkups", ADD, cadre.unit),
        )
        return context


urlpatterns = [
    path("checkups/", CheckupDueView.as_view(), name="checkups"),
    path("checkups/record/<int:pk>/", CheckupRecordView.as_view(), name="checkup-record"),
    path("checkups/<int:pk>/recheck/", CheckupRecheckView.as_view(), name="checkup-recheck"),
    path("checkups/archive/<int:pk>/", HealthArchiveView.as_view(), name="health-archive"),
]
