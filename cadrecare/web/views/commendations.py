"""评优表彰 for the organization department (and HR, who register them too):
the register of my units (filter by year, unit, level, kind, status), 登记表彰
(the cadre chosen by name) through ``talks.services.commendation_record`` as
the API's create calls it (the service places and audits it), and 表彰统计:
people commended, given posthumously and recommended per township and year
(``talks.selectors.commendation_statistics``, the API's ``statistics/``), with
the seed's sentence for the years chosen. Both spreadsheets are the API's
exports of the same filter. A commendation shows only basic fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.talks import selectors, services
from cadrecare.talks.choices import CommendationKind, CommendationLevel, CommendationStatus
from cadrecare.talks.filtersets import CommendationFilterSet
from cadrecare.talks.models import Commendation
from cadrecare.web.forms import choices_of, date_input, form_field, year_choices
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.people import CadreField, PersonSearchMixin

PAGE_SIZE = 30
YEARS_SHOWN = 10
DEFAULT_YEARS = 3  # the seed's "三年来"


# -- the register ----------------------------------------------------------------------------------
class RegisterFilterForm(forms.Form):
    year = forms.ChoiceField(label=_("年度"), required=False)
    level = forms.ChoiceField(label=_("级别"), required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "year", forms.ChoiceField).choices = [("", _("全部年度")), *year_choices(YEARS_SHOWN)]
        form_field(self, "level", forms.ChoiceField).choices = choices_of(CommendationLevel, blank=True)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(CommendationKind, blank=True)
        form_field(self, "status", forms.ChoiceField).choices = choices_of(CommendationStatus, blank=True)


class CommendationListView(PageView):
    """The register of my units, newest first; the same filter as the API's list and export.
    A page for those who keep the register (it needs ``add``), not for each cadre's own."""

    resource = "commendations"
    action = ADD
    template_name = "web/commendations/list.html"
    partial = "rows"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = RegisterFilterForm(self.request.GET or None)
        data = {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}
        rows = scoping.scoped(Commendation.objects.select_related("cadre__unit"), user, self.resource)
        api: dict[str, Any] = {}
        if "year" in data:
            api.update(date_from=f"{data['year']}-01-01", date_to=f"{data['year']}-12-31")
        api.update({name: data[name] for name in ("level", "kind", "status", "unit") if name in data})
        rows = _filtered(rows, api)
        page = Paginator(rows.order_by("-date", "-id"), PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        export = None
        if scoping.may(user, self.resource, "export"):
            export = f"{reverse('commendation-export')}?{urlencode(api)}"
        context.update(
            form=form,
            page=page,
            rows=[_row(commendation) for commendation in page.object_list],
            query=query.urlencode(),
            export_url=export,
            may_add=CommendationRecordView.allowed(user),
            may_see_statistics=CommendationStatisticsView.allowed(user),
        )
        return context


def _filtered(rows: Any, api: dict[str, Any]) -> Any:
    """The register narrowed as the API's filter set narrows it for the same parameters."""
    return CommendationFilterSet(QueryDict(urlencode(api)), queryset=rows).qs


def _row(commendation: Commendation) -> dict[str, Any]:
    return {
        "id": commendation.pk,
        "cadre_name": commendation.cadre.name,
        "unit_name": commendation.cadre.unit.name,
        "date": commendation.date,
        "level": choice_label(CommendationLevel(commendation.level).label),
        "kind": choice_label(CommendationKind(commendation.kind).label),
        "title": commendation.title,
        "status": commendation.status,
        "status_label": choice_label(CommendationStatus(commendation.status).label),
        "recommended": commendation.recommended,
        "issuing_body": commendation.issuing_body,
        "citation": commendation.citation,
    }


# -- registering one -------------------------------------------------------------------------------
class CommendationForm(forms.Form):
    cadre = CadreField(label=_("干部"))
    title = forms.CharField(label=_("表彰名称"), max_length=200, help_text=_("如：优秀共产党员、省级先进个人。"))
    level = forms.ChoiceField(label=_("级别"))
    kind = forms.ChoiceField(label=_("类别"), initial=CommendationKind.COMMENDATION)
    status = forms.ChoiceField(
        label=_("状态"),
        initial=CommendationStatus.AWARDED,
        help_text=_("推荐上报：已推荐给上级、尚待批准；追授：仅适用于已去世的干部。"),
    )
    date = forms.DateField(label=_("表彰日期"), widget=date_input(), help_text=_("推荐上报的，填推荐日期。"))
    issuing_body = forms.CharField(label=_("表彰机关"), max_length=100, required=False)
    citation = forms.CharField(
        label=_("主要事迹"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "cadre", forms.ModelChoiceField).queryset = scoping.nameable(
            Cadre.objects.select_related("unit"), user, "commendations"
        )
        form_field(self, "level", forms.ChoiceField).choices = choices_of(CommendationLevel, blank=True)
        form_field(self, "kind", forms.ChoiceField).choices = choices_of(CommendationKind)
        form_field(self, "status", forms.ChoiceField).choices = choices_of(CommendationStatus)


class CommendationRecordView(PersonSearchMixin, FormPageView):
    """登记表彰: one entry of the register, the cadre chosen by name."""

    resource = "commendations"
    action = ADD
    nav_entry = "web:commendations"
    template_name = "web/commendations/record.html"
    form_class = CommendationForm
    success_message = _("表彰已登记。")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"date": clock.today()}

    def perform(self, form: forms.BaseForm) -> Commendation:
        return services.commendation_record(actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_url(self, commendation: Commendation) -> str:
        return reverse("web:commendations")


# -- the figures -----------------------------------------------------------------------------------
class StatisticsForm(forms.Form):
    from_year = forms.TypedChoiceField(label=_("起始年度"), coerce=int, required=False)
    to_year = forms.TypedChoiceField(label=_("截止年度"), coerce=int, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "from_year", forms.ChoiceField).choices = year_choices(YEARS_SHOWN)
        form_field(self, "to_year", forms.ChoiceField).choices = year_choices(YEARS_SHOWN)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("from_year") and data.get("to_year") and data["from_year"] > data["to_year"]:
            self.add_error("from_year", _("起始年度不能晚于截止年度。"))
        return data


class CommendationStatisticsView(PageView):
    """表彰统计: per township, each year's people and the period's, and the total."""

    resource = "commendations"
    action = ADD
    nav_entry = "web:commendations"
    template_name = "web/commendations/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        this = clock.today().year
        default = {"from_year": this - DEFAULT_YEARS + 1, "to_year": this}
        form = StatisticsForm(self.request.GET or None, initial=default)
        data = form.cleaned_data if form.is_valid() else {}
        from_year, to_year = data.get("from_year") or default["from_year"], data.get("to_year") or default["to_year"]
        if from_year > to_year:
            from_year, to_year = default["from_year"], default["to_year"]
        register = scoping.scoped(Commendation.objects.all(), user, self.resource)
        figures = selectors.commendation_statistics(register, from_year=from_year, to_year=to_year)
        years: dict[int, list[dict[str, Any]]] = {}
        for row in figures["rows"]:
            years.setdefault(row["unit"], []).append({**row, "url": _register_url(row["unit"], row["year"])})
        units = [{**unit, "years": years.get(unit["unit"], [])} for unit in figures["units"]]
        export = None
        if scoping.may(user, self.resource, "export"):
            query = urlencode({"from_year": from_year, "to_year": to_year})
            export = f"{reverse('commendation-statistics-export')}?{query}"
        context.update(
            form=form,
            figures=figures,
            units=units,
            from_year=from_year,
            to_year=to_year,
            export_url=export,
        )
        return context


def _register_url(unit: int, year: int) -> str:
    return f"{reverse('web:commendations')}?{urlencode({'unit': unit, 'year': year})}"


urlpatterns = [
    path("commendations/", CommendationListView.as_view(), name="commendations"),
    path("commendations/new/", CommendationRecordView.as_view(), name="commendation-record"),
    path("commendations/statistics/", CommendationStatisticsView.as_view(), name="commendation-statistics"),
]
