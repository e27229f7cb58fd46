"""Township conditions: post allowances (岗位补贴) paid and the five small facilities (五小)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadrecare.audit.services import changed_fields, written
from cadrecare.care.choices import (
    FacilityItem,
)
from cadrecare.care.models import (
    Facility,
    PostAllowance,
)
from cadrecare.care.services.common import (
    not_future,
    not_negative,
)
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label
from cadrecare.org.choices import UnitKind
from cadrecare.org.models import User

# ---------------------------------------------------------------------------
# Post allowances (岗位补贴): a township's month, and what was paid
# ---------------------------------------------------------------------------


def month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def post_allowance_checked(
    *, allowance: PostAllowance | None, fields: Mapping[str, Any], today: dt.date | None = None
) -> dict[str, Any]:
    """``fields`` of a new township's month (``allowance`` None: ``township``
    and ``month`` among them, ``due_by`` the month's last day unless given) or
    of a correction of ``allowance``, checked against the rules (``DomainError``
    naming the field): the one check the API, the workbench and the import share."""
    today = today or clock.today()
    checked = dict(fields)
    township = checked.get("township")
    if allowance is None and township is not None and township.kind != UnitKind.TOWNSHIP:
        raise DomainError(_("请选择乡镇（街道）。"), field="township")
    month: dt.date = checked["month"] if allowance is None else allowance.month
    if allowance is None and month > today.replace(day=1):
        raise DomainError(_("不能登记以后月份的补贴发放。"), field="month")
    not_negative(checked.get("due_amount"), "due_amount")
    not_negative(checked.get("paid_amount"), "paid_amount")
    not_future(checked.get("paid_on"), today, "paid_on", gettext_noop("发放日期"))
    if allowance is None:
        if PostAllowance.objects.filter(township=township, month=month).exists():
            raise DomainError(
                _("该乡镇%(month)s的补贴已登记，请修改原记录。") % {"month": month.strftime(_("%Y年%m月"))},
                field="month",
            )
        if checked.get("due_by") is None:
            checked["due_by"] = month_end(month)
    due_by = checked.get("due_by", getattr(allowance, "due_by", None))
    if due_by is not None and due_by < month:
        raise DomainError(_("应发放截止日不能早于该月第一天。"), field="due_by")
    return checked


@transaction.atomic
def post_allowance_save(
    *,
    actor: User | None,
    allowance: PostAllowance | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> PostAllowance:
    """Record a township's month of post allowance (``allowance`` None) or
    correct it; its township and month stay once recorded."""
    if allowance is not None:
        fields = {name: value for name, value in fields.items() if name not in ("township", "month")}
    checked = post_allowance_checked(allowance=allowance, fields=fields, today=today)
    record = PostAllowance() if allowance is None else allowance
    before = {name: getattr(record, name, None) for name in checked}
    for name, value in checked.items():
        setattr(record, name, value)
    record.save()
    changed = sorted(checked) if allowance is None else changed_fields(record, before)
    written(actor, request, "create" if allowance is None else "update", "post-allowances", record, changed)
    return record


@transaction.atomic
def post_allowance_pay(
    *,
    actor: User | None,
    allowance: PostAllowance,
    paid_amount: Decimal,
    paid_on: dt.date,
    note: str | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PostAllowance:
    """Record what a township's month of post allowance has been paid, in
    all, and when: paid in full, its ``post_allowance_chase`` item is done."""
    today = today or clock.today()
    allowance = PostAllowance.objects.select_for_update().get(pk=allowance.pk)
    before = {name: getattr(allowance, name) for name in ("paid_amount", "paid_on", "note")}
    not_negative(paid_amount, "paid_amount")
    not_future(paid_on, today, "paid_on", gettext_noop("发放日期"))
    allowance.paid_amount, allowance.paid_on = paid_amount, paid_on
    if note is not None:
        allowance.note = note
    allowance.save(update_fields=["paid_amount", "paid_on", "note", "updated_at"])
    written(actor, request, "update", "post-allowances", allowance, changed_fields(allowance, before))
    return allowance


# ---------------------------------------------------------------------------
# Township facilities (五小): one record per township and item
# ---------------------------------------------------------------------------


@transaction.atomic
def post_allowance_delete(*, actor: User | None, allowance: PostAllowance, request: HttpRequest | None = None) -> None:
    """Remove a month's allowance entered by mistake."""
    written(actor, request, "delete", "post-allowances", allowance)  # first: the row names it while it exists
    allowance.delete()


@transaction.atomic
def facility_save(
    *,
    actor: User | None,
    facility: Facility | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Facility:
    """Record a township's facility (``facility`` None) or change its status;
    its township and item stay once recorded."""
    if facility is None:
        township, item = fields["township"], fields["item"]
        if township.kind != UnitKind.TOWNSHIP:
            raise DomainError(_("请选择乡镇（街道）。"), field="township")
        if Facility.objects.filter(township=township, item=item).exists():
            label = choice_label(FacilityItem(item).label)
            raise DomainError(_("该乡镇已登记“%(label)s”，请修改原记录。") % {"label": label}, field="item")
        facility = Facility()
    else:
        fields = {name: value for name, value in fields.items() if name not in ("township", "item")}
    as_of = fields.get("as_of")
    if as_of is not None and as_of > (today or clock.today()):
        raise DomainError(_("状态日期不能晚于今天。"), field="as_of")
    created = facility.pk is None
    before = {name: getattr(facility, name, None) for name in fields}
    for name, value in fields.items():
        setattr(facility, name, value)
    facility.save()
    changed = sorted(fields) if created else changed_fields(facility, before)
    written(actor, request, "create" if created else "update", "facilities", facility, changed)
    return facility


@transaction.atomic
def facility_delete(*, actor: User | None, facility: Facility, request: HttpRequest | None = None) -> None:
    """Remove a facility recorded by mistake."""
    written(actor, request, "delete", "facilities", facility)  # first: the row names it while it exists
    facility.delete()
