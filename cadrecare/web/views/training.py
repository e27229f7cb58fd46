"""培训与考察交流 for the organization department: the programmes of my units
(and, for a township, those its cadres go to), a programme's page — the
priority rule's proposal to nominate from, the nominations and their
attendance marked as one table — planning a programme, and the report of
cadres not trained in N years with its export. Every write goes through the
training services the API's ``/api/v1/training-programmes/`` calls, which
check scope and write the audit rows."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import OrgUnit
from cadrecare.training import selectors, services
from cadrecare.training.api.serializers import NominationSerializer, NotTrainedSerializer, TrainingProgrammeSerializer
from cadrecare.training.api.views import report_kind, report_years
from cadrecare.training.choices import Attendance, ProgrammeKind
from cadrecare.training.models import TrainingProgramme
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import FormPageView, PageView, redirect_after_post

RESOURCE = selectors.RESOURCE
REPORT_ROWS = 50  # cadres listed on the report page; the export has them all
PROPOSAL_ROWS = 30  # candidates shown to tick from, in the priority order (a township filter narrows them)


class ProgrammeListView(PageView):
    """The programmes I may see, newest first, with their nominated and attended counts."""

    resource = RESOURCE
    template_name = "web/training/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        programmes = selectors.programme_list(user=self.request.user).order_by("-date_from", "-id")[:100]
        context.update(
            programmes=self.serialize(TrainingProgrammeSerializer, programmes, many=True),
            may_plan=ProgrammeCreateView.allowed(self.request.user),
        )
        return context


class ProgrammeForm(forms.Form):
    """A programme's fields as the API takes them; the service judges them."""

    unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=OrgUnit.objects.none(), help_text=_("名单从该单位及其下级的干部中推荐。")
    )
    kind = forms.ChoiceField(label=_("类型"))
    name = forms.CharField(label=_("名称"), max_length=100)
    date_from = forms.DateField(label=_("开始日期"), widget=date_input())
    date_to = forms.DateField(label=_("结束日期"), widget=date_input())
    location = forms.CharField(label=_("地点"), max_length=100)
    places = forms.IntegerField(label=_("名额"), min_value=0, max_value=32767)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(ProgrammeKind)


class ProgrammeCreateView(FormPageView):
    """新建培训 for one of my units, as ``POST /api/v1/training-programmes/``."""

    resource = RESOURCE
    action = ADD
    nav_entry = "web:training"
    template_name = "web/training/new.html"
    success_message = _("培训已创建，可按优先顺序推荐提名。")

    def get_form(self) -> forms.BaseForm:
        units = scoping.visible_units(self.request.user, self.resource, ADD).exclude(kind=UnitKind.VILLAGE)
        return ProgrammeForm(units=units.order_by("path"), **self.get_form_kwargs())

    def perform(self, form: forms.BaseForm) -> TrainingProgramme:
        return services.programme_create(actor=self.request.user, data=form.cleaned_data, request=self.request)

    def get_success_url(self, programme: TrainingProgramme) -> str:
        return reverse("web:training-programme", kwargs={"pk": programme.pk})


