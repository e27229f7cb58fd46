"""乡镇编制 for the county and city organization department: each township's
approved slots with filled, vacant, over and borrowed (专编专用), the
borrowing register with its form, a borrowing's page to review it or record
the return (the due item's page), and both tables as .xlsx. Reads and writes
go through the establishment's selectors and services as the API's viewsets
call them (the service checks the placement and writes the audit row), shown
through the API's serializers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.audit.services import audit_log
from cadrecare.core import clock
from cadrecare.core.exports import xlsx_response
from cadrecare.establishment import selectors, services
from cadrecare.establishment.api.serializers import BorrowingSerializer, EstablishmentSlotSerializer
from cadrecare.establishment.api.views import BORROWING_COLUMNS, SLOT_COLUMNS
from cadrecare.establishment.choices import BORROWING_BODY_KINDS, FILLING_STATUSES
from cadrecare.establishment.models import Borrowing, EstablishmentSlot
from cadrecare.org import scoping
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.web.forms import date_input, form_field
from cadrecare.web.pages import FormPageView, PageView
from cadrecare.web.people import CadreField, PersonSearchMixin

SLOTS = "establishment"
BORROWINGS = "establishment-borrowings"
EXPORTS = {"slots": _("乡镇编制"), "borrowings": _("乡镇干部借用")}


class EstablishmentView(PageView):
    """Townships × approved / filled / vacant / over / borrowed, with totals,
    and the borrowings (open ones first); ``?export=slots|borrowings`` is the
    table as .xlsx."""

    resource = SLOTS
    template_name = "web/establishment/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export = request.GET.get("export")
        if export in EXPORTS:
            return self.export(export)
        return super().get(request, *args, **kwargs)

    def slot_rows(self) -> list[dict[str, Any]]:
        slots = scoping.scoped(selectors.slot_queryset(), self.request.user, SLOTS)
        return self.serialize(EstablishmentSlotSerializer, slots, many=True)

    def borrowing_rows(self) -> list[dict[str, Any]]:
        if not scoping.may(self.request.user, BORROWINGS, "view"):
            return []
        borrowings = scoping.scoped(selectors.borrowing_queryset(), self.request.user, BORROWINGS)
        borrowings = borrowings.select_related("recorded_by__cadre", "reviewed_by__cadre")
        return self.serialize(BorrowingSerializer, borrowings, many=True, resource=BORROWINGS)

    def export(self, which: str) -> HttpResponse:
        rows = self.slot_rows() if which == "slots" else self.borrowing_rows()
        columns = SLOT_COLUMNS if which == "slots" else BORROWING_COLUMNS
        audit_log(actor=self.request.user, action="export", accesses=list(self.audit_reads), request=self.request)
        self.audit_reads.clear()
        return xlsx_response(title=str(EXPORTS[which]), filename=SLOTS, columns=columns, rows=rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        slots = self.slot_rows()
        totals = {key: sum(row[key] for row in slots) for key in ("approved", "filled", "vacant", "over", "borrowed")}
        context.update(
            slots=slots,
            totals=totals,
            borrowings=self.borrowing_rows(),
            may_record=BorrowingAddView.allowed(self.request.user),
            may_set_slots=SlotView.allowed(self.request.user),
            may_export=scoping.may(self.request.user, SLOTS, "export"),
        )
        return context


# -- approving a township's slots ----------------------------------------------------------------
class SlotForm(forms.Form):
    township = forms.ModelChoiceField(label=_("乡镇"), queryset=OrgUnit.objects.none())
    approved = forms.IntegerField(label=_("核定编制数"), min_value=0, max_value=9999)
    approved_on = forms.DateField(label=_("核定日期"), required=False, widget=date_input())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, active=True).order_by("path")
        form_field(self, "township", forms.ModelChoiceField).queryset = scoping.nameable(townships, user, SLOTS)


class SlotView(FormPageView):
    """核定编制: set a township's approved slots (``?township=`` opens it with its present count)."""

    resource = SLOTS
    action = CHANGE
    nav_entry = "web:establishment"
    template_name = "web/establishment/slot_form.html"
    form_class = SlotForm
    success_message = _("核定编制数已保存。")
    success_url = reverse_lazy("web:establishment")

    def get_form(self) -> forms.BaseForm:
        return self.form_class(user=self.request.user, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        raw = self.request.GET.get("township", "")
        slot = EstablishmentSlot.objects.filter(township_id=int(raw)).first() if raw.isdecimal() else None
        if slot is None:
            return {"township": raw} if raw.isdecimal() else {}
        return {
            "township": slot.township_id,
            "approved": slot.approved,
            "approved_on": slot.approved_on,
            "note": slot.note,
        }

    def perform(self, form: forms.BaseForm) -> EstablishmentSlot:
        data = form.cleaned_data
        return services.slot_save(actor=self.request.user, request=self.request, **data)


# -- recording a borrowing -----------------------------------------------------------------------
class BorrowingForm(forms.Form):
    cadre = CadreField(label=_("干部"), help_text=_("只列出占乡镇编制的在职干部。"))
    borrower = forms.ModelChoiceField(label=_("借用单位"), queryset=OrgUnit.objects.none())
    start = forms.DateField(label=_("借用开始日期"), widget=date_input())
    until = forms.DateField(label=_("借用截止日期"), widget=date_input())
    reason = forms.CharField(label=_("借用事由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cadres = Cadre.objects.filter(establishment_unit__kind=UnitKind.TOWNSHIP, status__in=FILLING_STATUSES)
        form_field(self, "cadre", forms.ModelChoiceField).queryset = scoping.nameable(
            cadres.select_related("unit"), user, BORROWINGS
        )
        bodies = OrgUnit.objects.filter(kind__in=BORROWING_BODY_KINDS, active=True).order_by("path")
        form_field(self, "borrower", forms.ModelChoiceField).queryset = scoping.nameable(bodies, user, BORROWINGS)


class BorrowingAddView(PersonSearchMixin, FormPageView):
    """登记借用: a township cadre borrowed by a county or city body."""

    resource = BORROWINGS
    action = ADD
    nav_entry = "web:establishment"
    template_name = "web/establishment/borrowing_form.html"
    form_class = BorrowingForm
    success_message = _("借用已登记，待组织部审核。")

    def get_form(self) -> forms.BaseForm:
        return self.form_class(user=self.request.user, **self.get_form_kwargs())

    def perform(self, form: forms.BaseForm) -> Borrowing:
        data = form.cleaned_data
        return services.borrowing_record(actor=self.request.user, request=self.request, **data)

    def get_success_url(self, result: Borrowing) -> str:
        return reverse("web:borrowing", kwargs={"pk": result.pk})


# -- one borrowing: review, return ---------------------------------------------------------------
class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：同意短期借用，到期返回乡镇。"),
    )


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("返回乡镇日期"), widget=date_input())


class BorrowingMixin(FormPageView):
    """The borrowing ``pk`` in the reader's scope (404 outside), and its page's two forms."""

    resource = BORROWINGS
    action = CHANGE
    nav_entry = "web:establishment"
    template_name = "web/establishment/borrowing.html"
    form_key: str  # which of the page's two forms this view posts

    @cached_property
    def borrowing(self) -> Borrowing:
        view: Any = self
        borrowings = scoping.scoped(selectors.borrowing_queryset(), view.request.user, BORROWINGS)
        return get_object_or_404(
            borrowings.select_related("recorded_by__cadre", "reviewed_by__cadre"), pk=view.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        view: Any = self
        context = super().get_context_data(**kwargs)
        form = context.pop("form")
        forms_ = {"review_form": ReviewForm(), "return_form": ReturnForm(initial={"returned_on": clock.today()})}
        forms_[self.form_key] = form
        context.update(forms_, borrowing=view.serialize(BorrowingSerializer, self.borrowing), may_act=self.may_act())
        return context

    def get_success_url(self, result: Borrowing) -> str:
        return reverse("web:borrowing", kwargs={"pk": result.pk})

    def may_act(self) -> bool:
        view: Any = self
        return scoping.may_on(view.request.user, BORROWINGS, CHANGE, self.borrowing)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may_act():
            raise PermissionDenied(_("您的角色无权对该记录执行此操作。"))
        return super().post(request, *args, **kwargs)


class BorrowingReviewView(BorrowingMixin, FormPageView):
    """A borrowing's page (the due item's): its details, the county's review, the return."""

    form_class = ReviewForm
    form_key = "review_form"
    success_message = _("审核意见已保存。")

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return scoping.may(user, BORROWINGS, "view")

    def perform(self, form: forms.BaseForm) -> Borrowing:
        return services.borrowing_review(
            actor=self.request.user, request=self.request, borrowing=self.borrowing, **form.cleaned_data
        )


class BorrowingReturnView(BorrowingMixin, FormPageView):
    """Records that the borrowed cadre is back in the township (posted from the borrowing's page)."""

    form_class = ReturnForm
    form_key = "return_form"
    success_message = _("已登记返回乡镇，借用结束。")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect("web:borrowing", pk=self.borrowing.pk)

    def perform(self, form: forms.BaseForm) -> Borrowing:
        return services.borrowing_return(
            actor=self.request.user, request=self.request, borrowing=self.borrowing, **form.cleaned_data
        )


urlpatterns = [
    path("establishment/", EstablishmentView.as_view(), name="establishment"),
    path("establishment/slots/", SlotView.as_view(), name="establishment-slot"),
    path("establishment/borrowings/add/", BorrowingAddView.as_view(), name="borrowing-add"),
    path("establishment/borrowings/<int:pk>/", BorrowingReviewView.as_view(), name="borrowing"),
    path("establishment/borrowings/<int:pk>/return/", BorrowingReturnView.as_view(), name="borrowing-return"),
]
