"""登记岗位补贴发放 on a form: the page of the ``post_allowance_chase`` due item
(a township's month of post allowance late or short), where the county
organization department or the township's HR officer records what has been
paid in all, through ``post_allowance_pay`` (placement, the service, the
audit row). Paid in full, the item is done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cadrecare.care import selectors, services
from cadrecare.care.api.serializers import PostAllowanceSerializer
from cadrecare.care.models import PostAllowance
from cadrecare.core import clock
from cadrecare.org import scoping
from cadrecare.org.access import CHANGE
from cadrecare.web.forms import date_input
from cadrecare.web.pages import FormPageView


class AllowancePayForm(forms.Form):
    paid_amount = forms.DecimalField(label=_("实发金额（元）"), max_digits=12, decimal_places=2, min_value=0)
    paid_on = forms.DateField(label=_("发放日期"), widget=date_input())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class AllowancePayView(FormPageView):
    """登记岗位补贴发放 of the month ``pk``: what has been paid in all, prefilled in full and today."""

    resource = "post-allowances"
    action = CHANGE
    nav_entry = "web:home"
    template_name = "web/care/allowance_pay.html"
    form_class = AllowancePayForm
    success_message = _("岗位补贴发放已登记。")

    @cached_property
    def allowance(self) -> PostAllowance:
        allowances = scoping.scoped(selectors.post_allowance_queryset(), self.request.user, self.resource)
        return get_object_or_404(allowances, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"paid_amount": self.allowance.due_amount, "paid_on": clock.today(), "note": self.allowance.note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "allowance": self.serialize(PostAllowanceSerializer, self.allowance),
        }

    def perform(self, form: forms.BaseForm) -> PostAllowance:
        return services.post_allowance_pay(
            actor=self.request.user, allowance=self.allowance, request=self.request, **form.cleaned_data
        )

    def get_success_url(self, allowance: PostAllowance) -> str:
        return reverse("web:home")


urlpatterns = [
    path("post-allowances/<int:pk>/pay/", AllowancePayView.as_view(), name="post-allowance-pay"),
]
