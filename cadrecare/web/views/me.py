"""我的: a cadre's own pages. My rest days this month and next as a
calendar, with my iCalendar feed (its secret address and a QR code drawn on
the server); asking a colleague to swap rest blocks of the published roster
(``rotation.services.swap_request_create``, as the API's create); my
check-ups, shown through the API's ``CheckupSerializer`` (audited).

Each reads the signed-in person's own records through the same scope as the
API (``scoping.scoped`` on the resource, then their own cadre); a login
without a cadre record has no such pages (403, as the API's feed-url has
nothing to show them).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadrecare.core import clock
from cadrecare.core.errors import DomainError, ForbiddenError
from cadrecare.core.i18n import choice_label
from cadrecare.health import selectors as health_selectors
from cadrecare.health.api.serializers import CheckupSerializer
from cadrecare.org import scoping
from cadrecare.org.access import ADD
from cadrecare.org.models import Cadre
from cadrecare.rotation import selectors, services
from cadrecare.rotation.choices import DayKind, RestConfirmationStatus, SwapStatus
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.web.forms import form_field
from cadrecare.web.pages import FormPageView, PageView, redirect_after_post
from cadrecare.web.people import PersonPicker, PersonSearch, PersonSearchMixin

WEEKDAYS = (_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日"))


class OwnPage(PageView):
    """A page about the signed-in person as a cadre: only for a login linked to a cadre record."""

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return super().allowed(user) and scoping.own_cadre_id(user) is not None

    @cached_property
    def me(self) -> Cadre:
        cadres = Cadre.objects.select_related("unit")
        return get_object_or_404(cadres, pk=scoping.own_cadre_id(self.request.user))


def _month_after(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def _blocks(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive days, as (first, last), in date order."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first.month}月{first.day}日"
    return f"{first.month}月{first.day}日—{last.month}月{last.day}日（{(last - first).days + 1}天）"


# -- my rest days -------------------------------------------------------------------------------------
class MyRestView(OwnPage):
    """我的轮休: this month and next as calendars (rest, duty and away days of
    the published rosters), and my iCalendar feed to subscribe to; POST gives
    a new address (the old one stops working), as the API's feed-url does."""

    resource = "roster-days"
    template_name = "web/me/rest.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = clock.today()
        first = today.replace(day=1)
        last = _month_after(_month_after(first)) - dt.timedelta(days=1)
        days = dict(
            scoping.scoped(selectors.published_roster_days(), self.request.user, self.resource)
            .filter(cadre=self.me, date__range=(first, last))
            .values_list("date", "kind")
        )
        for _cadre, day in selectors.rest_days_spent_away(first=first, last=last, cadre_ids=[self.me.pk]):
            days[day] = DayKind.AWAY  # rest the cadre did not take: away on leave instead
        labels = {kind.value: choice_label(kind.label) for kind in DayKind}
        months = []
        for month in (first, _month_after(first)):
            weeks = [
                [
                    {
                        "date": day,
                        "in_month": day.month == month.month,
                        "kind": days.get(day),
                        "label": labels.get(days.get(day) or ""),
                        "today": day == today,
                        "weekend": day.weekday() >= 5,
                    }
                    for day in week
                ]
                for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
            ]
            in_month = [kind for day, kind in days.items() if (day.year, day.month) == (month.year, month.month)]
            months.append(
                {
                    "first": month,
                    "weeks": weeks,
                    "published": bool(in_month),
                    "rest": sum(kind == DayKind.REST for kind in in_month),
                }
            )
        token = services.rest_feed_token(cadre=self.me)
        feed_url = self.request.build_absolute_uri(reverse("roster-day-ical", kwargs={"token": token}))
        context.update(
            months=months,
            weekdays=WEEKDAYS,
            feed_url=feed_url,
            feed_qr=_qr_svg(feed_url),
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
        )
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        services.rest_feed_token(cadre=self.me, renew=True)
        messages.success(request, _("已更换订阅地址，原地址不再可用。请重新订阅。"))
        return redirect_after_post(request, reverse("web:my-rest"))


def _qr_svg(text: str) -> str:
    """The QR code of ``text`` as inline SVG, drawn here (no image service, no script)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - our own drawing of a URL we built


# -- asking for a swap --------------------------------------------------------------------------------
class BlockField(PersonSearch, forms.ChoiceField):
    """A colleague's rest block, found by typing the colleague's name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=PersonPicker(), **kwargs)
        self.widget.source = self
        self.blocks: list[tuple[str, str]] = []  # the choices: (value, the colleague and the days)
        self.names: dict[str, str] = {}  # value -> the colleague's name

    def offer(self, blocks: list[tuple[str, str]], names: dict[str, str]) -> None:
        """The blocks to choose from, and whose each is (what a typed name matches)."""
        self.choices = self.blocks = blocks
        self.names = names

    def chosen(self, values: list[str]) -> list[tuple[Any, str]]:
        labels = dict(self.blocks)
        return [(value, labels[value]) for value in values if value in labels]

    def matches(self, text: str) -> list[tuple[Any, str]]:
        return [(value, label) for value, label in self.blocks if text in self.names.get(value, "")][:20]


