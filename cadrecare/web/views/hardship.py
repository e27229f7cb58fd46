"""困难帮扶 for HR officers: the hardship cases of my units (active first),
one case with its measures, and on forms: open a case for a cadre, add a
measure, record a review (回访, the due item's page), change the status;
each through its care service as the API's hardship viewsets call it
(placement, the service, the audit row), shown through the API's serializers
(masked, audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import HardshipCaseSerializer, HardshipMeasureSerializer
from cadrecare.care.choices import ACTIVE_HARDSHIP, ContactWay, HardshipCategory, HardshipStatus, MeasureKind
from cadrecare.care.models import HardshipCase, HardshipMeasure
from cadrecare.core import clock
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.models import Cadre
from cadrecare.web.forms import choices_of, date_input, form_field
from cadrecare.web.pages import PageView
from cadrecare.web.views.family import CadreFormView

PAGE_SIZE = 30


class HardshipFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=(("", _("帮扶中和待帮扶")), ("all", _("全部（含已解决）")))
    )


class HardshipListView(PageView):
    """The hardship cases of my units: active ones, the review soonest due first."""

    resource = "hardship-cases"
    template_name = "web/hardship/list.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = HardshipFilterForm(self.request.GET or None)
        cases = scoping.scoped(selectors.hardship_case_queryset(), self.request.user, self.resource)
        if not (form.is_valid() and form.cleaned_data["state"] == "all"):
            cases = cases.filter(status__in=ACTIVE_HARDSHIP)
        resolved_last = Case(
            When(status=HardshipStatus.RESOLVED, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        cases = cases.order_by(resolved_last, "next_review", "id")
        page = Paginator(cases, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            rows=self.serialize(HardshipCaseSerializer, page.object_list, many=True),
            query=query.urlencode(),
        )
        return context


class CaseMixin:
    """The hardship case ``pk``, in the reader's scope (404 outside)."""

    @cached_property
    def case(self) -> HardshipCase:
        view: Any = self
        cases = scoping.scoped(selectors.hardship_case_queryset(), view.request.user, "hardship-cases")
        return get_object_or_404(cases, pk=view.kwargs["pk"])


class HardshipCaseView(CaseMixin, PageView):
    """One case: its details and measures as the API shows them, and the actions the reader's roles allow."""

    resource = "hardship-cases"
    nav_entry = "web:hardship"
    template_name = "web/hardship/case.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = self.case.cadre.unit
        measures: list[dict[str, Any]] = []
        if scoping.may(user, "hardship-measures", "view"):
            queryset = (
                scoping.scoped(selectors.hardship_measure_queryset(), user, "hardship-measures")
                .filter(case=self.case)
                .order_by("date", "id")
            )
            measures = self.serialize(HardshipMeasureSerializer, queryset, many=True, resource="hardship-measures")
        active = self.case.status in ACTIVE_HARDSHIP
        context.update(
            case=self.serialize(HardshipCaseSerializer, self.case),
            measures=measures,
            may_add_measure=HardshipMeasureAddView.allowed(user)
            and scoping.may_in_unit(user, "hardship-measures", ADD, unit),
            may_change=HardshipUpdateView.allowed(user) and scoping.may_in_unit(user, self.resource, CHANGE, unit),
            active=active,
        )
        return context


class HardshipFormView(CaseMixin, CadreFormView):
    """A form on the hardship case ``pk``: the care forms' shared page, back to the case."""

    nav_entry = "web:hardship"

    @property
    def cadre(self) -> Cadre:
        return self.case.cadre

    def back_url(self) -> str:
        return reverse("web:hardship-case", kwargs={"pk": self.case.pk})

    def get_success_url(self, result: Any) -> str:
        return self.back_url()