class ProgrammeView(PageView):
    """One programme: its facts, the nominations I may see with their
    attendance (one table, one 保存出勤 for the organiser once it has begun),
    and for the organiser the ranked proposal to confirm nominations from.
    POST ``op`` = ``nominate`` (``cadre`` ids), ``attendance`` (per row
    ``attendance-<id>`` / ``excuse-<id>``) or ``withdraw`` (``nomination``)."""

    resource = RESOURCE
    nav_entry = "web:training"
    template_name = "web/training/programme.html"
    http_method_names = ["get", "post"]

    @cached_property
    def programme(self) -> TrainingProgramme:
        return get_object_or_404(selectors.programme_list(user=self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def may_nominate(self) -> bool:
        return selectors.may_organise(self.request.user, self.programme, services.NOMINATE)

    @cached_property
    def may_attend(self) -> bool:
        return (
            selectors.may_organise(self.request.user, self.programme, services.ATTENDANCE)
            and self.programme.date_from <= clock.today()
        )

    def nominations(self) -> Any:
        return selectors.nomination_list(user=self.request.user).filter(programme=self.programme).order_by("id")

    @cached_property
    def township(self) -> OrgUnit | None:
        raw = self.request.GET.get("township", "")
        if not raw.isdecimal():
            return None
        return self.townships().filter(pk=int(raw)).first()

    def townships(self) -> Any:
        return scoping.visible_units(self.request.user, RESOURCE, services.NOMINATE).filter(
            path__startswith=self.programme.unit.path, kind=UnitKind.TOWNSHIP
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = self.serialize(NominationSerializer, self.nominations(), many=True)
        # After a refused save the table shows what was chosen, not what is stored.
        posted = self.request.POST if self.request.method == "POST" else {}
        for row in rows:
            row["chosen"] = posted.get(f"attendance-{row['id']}", row["attendance"])
            row["typed"] = posted.get(f"excuse-{row['id']}", row["excuse"])
        programme = self.serialize(
            TrainingProgrammeSerializer, selectors.programme_queryset().get(pk=self.programme.pk)
        )
        context.update(
            programme=programme,
            rows=rows,
            may_nominate=self.may_nominate,
            may_attend=self.may_attend,
            states=[(s.value, choice_label(s.label)) for s in Attendance],
            error=kwargs.get("error"),
        )
        if self.may_nominate:
            left = max(0, programme["places"] - programme["nominated"])
            candidates = selectors.candidate_list(
                user=self.request.user, programme=self.programme, today=clock.today(), township=self.township
            )
            context.update(
                candidates=candidates[:PROPOSAL_ROWS],
                candidate_count=len(candidates),
                places_left=left,
                townships=list(self.townships().order_by("path")),
                township=self.township,
            )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        op = request.POST.get("op")
        try:
            if op == "nominate" and self.may_nominate:
                count = self.nominate(request.POST.getlist("cadre"))
                messages.success(request, _("已提名 %(n)d 人。") % {"n": count})
            elif op == "withdraw" and self.may_nominate:
                nomination = get_object_or_404(self.nominations(), pk=request.POST.get("nomination"))
                services.nomination_withdraw(actor=self.request.user, nomination=nomination, request=request)
                messages.success(request, _("已撤回提名。"))
            elif op == "attendance" and self.may_attend:
                count = self.record_attendance(request.POST)
                messages.success(request, _("已保存 %(n)d 人的出勤。") % {"n": count})
            else:
                raise PermissionDenied(_("您的角色无权执行此操作，或本期尚未开始。"))
        except DomainError as error:
            response = self.render_to_response(self.get_context_data(error=error.message))
            response.status_code = error.status_code
            return response
        return redirect_after_post(request, request.get_full_path())

    def nominate(self, raw_ids: list[str]) -> int:
        """The ticked candidates, in the proposal's order, with its reasons."""
        proposal = selectors.candidate_list(user=self.request.user, programme=self.programme, today=clock.today())
        chosen = {int(raw) for raw in raw_ids if raw.isdecimal()}
        cadres = [c.cadre for c in proposal if c.cadre.pk in chosen]
        if len(cadres) != len(chosen) or len(chosen) != len(raw_ids):
            raise DomainError(str(_("所选干部不在推荐名单中，请刷新页面后重选。")), field="cadres")
        rows = services.nominations_confirm(
            actor=self.request.user,
            programme=self.programme,
            cadres=cadres,
            priorities={c.cadre.pk: c.reason for c in proposal},
            request=self.request,
        )
        return len(rows)

    def record_attendance(self, data: Any) -> int:
        """The rows whose state or reason changed, through the service in one transaction."""
        rows = []
        for nomination in self.nominations():
            state = data.get(f"attendance-{nomination.pk}")
            excuse = data.get(f"excuse-{nomination.pk}", "").strip()
            if state is None or (state == nomination.attendance and excuse == nomination.excuse):
                continue
            rows.append({"nomination": nomination, "attendance": state, "excuse": excuse})
        if not rows:
            return 0
        if any(row["attendance"] not in Attendance.values for row in rows):
            raise DomainError(str(_("出勤只能是参加、缺席、请假或待登记。")), field="attendance")
        return len(
            services.attendance_record(
                actor=self.request.user, programme=self.programme, rows=rows, request=self.request
            )
        )


class NotTrainedView(PageView):
    """未参加培训干部: per unit under the chosen one, cadres in post and how
    many attended no programme (of the kind) in the last N years; the first
    of them by name, and the whole list as .xlsx through the API's export."""

    resource = RESOURCE
    nav_entry = "web:training"
    template_name = "web/training/not_trained.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        units = scoping.visible_units(user, RESOURCE).exclude(kind=UnitKind.VILLAGE).order_by("path")
        params = self.request.GET
        unit = units.filter(pk=params.get("unit")).first() if params.get("unit", "").isdecimal() else units.first()
        context.update(units=units, unit=unit, kinds=[(k.value, choice_label(k.label)) for k in ProgrammeKind])
        try:
            years, kind = report_years(params.get("years")), report_kind(params.get("kind"))
        except DomainError as error:
            context.update(error=error.message, years=params.get("years"), kind=params.get("kind"))
            return context
        context.update(years=years, kind=kind or "any")
        if unit is None:
            return context
        today = clock.today()
        by_unit = selectors.not_trained_by_unit(user=user, unit=unit, today=today, years=years, kind=kind)
        cadres = selectors.not_trained(user=user, unit=unit, today=today, years=years, kind=kind)
        query = urlencode({"unit": unit.pk, "years": years, "kind": kind or "any"})
        context.update(
            by_unit=by_unit,
            in_post=sum(row["in_post"] for row in by_unit),
            untrained=sum(row["untrained"] for row in by_unit),
            cadres=self.serialize(NotTrainedSerializer, cadres[:REPORT_ROWS], many=True, extra={"today": today}),
            shown=REPORT_ROWS,
            export_url=f"{reverse('training-programme-not-trained-export')}?{query}"
            if scoping.may(user, RESOURCE, "export")
            else None,
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("error"):  # type: ignore[attr-defined]
            response.status_code = 400
        return response


urlpatterns = [
    path("training/", ProgrammeListView.as_view(), name="training"),
    path("training/new/", ProgrammeCreateView.as_view(), name="training-new"),
    path("training/not-trained/", NotTrainedView.as_view(), name="training-not-trained"),
    path("training/<int:pk>/", ProgrammeView.as_view(), name="training-programme"),
]
