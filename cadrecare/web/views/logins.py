"""开通账号: HR or the organization department opens logins for a unit's
cadres who have none (``org.services.cadre_logins_create``, as
``POST /api/v1/cadres/logins/``): pick the unit, tick the cadres, choose the
username rule and how the one-time initial passwords reach them. The answer
to the POST is the printable slip (开通单) — name, username, initial password
— shown this once and kept nowhere: reloading it opens nothing twice, and a
cadre whose SMS was delivered is listed without a password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org import scoping, services
from cadrecare.org.choices import ENDED_STATUSES, LoginDelivery, LoginUsernameRule
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.web.forms import form_field
from cadrecare.web.pages import PageView, add_service_error, redirect_after_post

ACTION = "logins"


def _choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(value, choice_label(label)) for value, label in choices]


class CadresByPhoneField(forms.ModelMultipleChoiceField):
    """Cadres by name and the mobile number their login will take."""

    def label_from_instance(self, obj: Cadre) -> str:
        return f"{obj.name}（{obj.phone}）" if obj.phone else f"{obj.name}（{_t('无手机号')}）"


class CadreLoginsForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("单位"), widget=forms.HiddenInput)
    cadres = CadresByPhoneField(
        queryset=Cadre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("尚未开通账号的干部"),
        error_messages={"required": _("请至少选择一名干部。")},
    )
    username_rule = forms.ChoiceField(
        label=_("用户名"),
        widget=forms.RadioSelect,
        initial=LoginUsernameRule.MOBILE,
        help_text=_("干部也可以用登记的手机号登录。"),
    )
    delivery = forms.ChoiceField(
        label=_("初始密码"),
        widget=forms.RadioSelect,
        initial=LoginDelivery.SLIP,
        help_text=_("初始密码只显示这一次；首次登录须修改密码。"),
    )

    def __init__(self, *args: Any, units: Any, cadres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units
        form_field(self, "cadres", forms.ModelChoiceField).queryset = cadres
        form_field(self, "username_rule", forms.ChoiceField).choices = _choices(LoginUsernameRule.choices)
        form_field(self, "delivery", forms.ChoiceField).choices = _choices(LoginDelivery.choices)


class CadreLoginsView(PageView):
    """Pick a unit (``?unit=``), tick its cadres without a login, open them."""

    resource = "cadres"
    action = ACTION
    nav_entry = "web:cadres"
    template_name = "web/cadres/logins.html"
    http_method_names = ["get", "post"]

    def units(self) -> Any:
        return scoping.scoped(OrgUnit.objects.filter(active=True), self.request.user, self.resource, ACTION)

    def cadres(self, unit: OrgUnit | None) -> Any:
        if unit is None:
            return Cadre.objects.none()
        without_login = Cadre.objects.filter(unit=unit, user__isnull=True).exclude(status__in=ENDED_STATUSES)
        return scoping.scoped(without_login, self.request.user, self.resource, ACTION).order_by("id")

    def chosen_unit(self, value: str | None) -> OrgUnit | None:
        if not value or not value.isdigit():
            return None
        return self.units().filter(pk=int(value)).first()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.chosen_unit(request.GET.get("unit"))
        cadres = self.cadres(unit)
        ticked = list(cadres.values_list("pk", flat=True))
        form = CadreLoginsForm(units=self.units(), cadres=cadres, initial={"unit": unit, "cadres": ticked})
        return self.render_to_response(self.get_context_data(form=form, unit=unit))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.chosen_unit(request.POST.get("unit"))
        form = CadreLoginsForm(request.POST, units=self.units(), cadres=self.cadres(unit))
        if not form.is_valid():
            return self.answer(form, unit, status=400)
        try:
            result = services.cadre_logins_create(
                actor=self.request.user,
                cadres=form.cleaned_data["cadres"],
                username_rule=form.cleaned_data["username_rule"],
                delivery=form.cleaned_data["delivery"],
            )
        except DomainError as error:
            add_service_error(form, error)
            return self.answer(form, unit, status=error.status_code)
        slips = [issued for issued in result.issued if issued.password]
        if not slips:
            messages.success(request, _t("已开通 %(n)d 个账号，初始密码已短信发送。") % {"n": len(result.issued)})
            return redirect_after_post(request, f"{reverse('web:cadre-logins')}?unit={unit.pk if unit else ''}")
        response = TemplateResponse(
            request,
            "web/cadres/login_slips.html",
            {"unit": unit, "slips": slips, "texted": len(result.issued) - len(slips), "back": request.path},
        )
        response["Cache-Control"] = "no-store"  # the initial passwords are shown this once
        return response

    def answer(self, form: CadreLoginsForm, unit: OrgUnit | None, status: int) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form, unit=unit))
        response.status_code = status
        return response


urlpatterns = [
    path("cadres/logins/", CadreLoginsView.as_view(), name="cadre-logins"),
]
