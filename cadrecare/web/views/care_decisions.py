"""关爱跟进决定 on a form: the HR officer's decision on a cadre whose latest
check-up concluded 需治疗 (``treatment_follow_up``) or who is on a long sick
leave (``sick_leave_follow_up``), the page both due items link to: open a
hardship case, arrange a visit, or close with a reason, through
``care_decision_record`` as ``CareDecisionViewSet`` calls it (placement, the
service, the audit row)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from cadrecare.audit.services import Access
from cadrecare.care import services
from cadrecare.care.choices import FollowUpOutcome, HardshipCategory
from cadrecare.care.models import CareDecision
from cadrecare.care.selectors import care_policy_effective
from cadrecare.health.choices import Conclusion
from cadrecare.health.models import Checkup
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import AbsenceKind
from cadrecare.rotation.models import Absence
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.views.family import CadreFormView

DECIDE = gettext_noop("请决定：登记困难帮扶、安排走访慰问，或填写理由后结束。")


class CareDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("决定"), widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("困难类别"), required=False, help_text=_("登记困难帮扶时选择。"))
    deadline = forms.DateField(
        label=_("走访期限"),
        required=False,
        widget=date_input(),
        help_text=_("安排走访慰问时填写；不填则按关爱政策的期限。"),
    )
    reason = forms.CharField(
        label=_("理由或说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("无需跟进时必填。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "outcome", forms.ChoiceField).choices = choices_of(FollowUpOutcome)
        form_field(self, "category", forms.ChoiceField).choices = choices_of(HardshipCategory, blank=True)


class CareDecisionView(CadreFormView):
    """The decision page of one check-up or absence (``pk``), in the reader's
    scope of care decisions (404 outside, or once decided)."""

    resource = "care-decisions"
    action = ADD
    nav_entry = "web:home"
    form_class = CareDecisionForm
    heading = _("关爱跟进决定")
    submit_label = _("保存决定")
    success_message = _("关爱跟进决定已保存。")
    source_model: ClassVar[type[Checkup] | type[Absence]]
    source_field: ClassVar[str]  # the service's keyword for it
    source_filter: ClassVar[dict[str, str]]  # what makes it ask for a decision

    @cached_property
    def source(self) -> Any:
        records = self.source_model.objects.select_related("cadre__unit").filter(
            care_decision__isnull=True, **self.source_filter
        )
        return get_object_or_404(scoping.scoped(records, self.request.user, self.resource), pk=self.kwargs["pk"])

    @property
    def cadre(self) -> Cadre:
        return self.source.cadre

    def back_url(self) -> str:
        return reverse("web:home")

    def get_initial(self) -> dict[str, Any]:
        return {"outcome": FollowUpOutcome.VISIT}

    def perform(self, form: forms.BaseForm) -> CareDecision:
        data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        return services.care_decision_record(
            actor=self.request.user, request=self.request, **{self.source_field: self.source}, **data
        )

    def get_success_url(self, decision: CareDecision) -> str:
        return reverse("web:home")


class TreatmentDecisionView(CareDecisionView):
    """The ``treatment_follow_up`` item's page: a check-up concluding 需治疗."""

    source_model = Checkup
    source_field = "checkup"
    source_filter = {"conclusion": Conclusion.TREATMENT}

    @property
    def intro(self) -> str:
        found = gettext("%(date)s 的体检总体结论为“需治疗”。") % {"date": self.source.date}
        return f"{found}{gettext(DECIDE)}"


class SickLeaveDecisionView(CareDecisionView):
    """The ``sick_leave_follow_up`` item's page: a sick leave longer than the care policy's days."""

    source_model = Absence
    source_field = "absence"
    source_filter = {"kind": AbsenceKind.SICK_LEAVE}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The page says the absence is a sick leave (a personal detail): audited as the API audits it.
        self.audit_reads.append(Access("absences", self.source.pk, self.source.cadre_id, ["kind"]))
        return super().get_context_data(**kwargs)

    @property
    def intro(self) -> str:
        absence = self.source
        found = gettext("%(start)s 至 %(end)s 病假共 %(days)s 天，超过关爱政策的 %(limit)s 天。") % {
            "start": absence.start,
            "end": absence.end,
            "days": (absence.end - absence.start).days + 1,
            "limit": care_policy_effective(absence.cadre.unit).sick_leave_days,
        }
        return f"{found}{gettext(DECIDE)}"


urlpatterns = [
    path("care-decisions/checkup/<int:pk>/", TreatmentDecisionView.as_view(), name="care-decision-checkup"),
    path("care-decisions/sick-leave/<int:pk>/", SickLeaveDecisionView.as_view(), name="care-decision-leave"),
]