class SwapRequestForm(forms.Form):
    """My block and a colleague's, each ``<roster>:<cadre>:<first day>`` of
    the published rosters' blocks still ahead; parsing only (the service
    judges: whole blocks, the same roster, every hard rule)."""

    mine = forms.ChoiceField(label=_("我的休息段"))
    theirs = BlockField(label=_("对方及其休息段"))
    reason = forms.CharField(
        label=_("换休理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("对方和乡镇党委书记都会看到。"),
    )

    def __init__(self, *args: Any, me: Cadre, days: list[tuple[int, int, str, dt.date]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_cadre: dict[tuple[int, int], tuple[str, list[dt.date]]] = {}
        for roster_id, cadre_id, name, day in days:
            by_cadre.setdefault((roster_id, cadre_id), (name, []))[1].append(day)
        mine, theirs, names = [], [], {}
        for (roster_id, cadre_id), (name, rest) in sorted(by_cadre.items(), key=lambda item: item[1][0]):
            for first, last in _blocks(rest):
                value = f"{roster_id}:{cadre_id}:{first.isoformat()}"
                if cadre_id == me.pk:
                    mine.append((value, _span(first, last)))
                else:
                    theirs.append((value, f"{name}：{_span(first, last)}"))
                    names[value] = name
        form_field(self, "mine", forms.ChoiceField).choices = [("", _("请选择"))] + sorted(
            mine, key=lambda choice: choice[0].split(":")[2]
        )
        form_field(self, "theirs", BlockField).offer(theirs, names)

    @staticmethod
    def parse(value: str) -> tuple[int, int, dt.date]:
        roster_id, cadre_id, first = value.split(":")
        return int(roster_id), int(cadre_id), dt.date.fromisoformat(first)


class MySwapRequestView(PersonSearchMixin, OwnPage, FormPageView):
    """申请换休: my block and a colleague's (found by name) from the published
    rosters, and my requests so far."""

    resource = "swap-requests"
    action = ADD
    template_name = "web/me/swap.html"
    form_class = SwapRequestForm
    success_message = _("换休申请已提交，等待对方确认。")
    service_fields = {
        "roster": "mine",
        "requester_start": "mine",
        "counterpart": "theirs",
        "counterpart_start": "theirs",
    }

    def get_form_kwargs(self) -> dict[str, Any]:
        days = selectors.rest_days_open_to_swap(unit_id=self.me.unit_id, after=clock.today())
        return {**super().get_form_kwargs(), "me": self.me, "days": days}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        requests = selectors.swap_request_list(user=self.request.user).order_by("-created_at")[:20]
        pending = (SwapStatus.PENDING_COUNTERPART, SwapStatus.PENDING_APPROVAL)
        rows = [
            {
                "swap": swap,
                "status": choice_label(SwapStatus(swap.status).label),
                "mine": swap.requester_id == self.me.pk,
                "may_answer": swap.counterpart_id == self.me.pk and swap.status == SwapStatus.PENDING_COUNTERPART,
                "may_withdraw": swap.requester_id == self.me.pk and swap.status in pending,
            }
            for swap in requests
        ]
        return {**super().get_context_data(**kwargs), "requests": rows}

    def perform(self, form: forms.BaseForm) -> Any:
        roster_id, _me, my_first = SwapRequestForm.parse(form.cleaned_data["mine"])
        their_roster, counterpart_id, their_first = SwapRequestForm.parse(form.cleaned_data["theirs"])
        if their_roster != roster_id:
            raise DomainError(gettext("两段休息须在同一个月的排班中。"), field="counterpart")
        return services.swap_request_create(
            actor=self.request.user,
            roster_id=roster_id,
            counterpart_id=counterpart_id,
            requester_start=my_first,
            counterpart_start=their_first,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, swap: Any) -> str:
        return reverse("web:my-swap")


class MySwapAnswerView(OwnPage):
    """A party's answer to a swap request (``pk``), posted from 申请换休: the
    colleague accepts or declines, the requester withdraws; through the
    services the API's accept / decline / withdraw call, which say who may."""

    resource = "swap-requests"
    action = "respond"
    http_method_names = ["post"]
    ANSWERS = {
        "accept": _("已同意换休，等待书记审批。"),
        "decline": _("已拒绝换休。"),
        "withdraw": _("已撤回换休申请。"),
    }

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        swap = get_object_or_404(selectors.swap_request_list(user=request.user), pk=self.kwargs["pk"])
        answer = request.POST.get("answer")
        if answer not in self.ANSWERS or self.me.pk not in (swap.requester_id, swap.counterpart_id):
            raise PermissionDenied(_("您不是这项换休申请的当事人。"))
        try:
            if answer == "withdraw":
                services.swap_request_withdraw(actor=request.user, swap=swap)
            else:
                services.swap_request_respond(actor=request.user, swap=swap, accept=answer == "accept")
        except ForbiddenError as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:  # overtaken (answered, lapsed, locked): said on the page it came from
            messages.error(request, error.message)
        else:
            messages.success(request, self.ANSWERS[answer])
        return redirect_after_post(request, reverse("web:my-swap"))


# -- confirming my month's rest ------------------------------------------------------------------------
class RestConfirmForm(forms.Form):
    """Which month, and my word on it; parsing only (the service judges:
    from the month's last day, a correction needs the days and what happened)."""

    roster = forms.TypedChoiceField(label=_("月份"), coerce=int)
    answer = forms.ChoiceField(
        label=_("本月休息情况"),
        choices=[("confirm", _("与排班记录一致，确认")), ("correct", _("与记录不符，提出更正"))],
        widget=forms.RadioSelect,
        initial="confirm",
    )
    days_rested = forms.IntegerField(
        label=_("实际休息天数"), required=False, min_value=0, max_value=31, help_text=_("更正时填写。")
    )
    note = forms.CharField(
        label=_("更正说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("哪几天没有休息、为什么；乡镇党委书记会核实答复。"),
    )

    def __init__(self, *args: Any, months: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "roster", forms.ChoiceField).choices = months


class MyRestConfirmView(OwnPage, FormPageView):
    """月末休息确认: my rest of each published month as the rest-compliance
    report counts it (the API's figures), and from each month's last day my
    confirmation or correction (``rotation.services.rest_confirmation_submit``,
    as the API's create)."""

    resource = "rest-confirmations"
    action = ADD
    template_name = "web/me/rest_confirm.html"
    form_class = RestConfirmForm
    success_message = _("已提交。")
    MONTHS = 6

    @cached_property
    def rows(self) -> list[Any]:
        rows = scoping.scoped(selectors.rest_compliance_rows(), self.request.user, "rest-compliance")
        return list(rows.filter(cadre=self.me).order_by("-month")[: self.MONTHS])

    def get_form_kwargs(self) -> dict[str, Any]:
        today = clock.today()
        months = [
            (row.roster, f"{row.month.year}年{row.month.month}月")
            for row in self.rows
            if month_days(row.month)[-1] <= today
        ]
        return {**super().get_form_kwargs(), "months": months}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        labels = {status.value: choice_label(status.label) for status in RestConfirmationStatus}
        return {
            **super().get_context_data(**kwargs),
            "rows": [{"row": row, "status": labels.get(row.confirmation or "")} for row in self.rows],
        }

    def perform(self, form: forms.BaseForm) -> Any:
        roster = selectors.own_roster(user=self.request.user, roster_id=form.cleaned_data["roster"])
        if roster is None:
            raise DomainError(gettext("没有这个排班表，或您不在其中。"), field="roster")
        return services.rest_confirmation_submit(
            actor=self.request.user,
            roster_obj=roster,
            confirm=form.cleaned_data["answer"] == "confirm",
            days_rested=form.cleaned_data["days_rested"],
            note=form.cleaned_data["note"],
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("web:my-rest-confirm")


# -- my check-ups --------------------------------------------------------------------------------------
class MyCheckupsView(OwnPage):
    """我的体检: my check-ups, newest first, as the API shows them to me (audited)."""

    resource = "health-checkups"
    template_name = "web/me/checkups.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        checkups = (
            scoping.scoped(health_selectors.checkup_queryset(), self.request.user, self.resource)
            .filter(cadre=self.me)
            .order_by("-date", "-id")[:50]
        )
        return {
            **super().get_context_data(**kwargs),
            "checkups": self.serialize(CheckupSerializer, checkups, many=True),
        }


urlpatterns = [
    path("me/rest/", MyRestView.as_view(), name="my-rest"),
    path("me/rest/confirm/", MyRestConfirmView.as_view(), name="my-rest-confirm"),
    path("me/swap/", MySwapRequestView.as_view(), name="my-swap"),
    path("me/swap/<int:pk>/answer/", MySwapAnswerView.as_view(), name="my-swap-answer"),
    path("me/checkups/", MyCheckupsView.as_view(), name="my-checkups"),
]