# -- opening a case --------------------------------------------------------------------------------
class HardshipOpenForm(forms.Form):
    category = forms.ChoiceField(label=_("困难类别"))
    description = forms.CharField(
        label=_("困难情况"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    opened_on = forms.DateField(label=_("登记日期"), required=False, widget=date_input(), help_text=_("不填为今天。"))
    next_review = forms.DateField(
        label=_("下次回访日期"), required=False, widget=date_input(), help_text=_("不填则按关爱政策的回访周期推算。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "category", forms.ChoiceField).choices = choices_of(HardshipCategory, blank=True)


class HardshipOpenView(CadreFormView):
    """登记困难帮扶 for the cadre ``pk``."""

    resource = "hardship-cases"
    action = ADD
    form_class = HardshipOpenForm
    heading = _("登记困难帮扶")
    success_message = _("困难帮扶已登记。")

    nav_entry = "web:hardship"

    @cached_property
    def cadre(self) -> Cadre:
        cadres = scoping.scoped(Cadre.objects.select_related("unit"), self.request.user, self.resource)
        return get_object_or_404(cadres, pk=self.kwargs["pk"])

    def perform(self, form: forms.BaseForm) -> HardshipCase:
        data = {name: value for name, value in form.cleaned_data.items() if value is not None}
        return services.hardship_case_create(actor=self.request.user, cadre=self.cadre, request=self.request, **data)

    def get_success_url(self, case: HardshipCase) -> str:
        return reverse("web:hardship-case", kwargs={"pk": case.pk})


# -- a measure, a review, the status ---------------------------------------------------------------
class MeasureForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=date_input())
    kind = forms.ChoiceField(label=_("措施类型"))
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, initial=0)
    provided_by = forms.CharField(label=_("帮扶单位或个人"), max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(MeasureKind, blank=True)


class HardshipMeasureAddView(HardshipFormView):
    """添加帮扶措施 to the case ``pk``; the first one moves an open case to 帮扶中."""

    resource = "hardship-measures"
    action = ADD
    form_class = MeasureForm
    heading = _("添加帮扶措施")
    success_message = _("帮扶措施已记录。")

    def get_initial(self) -> dict[str, Any]:
        return {"date": clock.today()}

    def perform(self, form: forms.BaseForm) -> HardshipMeasure:
        return services.hardship_measure_add(
            actor=self.request.user, case=self.case, **form.cleaned_data, request=self.request
        )


class ReviewForm(forms.Form):
    date = forms.DateField(label=_("回访日期"), widget=date_input())
    next_review = forms.DateField(
        label=_("下次回访日期"), required=False, widget=date_input(), help_text=_("不填则按关爱政策的回访周期推算。")
    )


class HardshipReviewView(HardshipFormView):
    """记录回访 of the case ``pk`` (the ``hardship_review`` due item's page)."""

    resource = "hardship-cases"
    action = CHANGE
    form_class = ReviewForm
    heading = _("记录回访")
    success_message = _("回访已记录。")

    def get_initial(self) -> dict[str, Any]:
        return {"date": clock.today()}

    def perform(self, form: forms.BaseForm) -> HardshipCase:
        return services.hardship_case_review(
            actor=self.request.user, case=self.case, **form.cleaned_data, request=self.request
        )


class FirstContactForm(forms.Form):
    way = forms.ChoiceField(label=_("联系方式"))
    date = forms.DateField(label=_("联系日期"), widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "way", forms.ChoiceField).choices = choices_of(ContactWay)


class HardshipFirstContactView(HardshipFormView):
    """记录首次联系 of the new case ``pk`` (the ``hardship_first_contact`` due item's page)."""

    resource = "hardship-cases"
    action = CHANGE
    form_class = FirstContactForm
    heading = _("记录首次联系")
    intro = _("新登记的困难帮扶应及时关心问候：上门走访、谈心谈话或电话问候后在此记录。")
    success_message = _("首次联系已记录。")

    def get_initial(self) -> dict[str, Any]:
        return {"way": ContactWay.VISIT, "date": clock.today()}

    def perform(self, form: forms.BaseForm) -> HardshipCase:
        return services.hardship_first_contact_record(
            actor=self.request.user, case=self.case, **form.cleaned_data, request=self.request
        )


class HardshipUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"))
    description = forms.CharField(
        label=_("困难情况"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review = forms.DateField(label=_("下次回访日期"), required=False, widget=date_input())
    resolved_on = forms.DateField(
        label=_("解决日期"), required=False, widget=date_input(), help_text=_("状态为已解决时填写，不填为今天。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "status", forms.ChoiceField).choices = choices_of(HardshipStatus)


class HardshipUpdateView(HardshipFormView):
    """修改困难帮扶 ``pk``: its status (已解决 ends the reviews), description and next review."""

    resource = "hardship-cases"
    action = CHANGE
    form_class = HardshipUpdateForm
    heading = _("修改困难帮扶")
    success_message = _("困难帮扶已保存。")

    def get_initial(self) -> dict[str, Any]:
        data = self.serialize(HardshipCaseSerializer, self.case)
        return {name: field.to_python(data[name]) for name, field in HardshipUpdateForm.base_fields.items()}

    def perform(self, form: forms.BaseForm) -> HardshipCase:
        return services.hardship_case_update(
            actor=self.request.user, case=self.case, **form.cleaned_data, request=self.request
        )


urlpatterns = [
    path("hardship/", HardshipListView.as_view(), name="hardship"),
    path("hardship/<int:pk>/", HardshipCaseView.as_view(), name="hardship-case"),
    path("hardship/open/<int:pk>/", HardshipOpenView.as_view(), name="hardship-open"),
    path("hardship/<int:pk>/measure/", HardshipMeasureAddView.as_view(), name="hardship-measure-add"),
    path("hardship/<int:pk>/review/", HardshipReviewView.as_view(), name="hardship-review"),
    path("hardship/<int:pk>/first-contact/", HardshipFirstContactView.as_view(), name="hardship-first-contact"),
    path("hardship/<int:pk>/edit/", HardshipUpdateView.as_view(), name="hardship-edit"),
]
